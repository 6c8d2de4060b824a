"""Web load benchmark: a fixed number of requests per scenario against `nadzor serve` on PostgreSQL.

    python benchmarks/load_web.py [--db URL] [--cases N] [--workers W] [--threads T]
                                  [--scale F] [--only NAME,...] [--workdir DIR]
                                  [--doc FILE | --no-doc] [--notes FILE]

On a loopback PostgreSQL server (trust authentication) it drops and recreates the
database of --db (default `nadzor_load`), runs `nadzor init`, imports 100,000 cases from a
generated findings CSV (`nadzor cases import`, with a register CSV for their regions),
gives them a mix of statuses and deadlines (one SQL UPDATE, so that `overdue` finds some),
adds a supervisor with a password and an API token (`nadzor users add`, `nadzor users
token`), starts `nadzor serve`, submits a few complaints through the API to get receipt
codes, and signs in to the staff workspace for a session. Each scenario then sends a fixed
number of requests with wrk (see `load_wrk.py`; `apt-get install wrk`) over a fixed number
of connections, after a short warm-up that is not counted, and stops; a scenario whose
endpoint does not answer as expected is reported as not run, with the reason. It prints a
Markdown table (throughput, p50 and p99 latency, responses that are not 2xx, the target)
and the CPU time of the server, PostgreSQL and wrk per scenario, and writes both with the
machine into docs/performance.md between the `load:begin` / `load:end` markers.

Benchmarks are run by hand; nothing here is part of the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import http.client
import json
import os
import platform
import random
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg
from load_wrk import Request, Result, WrkMissingError, run, wrk_version
from psycopg import sql

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DOC = ROOT / "docs" / "performance.md"
BEGIN = "<!-- load:begin -->"
END = "<!-- load:end -->"
DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/nadzor_load"
LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
SOURCE = "load-register.csv"
# a limit of the public desk (`nadzor.web.ratelimit.status_lookups`): wrong codes per process
WRONG_CODES_PER_PROCESS = 10

RULES = [
    ("RU22-AGE-LIMIT", "not_subject", "31-FZ art. 53(1)"),
    ("RU22-HEALTH-D", "not_subject", "31-FZ art. 23(1)(a)"),
    ("RU22-CHILDREN-3", "deferment", "31-FZ art. 18(1)(4)"),
    ("RU22-STUDENT", "deferment", "Decree 664 of 2022-10-05"),
    ("RU22-HEALTH-UNKNOWN", "review", "31-FZ art. 17(1)"),
]
REGIONS = [
    "Moscow",
    "Saint Petersburg",
    "Moscow Oblast",
    "Krasnodar Krai",
    "Sverdlovsk Oblast",
    "Rostov Oblast",
    "Bashkortostan",
    "Tatarstan",
    "Chelyabinsk Oblast",
    "Nizhny Novgorod Oblast",
    "Samara Oblast",
    "Dagestan",
    "Krasnoyarsk Krai",
    "Novosibirsk Oblast",
    "Perm Krai",
    "Voronezh Oblast",
    "Kursk Oblast",
    "Belgorod Oblast",
    "Buryatia",
    "Tuva",
]
# Regions by size: the i-th has weight 1/(i+1), so the one filtered on has about 5.6%.
REGION_WEIGHTS = [1 / (i + 1) for i in range(len(REGIONS))]
FILTER_REGION = "Sverdlovsk Oblast"
# Case statuses by `id % 100` (the rest stay `new`), and every tenth case 90 days older.
STATUS_MIX = [
    (0, 7, "resolved"),
    (7, 10, "closed_unfounded"),
    (10, 25, "triage"),
    (25, 35, "investigating"),
    (35, 40, "remedy_requested"),
]
BACKDATE_DAYS = 90
IDLE_SECONDS = 10


# --- the store -----------------------------------------------------------------------------


def write_inputs(workdir: Path, cases: int, seed: int = 11) -> tuple[Path, Path, int]:
    """A findings CSV with findings for exactly `cases` records (1 or 2 each, as `nadzor
    screen` writes them) and a register CSV giving each record a region."""
    rng = random.Random(seed)
    findings, register = workdir / SOURCE.replace("register", "findings"), workdir / SOURCE
    written = 0
    with (
        findings.open("w", newline="", encoding="utf-8") as out,
        register.open("w", newline="", encoding="utf-8") as places,
    ):
        rows, where = csv.writer(out), csv.writer(places)
        rows.writerow(
            [
                "record_id",
                "rule_id",
                "outcome",
                "deferment_until",
                "basis",
                "explanation",
                "rulebook",
            ]
        )
        where.writerow(["record_id", "region", "commissariat"])
        for n in range(1, cases + 1):
            record = f"R{n:08d}"
            region = rng.choices(REGIONS, REGION_WEIGHTS)[0]
            where.writerow([record, region, f"{region} commissariat no. {rng.randint(1, 40)}"])
            for rule, outcome, basis in rng.sample(RULES, 1 if rng.random() < 0.7 else 2):
                until = (
                    f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
                    if outcome == "deferment"
                    else ""
                )
                explanation = f"{rule} applies: fact recorded as of 2022-10-{rng.randint(10, 28)}"
                rows.writerow([record, rule, outcome, until, basis, explanation, "ru-2022@1.0.0"])
                written += 1
    return findings, register, written


def maintenance_url(url: str) -> tuple[str, str]:
    """The server's `postgres` database, and the name of the database in `url`."""
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise SystemExit(f"--db must be a postgresql:// URL, not {url!r}")
    if (parts.hostname or "") not in LOOPBACK:
        raise SystemExit(f"--db: the database is dropped and recreated, so only on loopback: {url}")
    name = parts.path.lstrip("/")
    if not name or name in ("postgres", "template0", "template1"):
        raise SystemExit(f"--db needs a database of its own (it is dropped), not {name!r}")
    return urlunsplit(parts._replace(path="/postgres")), name


