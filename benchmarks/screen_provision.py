"""The provision benchmark: `nadzor screen` of a ru-2022-provision register against a
hand-written DuckDB query doing the same work (`provision_hand_query.sql`).

    python benchmarks/screen_provision.py [--records 10000000] [--runs 1] [--as-of 2023-06-01]
                                          [--workdir benchmarks/data] [--keep]

Generates the register once (`nadzor synth --rulebook ru-2022-provision --seed 1`, typed
Parquet, kept in WORKDIR), then runs each side in its own process, alternately, and
measures wall time, CPU time (user + system) and peak RSS as `screen_10m.py` does; last,
DuckDB compares the two findings files row for row (`EXCEPT ALL` both ways, on the key
columns and on all columns). Exits 1 unless the findings are the same. Prints a table for
docs/performance.md; the document is edited by hand.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from screen_10m import GIB, Side, compare, load_average, measure, nadzor_command

HERE = Path(__file__).resolve().parent
RULEBOOK = "ru-2022-provision"


def ensure_register(workdir: Path, records: int, seed: int) -> Path:
    register = workdir / f"provision-{records}-seed{seed}.parquet"
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
            "--rulebook",
            RULEBOOK,
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--as-of", default="2023-06-01", help="the judgment day of both sides")
    parser.add_argument("--workdir", type=Path, default=HERE / "data")
    parser.add_argument("--keep", action="store_true", help="keep the two findings files")
    args = parser.parse_args()
    workdir: Path = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    register = ensure_register(workdir, args.records, args.seed)
    with register.open("rb") as f:  # both sides read it from the page cache
        while f.read(1 << 24):
            pass
    query = (HERE / "provision_hand_query.sql").read_text().replace("{as_of}", args.as_of)
    with tempfile.NamedTemporaryFile("w", suffix=".sql", dir=workdir, delete=False) as sql:
        sql.write(query)
    nadzor = Side(
        "nadzor",
        [
            nadzor_command(),
            "screen",
            str(register),
            "--rulebook",
            RULEBOOK,
            "--as-of",
            args.as_of,
            "--out",
            "nadzor-provision.parquet",
        ],
        workdir / "nadzor-provision.parquet",
        ok_codes=(0, 3),
    )
    hand = Side(
        "hand",
        [
            sys.executable,
            str(HERE / "run_hand_query.py"),
            str(register),
            "hand-provision.parquet",
            "--sql",
            sql.name,
        ],
        workdir / "hand-provision.parquet",
    )
    loads = [load_average(), ""]
    try:
        for i in range(args.runs):
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
    finally:
        Path(sql.name).unlink(missing_ok=True)
    print(
        f"\n{args.records:,} records, {RULEBOOK}, --as-of {args.as_of}; load average"
        f" {loads[0]} before, {loads[1]} after\n\n"
        "| | nadzor screen | hand-written query |\n|---|---:|---:|\n"
        f"| wall time, median (s) | {nadzor.wall:.1f} | {hand.wall:.1f} |\n"
        f"| CPU time user+sys, median (s) | {nadzor.cpu:.1f} | {hand.cpu:.1f} |\n"
        f"| peak RSS (GiB) | {nadzor.peak_rss / GIB:.2f} | {hand.peak_rss / GIB:.2f} |\n"
        f"| findings | {check.findings[0]:,} | {check.findings[1]:,} |\n\n"
        f"- ratio nadzor / hand query: wall {nadzor.wall / hand.wall:.2f}x,"
        f" CPU {nadzor.cpu / hand.cpu:.2f}x\n"
        f"- same findings: key columns {check.key_diff}, all columns {check.full_diff}"
        " (rows only in nadzor's, only in the hand query's)"
    )
    if not args.keep:
        for path in (nadzor.out, hand.out):
            path.unlink(missing_ok=True)
    if not check.identical:
        sys.exit(1)


if __name__ == "__main__":
    main()
