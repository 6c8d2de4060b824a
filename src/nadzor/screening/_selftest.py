"""Run a rulebook's own tests (tests as data) through the real compile-and-screen path."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import pyarrow as pa

from nadzor.rules import Rulebook, TestCase
from nadzor.screening._engine import open_engine
from nadzor.screening._outputs import findings_expr, rejects_expr
from nadzor.screening._rules_table import screened_table
from nadzor.screening._validate import duplicate_keys, validate

__all__ = ["TestFailure", "TestRun", "run_rulebook_tests"]


@dataclass(frozen=True)
class TestFailure:
    case: TestCase
    problems: tuple[str, ...]


@dataclass(frozen=True)
class TestRun:
    passed: int
    failures: tuple[TestFailure, ...]


def _found_text(rule: str, outcome: str, until: dt.date | None) -> str:
    return f"{rule} {outcome}" + (f" until {until}" if until else "")


def _compare(
    case: TestCase, found: list[dict[str, object]], rejected: list[dict[str, object]]
) -> list[str]:
    problems: list[str] = []
    actual = {str(f["rule_id"]): f for f in found}
    shown = (
        ", ".join(
            _found_text(str(f["rule_id"]), str(f["outcome"]), f["deferment_until"])  # type: ignore[arg-type]
            for f in found
        )
        or "no findings"
    )
    if case.reject is not None:
        want = set(case.reject)
        got = {str(r["column"]) for r in rejected}
        if want != got:
            errors = "; ".join(f"{r['column']}: {r['error']}" for r in rejected) or "not rejected"
            problems.append(f"expected rejects in {sorted(want) or 'no column'}, got: {errors}")
    elif rejected:
        errors = "; ".join(f"{r['column']}: {r['error']}" for r in rejected)
        problems.append(f"the record was rejected: {errors}")
    if case.expect is None:
        return problems
    expected_ids = {e.rule for e in case.expect}
    if expected_ids != set(actual):
        wanted = ", ".join(sorted(expected_ids)) or "no findings"
        problems.append(f"expected {wanted}; got {shown}")
    for exp in case.expect:
        got_finding = actual.get(exp.rule)
        if got_finding is None:
            continue
        if exp.check_outcome and got_finding["outcome"] != exp.outcome:
            problems.append(f"{exp.rule}: expected {exp.outcome}, got {got_finding['outcome']}")
        if exp.check_until and got_finding["deferment_until"] != exp.until:
            problems.append(
                f"{exp.rule}: expected until {exp.until}, got {got_finding['deferment_until']}"
            )
        for text in exp.explain_contains:
            if _spaced(text) not in _spaced(str(got_finding["explanation"])):
                problems.append(
                    f"{exp.rule}: explanation lacks {text!r}: {got_finding['explanation']}"
                )
    return problems


def _spaced(text: str) -> str:
    """No-break spaces (between the thousands of a Russian number) as plain ones: a test
    written with the space a keyboard types still matches `195 000`."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def _run_group(
    rulebook: Rulebook, cases: list[TestCase], as_of: dt.date | None, lang: str | None
) -> list[TestFailure]:
    record = rulebook.record_type
    names = [c.name for c in record.columns]
    data: dict[str, list[object]] = {"_row": list(range(1, len(cases) + 1))}
    for i, name in enumerate(names):
        data[f"c{i}"] = [case.record.get(name, "") for case in cases]
    key = record.key
    key_index = names.index(key)
    for row, case in enumerate(cases, start=1):
        if not case.record.get(key):
            data[f"c{key_index}"][row - 1] = f"test-{row}"
    mapping: dict[str, str | None] = {name: f"c{i}" for i, name in enumerate(names)}
    table = pa.table(
        data,
        schema=pa.schema(
            [("_row", pa.int64())] + [(f"c{i}", pa.string()) for i in range(len(names))]
        ),
    )
    engine = open_engine("duckdb")
    try:
        engine.load("nz_raw", table.to_reader())
        raw = engine.table("nz_raw")
        duplicates = engine.materialize("nz_dups", duplicate_keys(raw, mapping, rulebook))
        validated = validate(raw, mapping, rulebook, as_of, duplicates)
        screened = engine.materialize("nz_screened", screened_table(validated, rulebook, as_of))
        findings = engine.to_arrow(findings_expr(screened, rulebook, as_of, lang=lang)).to_pylist()
        rejects = engine.to_arrow(rejects_expr(screened, raw, mapping, rulebook, [])).to_pylist()
    finally:
        engine.close()
    by_id: dict[str, list[dict[str, object]]] = defaultdict(list)
    for finding in findings:
        by_id[str(finding["record_id"])].append(finding)
    rejects_by_row: dict[int, list[dict[str, object]]] = defaultdict(list)
    for reject in rejects:
        rejects_by_row[int(reject["row"])].append(reject)
    failures: list[TestFailure] = []
    for row, case in enumerate(cases, start=1):
        record_id = str(data[f"c{key_index}"][row - 1]).strip()
        problems = _compare(
            case,
            by_id.get(record_id, []) if not rejects_by_row.get(row) else [],
            rejects_by_row.get(row, []),
        )
        if problems:
            failures.append(TestFailure(case, tuple(problems)))
    return failures


def run_rulebook_tests(rulebook: Rulebook) -> TestRun:
    """Screen every test case of `rulebook` and compare with what it expects."""
    groups: dict[tuple[dt.date | None, str | None], list[TestCase]] = defaultdict(list)
    for case in rulebook.tests:
        groups[(case.as_of, case.lang)].append(case)
    failures: list[TestFailure] = []
    for (as_of, lang), cases in groups.items():
        failures += _run_group(rulebook, cases, as_of, lang)
    return TestRun(len(rulebook.tests) - len(failures), tuple(failures))