def recreate_database(url: str) -> str:
    admin, name = maintenance_url(url)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return str(connection.execute("SHOW server_version").fetchone()[0])


def shape_cases(url: str) -> dict[str, int]:
    """Statuses and older deadlines for some cases, then fresh planner statistics."""
    with psycopg.connect(url, autocommit=True) as connection:
        for low, high, status in STATUS_MIX:
            connection.execute(
                "UPDATE nadzor_case SET status = %s WHERE id %% 100 >= %s AND id %% 100 < %s",
                (status, low, high),
            )
        connection.execute(
            "UPDATE nadzor_case SET registered_on = registered_on - %(d)s,"
            " due_on = due_on - %(d)s, created_at = created_at - make_interval(days => %(d)s),"
            " updated_at = updated_at - make_interval(days => %(d)s) WHERE id %% 10 = 3",
            {"d": BACKDATE_DAYS},
        )
        connection.execute("VACUUM ANALYZE")
        counts = dict(
            connection.execute(
                "SELECT 'cases', count(*) FROM nadzor_case UNION ALL"
                " SELECT 'findings', count(*) FROM nadzor_finding UNION ALL"
                " SELECT 'overdue', count(*) FROM nadzor_case WHERE due_on < current_date"
                " AND status NOT IN ('resolved', 'closed_unfounded') UNION ALL"
                " SELECT 'in region', count(*) FROM nadzor_case WHERE region = %s",
                (FILTER_REGION,),
            ).fetchall()
        )
    return {str(k): int(v) for k, v in counts.items()}


def nadzor(args: list[str], env: dict[str, str], cwd: Path, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "nadzor", *args],
        env=env,
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"nadzor {' '.join(args[:2])} failed: {done.stderr.strip()}")
    return done.stdout


# --- the server ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


