"""Login flood: the public complaint form's latency while sign-ins are hammered.

    python benchmarks/login_flood.py [--workers 2] [--flooders 24] [--attempts 960]
                                     [--probes 200] [--workdir DIR]

On loopback, with a fresh SQLite store in a temporary folder: `nadzor init`, one staff user
with a password, `nadzor serve`. It measures the public form (`GET /complaints/new`) alone,
then again (one request every 40 ms) while `--flooders` threads send `--attempts` wrong sign-ins in all (each thread
with its own CSRF cookie, all from one address, as one attacker would). It prints p50 and
p99 of the form in both phases, and how the sign-ins were answered (400: a password was
checked; 429: refused by the throttle before any hashing). Bounded: a fixed number of
requests, nothing runs after it. Run by hand; nothing here is part of the test suite.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

PASSWORD = "violet-river-stone-42"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(
    port: int, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def csrf(port: int) -> tuple[str, str]:
    _, headers, body = get(port, "/staff/login?lang=en")
    cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", ""))
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert cookie and token, "no CSRF token on the login page"
    return cookie.group(1), token.group(1).decode()


def flood(port: int, attempts: int, answers: Counter[int], lock: threading.Lock) -> None:
    cookie, token = csrf(port)
    body = urlencode({"name": "sofia", "password": "a-wrong-guess", "csrfmiddlewaretoken": token})
    for _ in range(attempts):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request(
                "POST",
                "/staff/login?lang=en",
                body,
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Cookie": f"csrftoken={cookie}",
                    "Origin": f"http://127.0.0.1:{port}",
                    "Referer": f"http://127.0.0.1:{port}/staff/login",
                },
            )
            status = connection.getresponse().status
        finally:
            connection.close()
        with lock:
            answers[status] += 1


def probe(port: int, count: int, pace: float = 0.0) -> list[float]:
    """`count` requests for the public form, one every `pace` seconds at most."""
    times = []
    for _ in range(count):
        if pace:
            time.sleep(pace)
        start = time.perf_counter()
        status, _, _ = get(port, "/complaints/new?lang=ru")
        times.append(time.perf_counter() - start)
        assert status == 200, status
    return times


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"p50 {statistics.median(ordered) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--flooders", type=int, default=24)
    parser.add_argument("--attempts", type=int, default=960)
    parser.add_argument("--probes", type=int, default=250)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="nadzor-flood-"))
    env = {**os.environ, "NADZOR_DATABASE_URL": f"sqlite:///{workdir / 'nadzor.db'}"}
    env.pop("NADZOR_SECRET_KEY", None)

    def nadzor(*command: str, stdin: str | None = None) -> None:
        subprocess.run(
            [sys.executable, "-m", "nadzor", *command],
            env=env, input=stdin, text=True, check=True, capture_output=True,
        )  # fmt: skip

    nadzor("init")
    nadzor("users", "add", "sofia", "--role", "supervisor", "--password-stdin", stdin=PASSWORD)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "nadzor", "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        probe(port, 20)  # warm-up
        alone = probe(port, args.probes)
        answers: Counter[int] = Counter()
        lock = threading.Lock()
        share = max(1, args.attempts // args.flooders)
        threads = [
            threading.Thread(target=flood, args=(port, share, answers, lock))
            for _ in range(args.flooders)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        # spread over the flood (paced), not just its first moments
        during = probe(port, args.probes, pace=0.04)
        for thread in threads:
            thread.join()
        flood_time = time.perf_counter() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    print(f"public form alone:        {summary(alone)} ({args.probes} requests)")
    print(f"public form during flood: {summary(during)} ({args.probes} requests)")
    print(f"  of them over 200 ms: {sum(t > 0.2 for t in during)}")
    print(
        f"sign-ins: {sum(answers.values())} from {args.flooders} connections in"
        f" {flood_time:.1f} s; answers {dict(sorted(answers.items()))}"
        " (400: password checked, 429: throttled before hashing)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
