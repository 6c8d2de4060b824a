"""Build the rulebook's own tests (records, evaluation date, expected findings) from `tests/`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from nadzor.rules._build_meta import choices_text
from nadzor.rules._context import BuildContext
from nadzor.rules._files import ExpectFile, TestCaseFile, TestsFile
from nadzor.rules._model import ExpectedFinding, RecordType, Rule, TestCase
from nadzor.rules._outcomes import DEFAULT_OUTCOMES, OutcomeDef

__all__ = ["build_tests", "value_text"]


def value_text(value: Any) -> str:
    """A YAML value as a register file would carry it (dates ISO, lists `;`-joined)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ";".join(value_text(v) for v in value)
    return str(value)


def _expected(
    ctx: BuildContext,
    file: str,
    line: int,
    case: TestCaseFile,
    rules: Mapping[str, Rule],
    where: tuple[Any, int, Sequence[str]],
) -> tuple[ExpectedFinding, ...] | None:
    if case.expect is None:
        return None
    case_tree, case_index, words = where
    found: list[ExpectedFinding] = []
    for index, item in enumerate(case.expect):
        spec = ExpectFile(rule=item) if isinstance(item, str) else item
        if spec.outcome is not None and spec.outcome not in words:
            item_tree = case_tree["expect"][index]
            ctx.add(
                file,
                item_tree.key_lines["outcome"],
                f"cases[{case_index}].expect[{index}].outcome: Input should be {choices_text(words)}",
            )
            continue
        rule = rules.get(spec.rule)
        if rule is None:
            ctx.add(file, line, f"test {case.name!r}: unknown rule {spec.rule!r}")
            continue
        outcome = spec.outcome or rule.outcome
        if outcome not in rule.outcomes:
            ctx.add(
                file,
                line,
                f"test {case.name!r}: rule {spec.rule} gives {' or '.join(rule.outcomes)}, not {outcome}",
            )
        check_until = not isinstance(item, str) and "until" in item.model_fields_set
        found.append(
            ExpectedFinding(
                spec.rule,
                outcome,
                spec.until,
                check_until,
                tuple(spec.explain_contains),
                check_outcome=spec.outcome is not None,
            )
        )
    return tuple(found)


def build_tests(
    ctx: BuildContext,
    file: str,
    spec: TestsFile,
    tree: Any,
    record: RecordType,
    rules: Mapping[str, Rule],
    outcomes: Sequence[OutcomeDef] = DEFAULT_OUTCOMES,
    separate: bool = False,
    languages: Sequence[str] = ("en",),
) -> list[TestCase]:
    words = [o.id for o in outcomes]
    columns = {c.name for c in record.columns}
    for name in spec.defaults:
        if name not in columns:
            ctx.add(file, tree["defaults"].key_lines[name], f"defaults: unknown column {name!r}")
    cases: list[TestCase] = []
    for index, (case, line) in enumerate(zip(spec.cases, tree["cases"].item_lines, strict=True)):
        merged = {**spec.defaults, **case.record}
        for name in case.record:
            if name not in columns:
                ctx.add(file, line, f"test {case.name!r}: unknown column {name!r}")
        if case.expect is None and case.reject is None:
            ctx.add(
                file, line, f"test {case.name!r}: give `expect` (findings) or `reject` (columns)"
            )
        for name in case.reject or []:
            if name not in columns and name != "*":
                ctx.add(file, line, f"test {case.name!r}: reject names unknown column {name!r}")
        as_of = case.as_of or spec.as_of
        if separate and as_of is None:
            ctx.add(
                file,
                line,
                f"test {case.name!r}: give `as_of` (the judgment day), on the case or the file",
            )
        if case.lang is not None and case.lang not in languages:
            ctx.add(file, line, f"test {case.name!r}: language {case.lang!r} is not declared")
        cases.append(
            TestCase(
                name=case.name,
                file=file,
                line=line,
                as_of=as_of,
                lang=case.lang,
                record={k: value_text(v) for k, v in merged.items() if k in columns},
                expect=_expected(
                    ctx, file, line, case, rules, (tree["cases"][index], index, words)
                ),
                reject=tuple(case.reject) if case.reject is not None else None,
            )
        )
    return cases