def call(
    port: int,
    method: str,
    path: str,
    body: str | bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return Reply(response.status, response.getheaders(), response.read())
    finally:
        connection.close()


class Server:
    """`nadzor serve` in its own process; its log goes to a file in the work directory."""

    def __init__(self, db: str, env: dict[str, str], workdir: Path, workers: int, threads: int):
        self.port = free_port()
        self.log = workdir / "serve.log"
        command = [
            sys.executable,
            "-m",
            "nadzor",
            "serve",
            "--db",
            db,
            "--port",
            str(self.port),
            "--workers",
            str(workers),
            "--threads",
            str(threads),
        ]
        with self.log.open("w") as log:
            self.process = subprocess.Popen(command, env=env, cwd=workdir, stdout=log, stderr=log)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def wait(self, seconds: float = 90) -> None:
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            if self.process.poll() is not None:
                raise SystemExit(f"nadzor serve exited:\n{self.log.read_text()[-3000:]}")
            try:
                if call(self.port, "GET", "/?lang=ru").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise SystemExit(f"nadzor serve did not answer within {seconds:.0f} s")

    def workers(self) -> list[int]:
        return children(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # gunicorn's master stops its workers on SIGTERM
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                for pid in self.workers():
                    os.kill(pid, 9)
                self.process.kill()
                self.process.wait()


# --- CPU accounting from /proc -------------------------------------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2 :].split()  # fields from the 3rd (state) on


def children(parent: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int(_stat(int(entry.name))[1]) == parent:
                    found.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                pass
    return found


def tree_cpu(root: int) -> float:
    """CPU seconds of a process, its live children and the children it has reaped."""
    try:
        fields = _stat(root)
    except OSError:
        return 0.0
    # utime, stime, cutime, cstime are fields 14..17, i.e. 11..14 from the state on
    ticks = sum(int(x) for x in fields[11:15])
    for child in children(root):
        with contextlib.suppress(OSError):
            ticks += sum(int(x) for x in _stat(child)[11:13])
    return ticks / TICK


def postmaster() -> int | None:
    """The PostgreSQL server's main process, when it runs on this machine."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm = (entry / "comm").read_text().strip()
            parent = int(_stat(int(entry.name))[1])
            if comm == "postgres" and (
                Path(f"/proc/{parent}/comm").read_text().strip() != "postgres"
            ):
                return int(entry.name)
        except (OSError, ValueError, IndexError):
            pass
    return None


def machine_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of all CPUs since boot (USER_HZ, as in /proc/PID/stat)."""
    values = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


@dataclass
class Usage:
    server: float
    database: float
    client: float
    busy: float  # CPU seconds of every process on the machine
    wall: float


class Meter:
    def __init__(self, server: Server, database: int | None) -> None:
        self.server, self.database = server, database

    def __enter__(self) -> Meter:
        self.start = (tree_cpu(self.server.process.pid), self.db_cpu(), machine_ticks())
        self.began = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        end = (tree_cpu(self.server.process.pid), self.db_cpu(), machine_ticks())
        self.server_cpu = end[0] - self.start[0]
        self.database_cpu = end[1] - self.start[1]
        self.busy = (end[2][0] - self.start[2][0]) / TICK
        self.wall = time.perf_counter() - self.began

    def usage(self, client: float = 0.0) -> Usage:
        return Usage(self.server_cpu, self.database_cpu, client, self.busy, self.wall)

    def db_cpu(self) -> float:
        return tree_cpu(self.database) if self.database else 0.0


# --- scenarios ---------------------------------------------------------------------------


@dataclass
class Scenario:
    name: str
    label: str
    requests: list[Request]
    count: int
    connections: int
    target: str
    meets: Callable[[Result], bool] | None = None
    deliberate: frozenset[int] = frozenset()
    rate: float | None = None
    warmup: list[Request] = field(default_factory=list)
    skipped: str = ""


@dataclass
class Outcome:
    scenario: Scenario
    result: Result | None
    usage: Usage | None
    met: bool | None


# The public desk's requests each come on a new connection, as from many visitors or
# through a reverse proxy without upstream keep-alive. A few long-lived keep-alive
# connections would each stay with the gunicorn worker that accepted it, and one worker
# (one core at most, for its GIL) could get most of them. Staff and API clients keep theirs.
VISITOR = (("Connection", "close"),)
JSON = (("Content-Type", "application/json"), *VISITOR)
CATEGORIES = ["abuse", "conditions", "training", "other"]


def complaint_body(n: int, rng: random.Random) -> str:
    kind = n % 3
    body: dict[str, object]
    if kind == 0:
        body = {
            "category": rng.choice(CATEGORIES),
            "text": f"Complaint {n}: recruits are beaten at night.",
        }
    elif kind == 1:
        body = {
            "category": "provision",
            "reason": "winter_uniform",
            "region": rng.choice(REGIONS),
            "facility": f"unit {rng.randint(10000, 99999)}",
            "text": f"Complaint {n}: no winter uniform since October.",
            "occurred_on": "2025-11-01",
        }
    else:
        body = {
            "category": "unlawful_callup",
            "reason": "health",
            "region": rng.choice(REGIONS),
            "text": f"Complaint {n}: called up with category D.",
            "contact": {"name": f"Person {n}", "email": f"person{n}@example.org"},
        }
    return json.dumps(body, ensure_ascii=False)


def submissions(start: int, count: int) -> list[Request]:
    rng = random.Random(start)
    return [
        Request("POST", "/api/v1/complaints", JSON, complaint_body(start + i, rng))
        for i in range(count)
    ]


def scale(n: int, factor: float) -> int:
    return max(1, round(n * factor))


def scenarios(
    factor: float, codes: list[str], token: str, cookie: str, workers: int
) -> list[Scenario]:
    pages = [
        Request("GET", "/?lang=ru", VISITOR),
        Request("GET", "/complaints/new?lang=ru", VISITOR),
    ]
    lookups = [
        Request("POST", "/api/v1/complaints/status", JSON, json.dumps({"receipt_code": code}))
        for code in codes
    ]
    wrong = [
        Request(
            "POST",
            "/api/v1/complaints/status",
            JSON,
            json.dumps({"receipt_code": f"{random.Random(i).randrange(10**16):016d}"}),
        )
        for i in range(50)
    ]
    bearer = (("Authorization", f"Bearer {token}"),)
    api = [
        Request("GET", path, bearer)
        for path in (
            "/api/v1/cases?limit=50",
            "/api/v1/cases?limit=50&overdue=true",
            "/api/v1/cases?" + urlencode({"limit": 50, "region": FILTER_REGION}),
            "/api/v1/cases?limit=50&status=triage",
        )
    ]
    session = (("Cookie", cookie),)
    staff = [
        Request("GET", path, session)
        for path in (
            "/staff/cases/",
            "/staff/cases/?overdue=1",
            "/staff/cases/?" + urlencode({"region": FILTER_REGION}),
            "/staff/cases/?status=triage",
        )
    ]
    n_submit = scale(500, factor)
    wrong_max = WRONG_CODES_PER_PROCESS * workers

    def p99_under(ms: float) -> Callable[[Result], bool]:
        return lambda r: r.p99_ms < ms

    return [
        Scenario(
            "pages",
            "page views `/?lang=ru`, `/complaints/new`, all connections busy",
            pages,
            scale(20_000, factor),
            16,
            ">= 300 req/s",
            lambda r: r.throughput >= 300,
            warmup=pages,
        ),
        Scenario(
            "pages-paced",
            "page views at 300 req/s offered",
            pages,
            scale(20_000, factor),
            32,
            "300 req/s, p99 < 100 ms",
            lambda r: r.throughput >= 0.97 * 300 and r.p99_ms < 100,
            rate=300,
            warmup=pages,
        ),
        Scenario(
            "submit",
            "complaint submissions `POST /api/v1/complaints` (each 201)",
            submissions(1000, n_submit),
            n_submit,
            8,
            ">= 20 req/s",
            lambda r: r.throughput >= 20 and r.count({201}) == r.requests,
            warmup=submissions(100, 16),
        ),
        Scenario(
            "status",
            "status lookups `POST /api/v1/complaints/status`, valid codes",
            lookups,
            scale(2_000, factor),
            8,
            "-",
            warmup=lookups[:8],
        ),
        Scenario(
            "cases-api",
            "case list `GET /api/v1/cases?limit=50` (plain, overdue, region, status), token",
            api,
            scale(1_000, factor),
            4,
            "p99 < 300 ms",
            p99_under(300),
            warmup=api,
        ),
        Scenario(
            "cases-page",
            "case list `GET /staff/cases/` (plain, overdue, region, status), session",
            staff,
            scale(1_000, factor),
            4,
            "p99 < 300 ms",
            p99_under(300),
            warmup=staff,
        ),
        # last: after it, this address gets 429 for every code for 15 minutes
        Scenario(
            "status-wrong",
            "status lookups, wrong codes from one address (limiter)",
            wrong,
            200,
            4,
            f"only 404 (at most {wrong_max}) and 429",
            lambda r: set(r.statuses) <= {404, 429} and r.count({404}) <= wrong_max,
            deliberate=frozenset({404, 429}),
        ),
    ]


def probe(port: int, scenario: Scenario) -> str:
    """Empty when the scenario's first request gets an answer it expects, else why not."""
    sample = (scenario.warmup or scenario.requests)[0]
    reply = call(port, sample.method, sample.path, sample.body, dict(sample.headers))
    if 200 <= reply.status < 300 or reply.status in scenario.deliberate:
        return ""
    return f"`{sample.method} {sample.path.split('?')[0]}` answered {reply.status}"


def measure(server: Server, database: int | None, scenario: Scenario, workdir: Path) -> Outcome:
    if scenario.warmup:
        run(
            server.url,
            scenario.warmup,
            max(len(scenario.warmup), 2 * scenario.connections),
            min(4, scenario.connections),
            workdir=workdir,
        )
    with Meter(server, database) as meter:
        result = run(
            server.url,
            scenario.requests,
            scenario.count,
            scenario.connections,
            workdir=workdir,
            rate=scenario.rate,
        )
    usage = meter.usage(result.client_cpu)
    ok = result.finished and result.unexpected(scenario.deliberate) == 0
    met = None if scenario.meets is None else ok and scenario.meets(result)
    return Outcome(scenario, result, usage, met)


# --- setup over HTTP -------------------------------------------------------------------------


def receipt_codes(port: int, count: int) -> list[str]:
    codes = []
    for request in submissions(0, count):
        reply = call(port, request.method, request.path, request.body, dict(request.headers))
        if reply.status != 201:
            raise RuntimeError(f"`POST /api/v1/complaints` answered {reply.status}")
        codes.append(str(reply.json()["receipt_code"]))  # type: ignore[index]
    return codes


def cookies_of(reply: Reply, jar: dict[str, str]) -> dict[str, str]:
    for name, value in reply.headers:
        if name.lower() == "set-cookie":
            for morsel in SimpleCookie(value).values():
                jar[morsel.key] = morsel.value
    return jar


def sign_in(port: int, name: str, password: str) -> str:
    """A staff session: the Cookie header of a signed-in browser."""
    page = call(port, "GET", "/staff/login")
    jar = cookies_of(page, {})
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
    if page.status != 200 or not match:
        raise RuntimeError(f"GET /staff/login answered {page.status} without a CSRF token")
    form = urlencode(
        {"csrfmiddlewaretoken": match.group(1).decode(), "name": name, "password": password}
    )
    reply = call(
        port,
        "POST",
        "/staff/login",
        form,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()),
        },
    )
    jar = cookies_of(reply, jar)
    if reply.status not in (302, 303) or "sessionid" not in jar:
        raise RuntimeError(f"POST /staff/login answered {reply.status} without a session")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


# --- the report ----------------------------------------------------------------------------


def machine(pg_version: str) -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    match = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
    if match:
        ram = f"{int(match.group(1)) / 1024**2:.1f} GiB"
    distro = ""
    with contextlib.suppress(OSError):
        distro = platform.freedesktop_os_release().get("PRETTY_NAME", "")
    import django
    import gunicorn

    from nadzor import __version__

    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": ram,
        "OS": f"{distro}, {platform.system()} {platform.release()}".lstrip(", "),
        "Python": platform.python_version(),
        "PostgreSQL": pg_version,
        "Django / gunicorn": f"{django.get_version()} / {gunicorn.__version__}",
        "wrk": wrk_version(),
        "nadzor": f"{__version__}, commit {source_version()}",
    }


