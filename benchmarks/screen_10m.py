"""The 10-million-record benchmark: `nadzor screen` against a hand-written DuckDB query.

    python benchmarks/screen_10m.py [--records N] [--seed S] [--runs 3] [--workdir DIR] [--keep]

1. Generates the register once with `nadzor synth` (cached in WORKDIR, named by records and
   seed).
2. Runs `nadzor screen REGISTER --out nadzor-findings.parquet` and
   `run_hand_query.py REGISTER hand-findings.parquet` (the single statement in
   `hand_query.sql`) alternately, each in its own process, RUNS times; measures wall time,
   CPU time and peak RSS of each process (the kernel's high-water mark, from wait4).
3. Checks that both sides found the same rows: (record_id, rule_id, outcome,
   deferment_until) `EXCEPT ALL` both ways must be empty (all seven columns are compared
   too).
4. Prints a Markdown table (medians of the runs) and writes it into docs/performance.md
   between the `bench:begin` / `bench:end` markers.

Exit status: 0 when the findings are identical, 1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DOC = ROOT / "docs" / "performance.md"
BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"
KEY_COLUMNS = "record_id, rule_id, outcome, deferment_until"
TARGET_RATIO = 1.5
TARGET_RSS_GIB = 4.0
GIB = 1024**3


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds
    peak_rss: int  # bytes


@dataclass
class Side:
    name: str
    command: list[str]
    out: Path
    ok_codes: tuple[int, ...] = (0,)
    runs: list[Run] = field(default_factory=list)

    @property
    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(r.cpu for r in self.runs)

    @property
    def peak_rss(self) -> int:
        return max(r.peak_rss for r in self.runs)


@dataclass(frozen=True)
class Check:
    findings: tuple[int, int]  # rows in (nadzor, hand)
    key_diff: tuple[int, int]  # nadzor EXCEPT ALL hand, hand EXCEPT ALL nadzor
    full_diff: tuple[int, int]  # the same over all seven columns

    @property
    def identical(self) -> bool:
        return self.key_diff == (0, 0) and self.findings[0] == self.findings[1]


def nadzor_command() -> str:
    beside = Path(sys.executable).with_name("nadzor")
    if beside.exists():
        return str(beside)
    found = shutil.which("nadzor")
    if found is None:
        sys.exit("nadzor is not installed in this environment (make bench installs it)")
    return found


def measure(side: Side, cwd: Path) -> Run:
    """Wall time, CPU time and peak RSS of one process (and any children it waited for)."""
    log = cwd / f"{side.name}.stderr.log"
    with log.open("wb") as stderr:
        start = time.perf_counter()
        proc = subprocess.Popen(side.command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=stderr)
        # wait4 gives this child's own rusage (ru_maxrss: the kernel's high-water mark of
        # its resident set), so runs do not blur into each other as RUSAGE_CHILDREN's
        # lifetime maximum would.
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in side.ok_codes:
        detail = log.read_text(encoding="utf-8", errors="replace")
        sys.exit(f"{' '.join(side.command)} exited {proc.returncode}:\n{detail}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024)


def ensure_register(workdir: Path, records: int, seed: int) -> Path:
    register = workdir / f"register-{records}-seed{seed}.parquet"
    if register.exists():
        print(f"register: {register} (cached)")
        return register
    temp = workdir / f".{register.stem}.tmp.parquet"
    print(f"register: generating {records:,} records (seed {seed}) ...", flush=True)
    start = time.perf_counter()
    subprocess.run(
        [
            nadzor_command(),
            "synth",
            "--records",
            str(records),
            "--seed",
            str(seed),
            "--out",
            str(temp),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    temp.replace(register)
    print(f"register: {register} ({time.perf_counter() - start:.0f} s)")
    return register


def compare(nadzor_out: Path, hand_out: Path) -> Check:
    con = duckdb.connect(config={"memory_limit": "2GB"})
    con.execute("SET enable_progress_bar = false")
    a, b = (str(p).replace("'", "''") for p in (nadzor_out, hand_out))

    def count(sql: str) -> int:
        return int(con.sql(sql).fetchall()[0][0])

    def diff(cols: str) -> tuple[int, int]:
        left = f"SELECT {cols} FROM read_parquet('{a}')"
        right = f"SELECT {cols} FROM read_parquet('{b}')"
        return (
            count(f"SELECT count(*) FROM ({left} EXCEPT ALL {right})"),
            count(f"SELECT count(*) FROM ({right} EXCEPT ALL {left})"),
        )

    rows = (
        count(f"SELECT count(*) FROM read_parquet('{a}')"),
        count(f"SELECT count(*) FROM read_parquet('{b}')"),
    )
    return Check(rows, diff(KEY_COLUMNS), diff("*"))


def machine() -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "?"
    try:
        meminfo = Path("/proc/meminfo").read_text()
        match = re.search(r"MemTotal:\s+(\d+) kB", meminfo)
        if match:
            ram = f"{int(match.group(1)) * 1024 / GIB:.1f} GiB"
    except OSError:
        pass
    import ibis  # imported here: only its version is wanted

    from nadzor import __version__ as nadzor_version

    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": ram,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "DuckDB": duckdb.__version__,
        "Ibis": ibis.__version__,
        "nadzor": f"{nadzor_version}, commit {source_version()}",
    }


def source_version() -> str:
    """The commit nadzor was measured at, and whether the working tree had changes."""
    try:
        described = subprocess.run(
            ["git", "describe", "--always", "--dirty=+uncommitted changes"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return described.replace("+", " (with ", 1) + ")" if "+" in described else described


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def report(
    records: int,
    seed: int,
    register: Path,
    nadzor: Side,
    hand: Side,
    check: Check,
    loads: tuple[str, str],
    info: dict[str, str],
) -> str:
    ratio = nadzor.wall / hand.wall
    when = dt.datetime.now().astimezone()
    rss_n, rss_h = nadzor.peak_rss / GIB, hand.peak_rss / GIB
    rss_met = "met" if nadzor.peak_rss < TARGET_RSS_GIB * GIB else "not met"
    lines = [
        f"Measured {when:%Y-%m-%d %H:%M %Z} by `benchmarks/screen_10m.py`:"
        f" register of {records:,} records (`nadzor synth --seed {seed}`,"
        f" {register.stat().st_size / 1024**2:.0f} MiB Parquet), rulebook ru-2022, Parquet in"
        f" and out; median of {len(nadzor.runs)} alternating runs; load average"
        f" (1, 5, 15 min) {loads[0]} before, {loads[1]} after.",
        "",
        "| | nadzor screen | hand-written query |",
        "|---|---:|---:|",
        f"| wall time, median (s) | {nadzor.wall:.1f} | {hand.wall:.1f} |",
        "| wall time, each run (s) | "
        + " / ".join(f"{r.wall:.1f}" for r in nadzor.runs)
        + " | "
        + " / ".join(f"{r.wall:.1f}" for r in hand.runs)
        + " |",
        f"| CPU time user+sys, median (s) | {nadzor.cpu:.1f} | {hand.cpu:.1f} |",
        f"| records per second | {records / nadzor.wall:,.0f} | {records / hand.wall:,.0f} |",
        f"| peak RSS, highest run (GiB) | {rss_n:.2f} | {rss_h:.2f} |",
        f"| findings | {check.findings[0]:,} | {check.findings[1]:,} |",
        "",
        f"- time ratio nadzor / hand query: **{ratio:.2f}x** (target <= {TARGET_RATIO}x:"
        f" {'met' if ratio <= TARGET_RATIO else 'not met'})",
        f"- peak RSS of nadzor: **{rss_n:.2f} GiB** (target < {TARGET_RSS_GIB:.0f} GiB: {rss_met})",
        f"- same findings: **{'yes' if check.identical else 'NO'}**"
        f" ({KEY_COLUMNS}: {check.key_diff[0]} rows only in nadzor's,"
        f" {check.key_diff[1]} only in the hand query's; all seven columns:"
        f" {check.full_diff[0]} / {check.full_diff[1]})",
        "",
        "| machine | |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in info.items()),
    ]
    return "\n".join(lines) + "\n"


def update_doc(doc: Path, table: str) -> None:
    block = f"{BEGIN}\n{table}{END}"
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Performance\n"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        text = head + block + tail
    else:
        text = text.rstrip("\n") + "\n\n## Latest results\n\n" + block + "\n"
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000_000, help="register size")
    parser.add_argument("--seed", type=int, default=1, help="nadzor synth --seed")
    parser.add_argument("--runs", type=int, default=3, help="runs of each side (median reported)")
    parser.add_argument("--workdir", type=Path, default=HERE / "data", help="register and outputs")
    parser.add_argument("--keep", action="store_true", help="keep the two findings files")
    parser.add_argument("--doc", type=Path, default=DOC, help="Markdown file to update")
    parser.add_argument("--no-doc", action="store_true", help="print the table only")
    args = parser.parse_args()
    if args.runs < 1 or args.records < 1:
        parser.error("--runs and --records must be positive")

    workdir: Path = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    register = ensure_register(workdir, args.records, args.seed)
    # Both sides read the register from the page cache, not from disk.
    with register.open("rb") as f:
        while f.read(1 << 24):
            pass

    nadzor = Side(
        "nadzor",
        [nadzor_command(), "screen", str(register), "--out", "nadzor-findings.parquet"],
        workdir / "nadzor-findings.parquet",
        ok_codes=(0, 3),  # 3: some rows rejected, findings for the rest written
    )
    hand = Side(
        "hand",
        [sys.executable, str(HERE / "run_hand_query.py"), str(register), "hand-findings.parquet"],
        workdir / "hand-findings.parquet",
    )
    info = machine()  # before the runs: the commit measured, not the one at the end
    loads = [load_average(), ""]
    for i in range(args.runs):
        # Alternate which side goes first, so that neither always runs on a warmer machine.
        for side in (nadzor, hand) if i % 2 == 0 else (hand, nadzor):
            run = measure(side, workdir)
            side.runs.append(run)
            print(
                f"run {i + 1}/{args.runs} {side.name:>6}: {run.wall:6.1f} s wall,"
                f" {run.cpu:6.1f} s CPU, peak RSS {run.peak_rss / GIB:.2f} GiB",
                flush=True,
            )
    loads[1] = load_average()

    check = compare(nadzor.out, hand.out)
    table = report(
        args.records, args.seed, register, nadzor, hand, check, (loads[0], loads[1]), info
    )
    print()
    print(table)
    if not args.no_doc:
        update_doc(args.doc, table)
        print(f"updated {args.doc}")
    if not args.keep:
        logs = [workdir / f"{side.name}.stderr.log" for side in (nadzor, hand)]
        for path in (nadzor.out, hand.out, workdir / "rejects.csv", *logs):
            path.unlink(missing_ok=True)
    sys.exit(0 if check.identical else 1)


if __name__ == "__main__":
    main()
