"""Findings import benchmark: `nadzor cases import` of 100,000 findings into a fresh store.

    python benchmarks/import_100k.py [--findings N] [--db URL] [--workdir DIR]

Writes a deterministic findings CSV (about 1.3 findings per record, seven columns as
`nadzor screen` writes them), runs `nadzor init`, then `nadzor cases import` twice (the
second run must create nothing) and `nadzor audit verify`, each in its own process, and
prints wall times and the peak RSS of the import. With --db it uses that store (it must be
empty); by default a SQLite file in the work directory.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RULES = [
    ("RU22-AGE-LIMIT", "not_subject", "31-FZ art. 53(1)"),
    ("RU22-HEALTH-D", "not_subject", "31-FZ art. 23(1)(a)"),
    ("RU22-CHILDREN-3", "deferment", "31-FZ art. 18(1)(4)"),
    ("RU22-STUDENT", "deferment", "Decree 664 of 2022-10-05"),
    ("RU22-HEALTH-UNKNOWN", "review", "31-FZ art. 17(1)"),
]


def write_findings(path: Path, count: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    records = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
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
        written = 0
        while written < count:
            records += 1
            for rule, outcome, basis in rng.sample(RULES, 1 if rng.random() < 0.7 else 2):
                if written == count:
                    break
                until = (
                    f"2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"
                    if outcome == "deferment"
                    else ""
                )
                explanation = f"{rule} applies: fact recorded as of 2022-10-{rng.randint(10, 28)}"
                writer.writerow(
                    [f"R{records:08d}", rule, outcome, until, basis, explanation, "ru-2022@1.0.0"]
                )
                written += 1
    return records


def run(args: list[str], db: str) -> tuple[float, subprocess.CompletedProcess[str], int]:
    env = {**os.environ, "NADZOR_DATABASE_URL": db}
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "nadzor", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    out, err = process.communicate()
    _, status, usage = os.wait4(process.pid, 0) if process.returncode is None else (0, 0, None)
    wall = time.perf_counter() - start
    peak = 0
    if usage is not None:
        peak = usage.ru_maxrss * 1024
    return wall, subprocess.CompletedProcess(args, process.returncode or status, out, err), peak


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--db")
    parser.add_argument("--workdir", type=Path)
    options = parser.parse_args()
    workdir = options.workdir or Path(tempfile.mkdtemp(prefix="nadzor-import-"))
    workdir.mkdir(parents=True, exist_ok=True)
    findings = workdir / "findings.csv"
    records = write_findings(findings, options.findings)
    db = options.db or f"sqlite:///{workdir / 'bench.db'}"
    print(f"{options.findings:,} findings for {records:,} records; store {db.split('@')[-1]}")
    for label, args in [
        ("init", ["init"]),
        ("import", ["cases", "import", str(findings)]),
        ("re-import", ["cases", "import", str(findings)]),
        ("audit verify", ["audit", "verify"]),
    ]:
        wall, done, _ = run(args, db)
        if done.returncode != 0:
            print(f"{label} failed: {done.stderr.strip()}")
            return 1
        print(
            f"| {label} | {wall:.1f} s | {done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ''} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