def source_version() -> str:
    """The commit measured, and which files outside docs/ and benchmarks/ had changes."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True)
        return done.stdout

    try:
        commit = git("rev-parse", "--short", "HEAD").strip()
        changed = [line[3:] for line in git("status", "--porcelain").splitlines() if line]
    except (OSError, subprocess.CalledProcessError):
        return "?"
    code = [path for path in changed if not path.startswith(("docs/", "benchmarks/"))]
    if code:
        shown = ", ".join(code[:5]) + (", ..." if len(code) > 5 else "")
        return f"{commit} (with uncommitted changes: {shown})"
    if changed:
        return f"{commit} (uncommitted changes to docs and benchmarks only)"
    return commit


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _ms(value: float) -> str:
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def results_table(outcomes: list[Outcome]) -> str:
    lines = [
        "| scenario | requests | connections | throughput (req/s) | p50 (ms) | p99 (ms) | not 2xx | target | met? |",
        "|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for o in outcomes:
        s, r = o.scenario, o.result
        connections = str(s.connections)
        if r is None:
            lines.append(
                f"| {s.label} | - | {connections} | - | - | - | - | {s.target} | not run: {s.skipped} |"
            )
            continue
        bad = r.unexpected(s.deliberate)
        errors = str(bad)
        if s.deliberate:
            deliberate = ", ".join(f"{r.statuses.get(c, 0)} x {c}" for c in sorted(s.deliberate))
            errors = f"{bad} ({deliberate} deliberate)"
        elif bad:
            errors += (
                " ("
                + ", ".join(
                    f"{n} x {c}" for c, n in sorted(r.statuses.items()) if not 200 <= c < 300
                )
                + ")"
            )
        if not r.finished:
            errors += f"; stopped by the time limit after {r.requests}"
        met = "-" if o.met is None else ("yes" if o.met else "**no**")
        lines.append(
            f"| {s.label} | {r.requests:,} | {connections} | {r.throughput:,.1f} | {_ms(r.p50_ms)} |"
            f" {_ms(r.p99_ms)} | {errors} | {s.target} | {met} |"
        )
    return "\n".join(lines) + "\n"


def _others(u: Usage, wall: float) -> str:
    """CPU seconds of every other process, and their share of all the machine's CPUs."""
    others = max(0.0, u.busy - u.server - u.database - u.client)
    return f"{others:.1f} ({others / (wall * (os.cpu_count() or 1)):.0%})"


