"""Build the record type (columns, value forms, row checks) from `record.yaml`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from nadzor.rules._context import BuildContext
from nadzor.rules._expr_types import NameInfo
from nadzor.rules._files import CheckFile, ColumnFile, RecordTypeFile
from nadzor.rules._model import Ask, Check, Column, RecordType
from nadzor.rules._names import AS_OF, EVAL_DATE

__all__ = ["DEFAULT_FALSE", "DEFAULT_TRUE", "build_record_type", "field_names"]

#: The yes/no spellings of the register contract, unless a record type changes them.
DEFAULT_TRUE: tuple[str, ...] = ("true", "1", "yes", "y", "да", "д")
DEFAULT_FALSE: tuple[str, ...] = ("false", "0", "no", "n", "нет", "н")


def _enum_values(
    ctx: BuildContext, file: str, line: int, spec: ColumnFile
) -> dict[str, tuple[str, ...]] | None:
    if spec.type != "enum":
        if spec.values is not None:
            ctx.add(file, line, f"column {spec.name}: `values` is only for enum columns")
        return None
    if not spec.values:
        ctx.add(file, line, f"column {spec.name}: an enum needs `values`")
        return None
    values = {canon: (canon, *aliases) for canon, aliases in spec.values.items()}
    seen: dict[str, str] = {}
    for canon, spellings in values.items():
        for spelling in spellings:
            key = spelling.casefold()
            if key in seen and seen[key] != canon:
                ctx.add(
                    file,
                    line,
                    f"column {spec.name}: {spelling!r} is given for both {seen[key]} and {canon}",
                )
            seen[key] = canon
    return values


def _check_bounds(ctx: BuildContext, file: str, tree: Any, spec: ColumnFile) -> None:
    if (spec.min is not None or spec.max is not None) and spec.type not in ("int", "decimal"):
        ctx.add(file, tree.line, f"column {spec.name}: `min`/`max` are only for int columns")
    elif spec.type == "int" and any(isinstance(b, float) for b in (spec.min, spec.max)):
        ctx.add(file, tree.line, f"column {spec.name}: `min`/`max` of an int column are whole")
    elif spec.min is not None and spec.max is not None and spec.min > spec.max:
        line = tree.key_lines["max"]
        ctx.add(
            file, line, f"column {spec.name}: `min` ({spec.min}) is greater than `max` ({spec.max})"
        )


def _column(ctx: BuildContext, file: str, tree: Any, spec: ColumnFile) -> Column:
    line = tree.line
    if spec.name in (EVAL_DATE, AS_OF):
        # expressions would silently see the evaluation date instead of this column
        what = "evaluation date" if spec.name == EVAL_DATE else "judgment day"
        ctx.add(
            file,
            tree.key_lines["name"],
            f"column {spec.name}: the name is reserved for the {what}",
        )
    values = _enum_values(ctx, file, line, spec)
    _check_bounds(ctx, file, tree, spec)
    if spec.pattern is not None:
        if spec.type not in ("text", "list<text>"):
            ctx.add(
                file, line, f"column {spec.name}: `pattern` is only for text and list<text> columns"
            )
        try:
            re.compile(spec.pattern)
        except re.error as exc:
            ctx.add(file, line, f"column {spec.name}: invalid pattern: {exc}")
    return Column(
        name=spec.name,
        type=spec.type,
        required=spec.required,
        description=spec.description,
        values=values,
        min=spec.min,
        max=spec.max,
        pattern=spec.pattern,
        pattern_error=spec.pattern_error,
        warn_if_mixed_scripts=spec.warn_if_mixed_scripts,
        reporting_only=spec.reporting_only,
    )


def _with_asks(
    ctx: BuildContext, file: str, columns: list[Column], spec: RecordTypeFile, tree: Any
) -> list[Column]:
    """The columns with how the self-check asks for them (`ask:`, keyed by column)."""
    by_name = {c.name: c for c in columns}
    for name, ask in spec.ask.items():
        line = tree["ask"].key_lines[name]
        column = by_name.get(name)
        if column is None:
            ctx.add(file, line, f"ask: unknown column {name!r}")
            continue
        choices = ask.choices or {}
        unknown = sorted(set(choices) - set(column.values or {}))
        if unknown:
            ctx.add(
                file, line, f"ask: {name}: no such value(s) of the column: {', '.join(unknown)}"
            )
        by_name[name] = replace(
            column,
            ask=Ask(
                question=dict(ask.question),
                help=dict(ask.help) if ask.help else None,
                choices={k: dict(v) for k, v in choices.items()} or None,
            ),
        )
    return [by_name[c.name] for c in columns]


def field_names(record: RecordType) -> dict[str, NameInfo]:
    """Names of the record's fields (and `eval_date`) as expressions see them."""
    names = {
        col.name: NameInfo(
            col.value_type, "field", frozenset(col.values) if col.values is not None else None
        )
        for col in record.columns
    }
    names[EVAL_DATE] = NameInfo("date", "builtin")
    names[AS_OF] = NameInfo("date", "builtin")
    return names


