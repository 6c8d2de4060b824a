"""The cost of one self-check in one process: CPU per call, the size of each statement it
prepares, and the time DuckDB spends binding the screening statement.

    python benchmarks/check_cost.py [--rulebook ru-2022] [--calls 50]

Checks the first rows of the rulebook's example register one at a time (the rulebook
compiled once, as a running server holds it) and prints the median CPU time (user +
system of this process) of `check_records` for one record, and for 50 records in one call.
CPU time, not wall time, so that a loaded machine still compares.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT.parent / "shared" / "spec" / "examples"


def _cpu() -> float:
    return time.process_time()  # user + system of this process, finer than os.times()


def _median_ms(call: Any, repeat: int) -> float:
    spent = []
    for _ in range(repeat):
        start = _cpu()
        call()
        spent.append(_cpu() - start)
    return statistics.median(spent) * 1000


def _statements(plan: Any) -> dict[str, str]:
    """Every statement of a plan by name (one per rule where findings are split by rule)."""
    found: dict[str, str] = {}
    for name, value in plan.as_json().items():
        texts = list(value.values()) if isinstance(value, dict) else [value]
        if texts and all(isinstance(t, str) and _is_sql(t) for t in texts):
            found[name] = "\n".join(texts)  # the per-rule selects, summed
    return found


def _is_sql(text: str) -> bool:
    return text.lstrip().upper().startswith(("SELECT", "WITH", "INSERT"))


def _binding(con: Any, statement: str) -> tuple[float, float]:
    """(CPU ms of one execution, DuckDB's binding time in ms) of a prepared statement. The
    profile's times are wall times: on a loaded machine they exceed the CPU time."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "profile.json"
        con.execute("PRAGMA enable_profiling='json'")
        con.execute(f"PRAGMA profiling_output='{out}'")
        start = _cpu()
        con.execute(f"EXECUTE {statement}").fetchall()
        spent = (_cpu() - start) * 1000
        con.execute("PRAGMA disable_profiling")
        profile = json.loads(out.read_text())
    planner = profile.get("planner", {})
    return spent, float(planner.get("binding_time", 0.0)) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rulebook", default="ru-2022")
    parser.add_argument("--calls", type=int, default=50)
    args = parser.parse_args()

    from nadzor.rules import resolve_rulebook
    from nadzor.screening import _check

    rulebook = resolve_rulebook(args.rulebook)
    register = EXAMPLES / f"{args.rulebook}-register.csv"
    with register.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    start = _cpu()
    _check.check_records(rulebook, rows[:1])
    print(f"first call (compile or load the SQL, prepare): {(_cpu() - start) * 1000:.0f} ms CPU")
    plan = next(iter(_check._plans._plans.values()))
    for name, sql in _statements(plan).items():
        print(f"statement {name}: {len(sql):,} characters of SQL")
    for n, row in enumerate(rows[:4]):
        result = _check.check_records(rulebook, [row])
        cost = _median_ms(lambda row=row: _check.check_records(rulebook, [row]), args.calls)
        print(
            f"1 record (row {n + 1}: {len(result.findings)} findings, "
            f"{len(result.rejects)} rejects): median {cost:.1f} ms CPU per check"
        )
    many = rows[:50]
    cost = _median_ms(lambda: _check.check_records(rulebook, many), max(5, args.calls // 5))
    print(f"{len(many)} records in one call: median {cost:.1f} ms CPU")

    con = _check._engine().con  # type: ignore[attr-defined]
    width = len(con.execute(f'DESCRIBE "{plan.raw_table}"').fetchall())
    nulls = ", ".join(["NULL"] * (width - 2))
    con.execute(f'INSERT INTO "{plan.raw_table}" VALUES (1, {nulls}, false)')
    try:
        spent, binding = _binding(con, f"{plan.name}_screen")
    finally:
        con.execute(f'DELETE FROM "{plan.raw_table}"')
        con.execute(f'DELETE FROM "{plan.screened_table}"')
    print(
        f"screen statement, one execution: {spent:.1f} ms CPU; DuckDB binding {binding:.1f} ms wall"
    )
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