def cpu_table(outcomes: list[Outcome], idle: Usage) -> str:
    lines = [
        "| scenario | wall (s) | nadzor serve CPU (s) | PostgreSQL CPU (s) | wrk CPU (s)"
        " | other processes CPU (s, share) | serve + PostgreSQL CPU per request (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| no requests | {idle.wall:.1f} | {idle.server:.1f} | {idle.database:.1f} | - |"
        f" {_others(idle, idle.wall)} | - |",
    ]
    for o in outcomes:
        if o.result is None or o.usage is None:
            continue
        u, r = o.usage, o.result
        per_request = (u.server + u.database) * 1000 / max(1, r.requests)
        lines.append(
            f"| {o.scenario.name} | {r.seconds:.1f} | {u.server:.1f} | {u.database:.1f} |"
            f" {u.client:.2f} | {_others(u, r.seconds)} | {_ms(per_request)} |"
        )
    return "\n".join(lines) + "\n"


def _paragraph(text: str) -> str:
    return textwrap.fill(
        " ".join(text.split()), width=92, break_long_words=False, break_on_hyphens=False
    )


def report(
    outcomes: list[Outcome],
    info: dict[str, str],
    store: dict[str, int],
    workers: int,
    threads: int,
    loads: tuple[str, str],
    started: dt.datetime,
    idle: Usage,
    notes: str = "",
) -> str:
    cores = os.cpu_count() or 1
    rows = "\n".join(f"| {k} | {v} |" for k, v in info.items())
    intro = f"""Measured {started:%Y-%m-%d %H:%M} UTC by `benchmarks/load_web.py` (`make
        bench-web`; `--scale 0.1` for a quick run; it needs wrk and a PostgreSQL server on
        loopback): `nadzor serve` ({workers} gunicorn workers x {threads} threads) and
        PostgreSQL on the same machine, wrk on loopback. Store: {store.get("cases", 0):,}
        cases from an imported findings file ({store.get("findings", 0):,} findings;
        {store.get("overdue", 0):,} open and overdue, {store.get("in region", 0):,} in the
        region filtered on). Load average (1, 5, 15 min) {loads[0]} before, {loads[1]}
        after."""
    cpu = f"""Where the CPU time went during each measured run. nadzor serve: the gunicorn
        master and its workers; PostgreSQL: its server processes, including those that
        ended, for every database on the server; other processes: everything else that ran
        on the machine meanwhile (from `/proc/stat`), with their share of all {cores} cores;
        the first row is {idle.wall:.0f} s without requests, before the runs. CPU per
        request does not depend on what else runs: {cores} cores divided by it is the most
        a scenario could reach on this machine."""
    method = f"""**Method.** A fresh database; `nadzor init`; `nadzor cases import` of a
        generated findings file (1 or 2 findings per record) with a register CSV giving each
        record one of 20 regions; then one SQL `UPDATE` gives the cases a mix of statuses
        (60% new, 15% triage, 10% investigating, 5% remedy requested, 10% closed) and moves
        every tenth case {BACKDATE_DAYS} days back, so that `overdue` finds open cases past
        their deadline; `VACUUM ANALYZE`. A supervisor signs in through the login form
        (session cookie) and has an API token. Each scenario sends its fixed number of
        requests, in turn from its list, with wrk (one thread, a fixed number of connections,
        each sending its next request when the previous one is answered) after a short
        warm-up that is not counted, and stops after the last response. Public requests
        (page views, submissions, status lookups) each open a new connection, as many
        visitors do, or a reverse proxy without upstream keep-alive; staff and API
        requests reuse theirs (keep-alive).
        Latency is wrk's, from sending a request to its response; throughput is responses
        over the run's wall time. The paced page-view run sends a request every 1/300 s
        (whichever connection is free), which is the target's load; the run before it keeps
        every connection busy, which gives the capacity. Submissions and status lookups
        each run one Argon2id hash of the receipt code (19 MiB, 2 passes) on purpose. The
        limiter on wrong receipt codes counts per client address and per worker process
        ({WRONG_CODES_PER_PROCESS} per 15 minutes), and wrk's requests all come from
        127.0.0.1: so the valid-code run measures lookups, and the wrong-code run, last,
        shows the limit (404 until it is reached in each worker, then 429 without any
        hash). "not 2xx" counts every other status and socket error: it must be 0. wrk's
        own CPU time is in the second table: it is not the bottleneck."""
    parts = [
        "## Web load",
        _paragraph(intro),
        results_table(outcomes),
        _paragraph(cpu),
        cpu_table(outcomes, idle),
        f"| machine | |\n|---|---|\n{rows}\n",
        _paragraph(method),
    ]
    if notes:
        parts.append(notes.strip())
    return "\n\n".join(part.rstrip("\n") for part in parts) + "\n"


