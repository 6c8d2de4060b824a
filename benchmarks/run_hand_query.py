"""Run `hand_query.sql` over a register and write its findings to Parquet.

The hand-written side of the benchmark, run by `screen_10m.py` in its own process so that
its wall time and peak memory are measured the same way as `nadzor screen`'s:

    python benchmarks/run_hand_query.py REGISTER.parquet OUT.parquet [--sql hand_query.sql]

DuckDB gets the settings nadzor gives its own connection (memory limit from
NADZOR_DUCKDB_MEMORY, default 2GB; insertion order not preserved; spilling to a temporary
directory), and the output is written with the same compression (zstd).
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

import duckdb

HERE = Path(__file__).resolve().parent


def run(register: Path, out: Path, sql_file: Path) -> int:
    """Write the findings of `sql_file` over `register` to `out`; return their number."""
    query = sql_file.read_text(encoding="utf-8").strip().rstrip(";")
    spill = Path(tempfile.mkdtemp(prefix="nadzor-hand-", dir=out.parent))
    temp = out.with_name(f".{out.name}.tmp")
    try:
        con = duckdb.connect(
            config={
                "memory_limit": os.environ.get("NADZOR_DUCKDB_MEMORY", "2GB"),
                "temp_directory": str(spill),
                "preserve_insertion_order": False,
            }
        )
        con.execute("SET enable_progress_bar = false")
        con.execute("SET VARIABLE register = ?", [str(register)])
        target = str(temp).replace("'", "''")
        con.execute(f"COPY ({query}) TO '{target}' (FORMAT parquet, COMPRESSION zstd)")
        rows = con.sql(f"SELECT count(*) FROM read_parquet('{target}')").fetchall()[0][0]
        con.close()
        temp.replace(out)
        return int(rows)
    finally:
        temp.unlink(missing_ok=True)
        shutil.rmtree(spill, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("register", type=Path, help="typed Parquet register (nadzor synth)")
    parser.add_argument("out", type=Path, help="findings file to write (.parquet)")
    parser.add_argument("--sql", type=Path, default=HERE / "hand_query.sql", help="the query")
    args = parser.parse_args()
    rows = run(args.register, args.out, args.sql)
    print(f"{rows} findings written to {args.out}")


if __name__ == "__main__":
    main()