def _checks(
    ctx: BuildContext, file: str, record: RecordType, specs: list[CheckFile], tree: Any
) -> list[Check]:
    """Row checks; an error in `error_when` or `message` is reported on that key's line."""
    names = field_names(record)
    columns = {c.name for c in record.columns}
    checks: list[Check] = []
    for check, ctree in zip(specs, tree["checks"] if specs else [], strict=True):
        line = ctree.line
        if check.column not in columns:
            ctx.add(file, line, f"check: unknown column {check.column!r}")
        when_line, message_line = ctree.key_lines["error_when"], ctree.key_lines["message"]
        cond = ctx.expr(check.error_when, names, "bool", file, when_line, "check error_when")
        message = ctx.template(check.message, names, file, message_line, "check message")
        if cond is not None and message is not None:
            checks.append(Check(check.column, cond, message, line))
    return checks


def _check_date_range(ctx: BuildContext, file: str, spec: RecordTypeFile, tree: Any) -> None:
    low, high = spec.date_range.min, spec.date_range.max
    if high < low:
        line = tree["date_range"].key_lines["max"]
        ctx.add(file, line, f"date_range: `max` ({high}) is before `min` ({low})")


def build_record_type(
    ctx: BuildContext, file: str, spec: RecordTypeFile, tree: Any
) -> RecordType | None:
    columns: list[Column] = []
    seen: set[str] = set()
    for spec_col, col_tree in zip(spec.columns, tree["columns"], strict=True):
        if spec_col.name in seen:
            ctx.add(file, col_tree.line, f"column {spec_col.name} is declared twice")
        seen.add(spec_col.name)
        columns.append(_column(ctx, file, col_tree, spec_col))
    _check_date_range(ctx, file, spec, tree)
    columns = _with_asks(ctx, file, columns, spec, tree)
    by_name = {c.name: c for c in columns}
    law_role = "law_date" if spec.law_date is not None else "evaluation_date"
    law_date = spec.law_date or spec.evaluation_date or ""
    if spec.law_date is not None and spec.evaluation_date is not None:
        ctx.add(
            file, tree.key_lines["evaluation_date"], "give law_date or evaluation_date, not both"
        )
    elif not law_date:
        ctx.add(file, tree.line, "law_date: Field required")
    roles = [("key", spec.key)] + ([(law_role, law_date)] if law_date else [])
    for role, name in roles:
        if name not in by_name:
            ctx.add(file, tree.key_lines[role], f"{role}: unknown column {name!r}")
        elif not by_name[name].required:
            ctx.add(file, tree.key_lines[role], f"{role}: column {name} must be required")
    if law_date in by_name and by_name[law_date].type != "date":
        ctx.add(file, tree.key_lines[law_role], f"{law_role}: column {law_date} is not a date")
    true_spellings, false_spellings = _spellings(ctx, file, spec, tree)
    record = RecordType(
        name=spec.name,
        description=spec.description,
        key=spec.key,
        law_date=law_date,
        date_min=spec.date_range.min,
        date_max=spec.date_range.max,
        columns=tuple(columns),
        checks=(),
        true_spellings=true_spellings,
        false_spellings=false_spellings,
        languages=tuple(spec.languages) if spec.languages is not None else ("ru",),
    )
    checks = _checks(ctx, file, record, spec.checks, tree)
    return RecordType(**{**record.__dict__, "checks": tuple(checks)})


def _spellings(
    ctx: BuildContext, file: str, spec: RecordTypeFile, tree: Any
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Yes/no spellings, lower case; one spelling cannot mean both."""
    given = spec.spellings
    if given is None:
        return DEFAULT_TRUE, DEFAULT_FALSE
    base_true, base_false = (DEFAULT_TRUE, DEFAULT_FALSE) if given.keep_defaults else ((), ())
    true, false = _paired(
        (base_true, base_false),
        (
            [s.strip().lower() for s in given.true_values],
            [s.strip().lower() for s in given.false_values],
        ),
    )
    line = tree["spellings"].line
    for word in sorted(set(true) & set(false)):
        ctx.add(file, line, f"spellings: {word!r} is given for both true and false")
    if not true or not false or "" in true or "" in false:
        ctx.add(
            file, line, "spellings: give at least one non-empty spelling for true and for false"
        )
    return true, false


def _paired(
    base: tuple[Sequence[str], Sequence[str]], given: tuple[Sequence[str], Sequence[str]]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The spellings with the given ones added, yes and no kept in pairs at the same place
    (`т/н` after `так/ні`, even though `н` is a default too), so that a message can say
    `так/ні or т/н`. A spelling may then repeat on one side; a pair already there is not
    added again."""
    true, false = list(base[0]), list(base[1])
    known = set(zip(true, false, strict=False))
    for yes, no in zip(*given, strict=False):
        if (yes, no) not in known:
            true.append(yes)
            false.append(no)
            known.add((yes, no))
    paired = min(len(given[0]), len(given[1]))
    true += [s for s in given[0][paired:] if s not in true]
    false += [s for s in given[1][paired:] if s not in false]
    return tuple(true), tuple(false)