def update_doc(doc: Path, section: str) -> None:
    block = f"{BEGIN}\n{section}{END}"
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Performance\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    doc.write_text(text, encoding="utf-8")


# --- main --------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=DEFAULT_DB, help="PostgreSQL URL; dropped and recreated")
    parser.add_argument("--cases", type=int, default=100_000, help="cases in the store")
    parser.add_argument("--workers", type=int, default=4, help="nadzor serve --workers")
    parser.add_argument("--threads", type=int, default=4, help="nadzor serve --threads")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the request counts")
    parser.add_argument("--only", default="", help="scenarios to run, comma-separated")
    parser.add_argument("--workdir", type=Path, help="inputs, the Lua script, the server log")
    parser.add_argument("--doc", type=Path, default=DOC, help="Markdown file to update")
    parser.add_argument("--no-doc", action="store_true", help="print the tables only")
    parser.add_argument(
        "--notes", type=Path, help="Markdown to add under the tables (findings, causes)"
    )
    args = parser.parse_args()
    try:
        wrk_version()
    except WrkMissingError as exc:
        print(exc, file=sys.stderr)
        return 2
    started = dt.datetime.now(dt.UTC)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="nadzor-load-"))
    workdir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "NADZOR_DATABASE_URL": args.db,
        "NADZOR_SECRET_KEY": secrets.token_hex(32),
        "NADZOR_EVIDENCE_DIR": str(workdir / "evidence"),
    }
    env.pop("NADZOR_DEBUG", None)

    print(f"store {args.db.split('@')[-1]}: recreating, {args.cases:,} cases", flush=True)
    pg_version = recreate_database(args.db)
    findings, register, _ = write_inputs(workdir, args.cases)
    tick = time.perf_counter()
    nadzor(["init"], env, workdir)
    nadzor(
        ["cases", "import", str(findings), "--register", str(register), "--source", SOURCE],
        env,
        workdir,
    )
    store = shape_cases(args.db)
    print(f"  imported and shaped in {time.perf_counter() - tick:.0f} s: {store}", flush=True)
    name, password = f"load-{secrets.token_hex(3)}", secrets.token_urlsafe(18)
    nadzor(
        ["users", "add", name, "--role", "supervisor", "--password-stdin"],
        env,
        workdir,
        password + "\n",
    )
    token = nadzor(["users", "token", name], env, workdir).strip()

    server = Server(args.db, env, workdir, args.workers, args.threads)
    outcomes: list[Outcome] = []
    try:
        server.wait()
        print(
            f"nadzor serve on {server.url}, {args.workers} workers x {args.threads} threads",
            flush=True,
        )
        missing: dict[str, str] = {}  # scenario -> why it cannot run
        codes: list[str] = []
        cookie = ""
        try:
            codes = receipt_codes(server.port, 20)
        except RuntimeError as exc:
            missing["status"] = f"no receipt codes: {exc}"
        try:
            cookie = sign_in(server.port, name, password)
        except RuntimeError as exc:
            missing["cases-page"] = f"no staff session: {exc}"
        database = postmaster()
        with Meter(server, database) as quiet:
            time.sleep(IDLE_SECONDS)  # what runs anyway: other users, PostgreSQL's own work
        idle = quiet.usage()
        wanted = {n for n in args.only.split(",") if n}
        loads = [load_average()]
        for scenario in scenarios(args.scale, codes, token, cookie, args.workers):
            if wanted and scenario.name not in wanted:
                continue
            scenario.skipped = missing.get(scenario.name) or probe(server.port, scenario)
            if scenario.skipped:
                print(f"- {scenario.name}: not run, {scenario.skipped}", flush=True)
                outcomes.append(Outcome(scenario, None, None, None))
                continue
            outcome = measure(server, database, scenario, workdir)
            r = outcome.result
            assert r is not None
            print(
                f"- {scenario.name}: {r.requests} in {r.seconds:.1f} s, {r.throughput:.1f} req/s,"
                f" p50 {r.p50_ms:.1f} ms, p99 {r.p99_ms:.1f} ms, statuses {r.statuses}",
                flush=True,
            )
            outcomes.append(outcome)
        loads.append(load_average())
    finally:
        server.stop()
    section = report(
        outcomes,
        machine(pg_version),
        store,
        args.workers,
        args.threads,
        (loads[0], loads[-1]),
        started,
        idle,
        args.notes.read_text(encoding="utf-8") if args.notes else "",
    )
    print()
    print(section)
    if not args.no_doc:
        update_doc(args.doc, section)
        print(f"written to {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
