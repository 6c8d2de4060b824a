"""Self-check load benchmark: 50 concurrent users posting checks to `nadzor serve` on loopback.

    python benchmarks/check_load.py [--users 50] [--requests 1000] [--workers 2] [--threads 8]
                                    [--port 8765] [--path api|page] [--think SECONDS]

It creates a throw-away SQLite store (`nadzor init`), starts `nadzor serve` with the
self-check's rate limit raised (`NADZOR_CHECK_LIMIT`), warms every worker up (the first
check of a process loads the rulebook and compiles it to SQL), then lets `--users` threads
send `--requests` checks in all, each a different synthetic record, and stops. It prints
throughput and the p50, p90, p99 and maximum latency, and the responses that were not 200.

Without `--think` every user sends its next check the moment the last one is answered (a
closed loop: 50 requests always in flight, far more than 50 people produce). With
`--think S` each user pauses a random time (exponential, mean S seconds) before each check,
as a person reads the questions and answers them; the offered load is then about
`users / S` checks a second.

Benchmarks are run by hand; nothing here is part of the test suite.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent


def _record(rng: random.Random) -> dict[str, object]:
    year = rng.randint(1965, 2003)
    children = [
        f"{rng.randint(2006, 2022)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
        for _ in range(rng.randint(0, 4))
    ]
    return {
        "callup_date": f"2022-{rng.choice(['09-28', '10-05', '11-20'])}",
        "birth_date": f"{year}-0{rng.randint(1, 9)}-2{rng.randint(0, 8)}",
        "sex": rng.choice("MMMMF"),
        "ru_citizen": rng.random() > 0.02,
        "in_reserve": rng.random() > 0.03,
        "rank_group": rng.choice(["soldier"] * 8 + ["junior_officer", "field_officer"]),
        "health_category": rng.choice(["A", "A", "B", "V", "G", "D", None]),
        "health_exam_date": "2022-09-01",
        "children_birth_dates": children,
        "full_time_student_until": rng.choice([None, None, None, "2025-06-30"]),
    }


def _body(path: str, record: dict[str, object]) -> tuple[str, bytes, dict[str, str]]:
    if path == "api":
        body = json.dumps({"rulebook": "ru-2022", "record": record}).encode()
        return "/api/v1/check", body, {"Content-Type": "application/json"}
    form: list[tuple[str, str]] = [("rulebook", "ru-2022")]
    for key, value in record.items():
        if isinstance(value, list):
            form += [(key, str(v)) for v in value]
        elif isinstance(value, bool):
            form.append((key, "true" if value else "false"))
        elif value is not None:
            form.append((key, str(value)))
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    return "/check?lang=ru&rulebook=ru-2022", urlencode(form).encode(), headers


def _wait_for(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/check?lang=ru")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not start")


def _server_cpu(pid: int) -> float:
    """CPU seconds (user + system) of the server and its worker processes so far."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # after the command: state, ppid, ..., utime (12th), stime (13th)
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--path", choices=["api", "page"], default="api")
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean pause before each check, in seconds"
    )
    args = parser.parse_args()
    # A `timeout` or Ctrl-C still stops the server below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]
    scratch = Path(tempfile.mkdtemp(prefix="nadzor-check-load-"))
    db = f"sqlite:///{scratch / 'store.db'}"
    env = {**os.environ, "NADZOR_CHECK_LIMIT": str(10 * args.requests + 1000)}
    nadzor = ["nadzor"]
    subprocess.run([*nadzor, "init", "--db", db], check=True, env=env, capture_output=True)
    server = subprocess.Popen(
        [*nadzor, "serve", "--db", db, "--port", str(args.port), "--workers", str(args.workers),
         "--threads", str(args.threads)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        _wait_for(args.port, time.monotonic() + 60)
        rng = random.Random(7)
        bodies = [_body(args.path, _record(rng)) for _ in range(args.requests)]
        # Warm-up, not counted: every worker process loads and compiles the rulebook once.
        for path, body, headers in bodies[: 4 * args.workers * args.threads]:
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
            conn.request("POST", path, body, headers)
            conn.getresponse().read()
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        lock = threading.Lock()
        queue = iter(bodies)

        def user(seed: int) -> None:
            pauses = random.Random(seed)
            conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=600)
            while True:
                if args.think > 0:
                    time.sleep(pauses.expovariate(1 / args.think))
                    # a person's next check comes on a new connection: the server has
                    # closed the idle one by then
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=600)
                with lock:
                    item = next(queue, None)
                if item is None:
                    return
                path, body, headers = item
                start = time.perf_counter()
                conn.request("POST", path, body, headers)
                response = conn.getresponse()
                response.read()
                took = time.perf_counter() - start
                with lock:
                    latencies.append(took)
                    statuses[response.status] = statuses.get(response.status, 0) + 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=600)

        cpu_before = _server_cpu(server.pid)
        load_before = os.getloadavg()
        began = time.perf_counter()
        users = [threading.Thread(target=user, args=(n,)) for n in range(args.users)]
        for thread in users:
            thread.start()
        for thread in users:
            thread.join()
        wall = time.perf_counter() - began
        server_cpu = _server_cpu(server.pid) - cpu_before
        load_after = os.getloadavg()
    finally:
        server.terminate()
        server.wait(timeout=30)
    latencies.sort()

    def pct(p: float) -> float:
        return 1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))]

    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(
        f"{args.requests} checks ({args.path}), {args.users} users"
        f" (think time {args.think:g} s), {args.workers} workers x {args.threads} threads"
    )
    print(
        f"throughput {args.requests / wall:.1f}/s; latency ms p50 {pct(0.5):.0f}, p90 {pct(0.9):.0f}, p99 {pct(0.99):.0f}, max {1000 * latencies[-1]:.0f}"
    )
    print(f"statuses: {dict(sorted(statuses.items()))}")
    print(
        f"server CPU (user + sys) {server_cpu:.1f} s: {1000 * server_cpu / args.requests:.0f} ms"
        f" per check; load average {' '.join(f'{x:.2f}' for x in load_before)} before,"
        f" {' '.join(f'{x:.2f}' for x in load_after)} after"
    )


if __name__ == "__main__":
    main()
