"""The same register screened on local Spark and on DuckDB, on the same machine.

    python benchmarks/screen_spark.py [--records N] [--seed S] [--cores 2] [--workdir DIR]

1. Generates the register once with `nadzor synth` (Parquet, cached in WORKDIR; the same
   generator as `make bench`).
2. Runs `nadzor screen REGISTER --out findings.parquet` once with `--engine duckdb` and once
   with `--engine local[CORES]`, each in its own process; measures wall time, CPU time
   (user+sys, the JVM's included: nadzor waits for it to exit) and peak RSS.
3. Checks that both found the same rows (all seven columns, `EXCEPT ALL` both ways).
4. Prints a Markdown table with records per second and per core-second, and the load
   average before and after each run (the machine may be shared: CPU time is the figure
   that does not depend on what else runs).

Exit status: 0 when the findings are identical, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))

from screen_10m import (
    Side,
    ensure_register,
    load_average,
    machine,
    measure,
    nadzor_command,
)


def same_findings(a: Path, b: Path) -> tuple[int, int, int]:
    """(rows in a, rows only in a, rows only in b); a directory is read as its parts."""
    con = duckdb.connect(config={"memory_limit": "2GB"})
    con.execute("SET enable_progress_bar = false")

    def source(path: Path) -> str:
        name = str(path / "*.parquet") if path.is_dir() else str(path)
        return "read_parquet('" + name.replace("'", "''") + "')"

    def count(sql: str) -> int:
        return int(con.sql(sql).fetchall()[0][0])

    left, right = f"SELECT * FROM {source(a)}", f"SELECT * FROM {source(b)}"
    return (
        count(f"SELECT count(*) FROM {source(a)}"),
        count(f"SELECT count(*) FROM ({left} EXCEPT ALL {right})"),
        count(f"SELECT count(*) FROM ({right} EXCEPT ALL {left})"),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--spark-only", action="store_true", help="leave DuckDB out")
    parser.add_argument(
        "--workdir", type=Path, default=Path(tempfile.gettempdir()) / "nadzor-bench"
    )
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    register = ensure_register(args.workdir, args.records, args.seed)
    engines = {"DuckDB": "duckdb", f"Spark local[{args.cores}]": f"local[{args.cores}]"}
    if args.spark_only:
        del engines["DuckDB"]
    sides: list[tuple[Side, str, str]] = []
    for label, engine in engines.items():
        out = args.workdir / f"findings-{engine.replace('[', '').replace(']', '')}.parquet"
        command = [
            nadzor_command(),
            "screen",
            str(register),
            "--out",
            str(out),
            "--rejects",
            str(out.with_name(out.stem + "-rejects.parquet")),
            "--engine",
            engine,
        ]
        side = Side(label, command, out, ok_codes=(0, 3))
        before = load_average()
        print(f"{label}: screening ...", flush=True)
        side.runs.append(measure(side, args.workdir))
        sides.append((side, before, load_average()))
        print(f"{label}: {side.wall:.1f} s wall, {side.cpu:.1f} s CPU", flush=True)
    if len(sides) < 2:
        return 0
    rows, only_a, only_b = same_findings(sides[0][0].out, sides[1][0].out)
    print(table(args.records, args.cores, sides, (rows, only_a, only_b)))
    print()
    print("| machine | |\n|---|---|")
    info = machine()
    info["Spark"] = spark_version()
    for key, value in info.items():
        print(f"| {key} | {value} |")
    return 0 if (only_a, only_b) == (0, 0) else 1


def spark_version() -> str:
    try:
        import pyspark

        return f"{pyspark.__version__} (Java: {os.environ.get('JAVA_HOME') or 'java on PATH'})"
    except ImportError:
        return "not installed"


def table(
    records: int, cores: int, sides: list[tuple[Side, str, str]], check: tuple[int, int, int]
) -> str:
    used = {sides[0][0].name: 1, sides[1][0].name: cores}  # DuckDB's threads: all cores
    used[sides[0][0].name] = os.cpu_count() or 1
    header = "| | " + " | ".join(side.name for side, _, _ in sides) + " |"
    lines = [header, "|---|" + "---:|" * len(sides)]

    def row(name: str, values: list[str]) -> None:
        lines.append(f"| {name} | " + " | ".join(values) + " |")

    row("wall time (s)", [f"{s.wall:.1f}" for s, _, _ in sides])
    row("CPU time user+sys (s)", [f"{s.cpu:.1f}" for s, _, _ in sides])
    row("records per second (wall)", [f"{records / s.wall:,.0f}" for s, _, _ in sides])
    row("records per CPU-second", [f"{records / s.cpu:,.0f}" for s, _, _ in sides])
    row("cores it may use", [str(used[s.name]) for s, _, _ in sides])
    row("peak RSS of the command (GiB)", [f"{s.peak_rss / 1024**3:.2f}" for s, _, _ in sides])
    row("load average before", [before for _, before, _ in sides])
    row("load average after", [after for _, _, after in sides])
    rows, only_a, only_b = check
    lines += [
        "",
        f"findings: {rows:,} rows; only on DuckDB: {only_a}, only on Spark: {only_b}"
        f" (all seven columns).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
