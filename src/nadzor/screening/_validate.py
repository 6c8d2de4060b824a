"""Validate a raw register inside the engine: typed values plus one error per (row, column).

The result has, for every record-type column `c`, the typed value `c` and its error
`_e_c` (null when fine), and `_ok` when the row has no error at all. Checks that compare
two fields run only when both parse, because a comparison with a null is false.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from nadzor.rules import Rulebook, record_names
from nadzor.screening._compile import Scope, compile_expr
from nadzor.screening._format import format_template
from nadzor.screening._values import ParsedColumn, parse_column

__all__ = ["error_column", "script_column", "validate"]

_NULL_TEXT = ibis.null("string")


def error_column(name: str) -> str:
    return f"_e_{name}"


def script_column(name: str) -> str:
    return f"_s_{name}"


def _period_error(rulebook: Rulebook, day: ir.DateValue) -> ir.StringValue:
    shown = day.strftime("%Y-%m-%d")
    before = ibis.literal("evaluation date ").concat(
        shown, f" is before rulebook {rulebook.id} ({rulebook.period_text})"
    )
    cases: list[tuple[Any, Any]] = [(day < rulebook.in_force_from, before)]
    if rulebook.in_force_to is not None:
        after = ibis.literal("evaluation date ").concat(
            shown, f" is after rulebook {rulebook.id} ({rulebook.period_text})"
        )
        cases.append((day > rulebook.in_force_to, after))
    return ibis.cases(*cases, else_=_NULL_TEXT)  # type: ignore[no-any-return]


def validate(
    raw: ir.Table,
    mapping: Mapping[str, str | None],
    rulebook: Rulebook,
    as_of: dt.date | None,
) -> ir.Table:
    """Typed values, `_e_*` errors and `_ok` for every raw row (see module doc)."""
    record = rulebook.record_type
    parsed: dict[str, ParsedColumn] = {
        col.name: parse_column(
            raw[mapping[col.name]] if mapping.get(col.name) else None, col, record.date_min, record.date_max
        )
        for col in record.columns
    }
    values = {name: p.value for name, p in parsed.items()}
    errors: dict[str, Any] = {name: p.error for name, p in parsed.items()}
    for col in record.columns:
        if col.required:
            missing = ibis.ifelse(values[col.name].isnull(), "required value missing", _NULL_TEXT)
            errors[col.name] = errors[col.name].fill_null(missing)
    day = ibis.literal(as_of, type="date") if as_of else values[record.evaluation_date]
    if as_of is None:
        errors[record.evaluation_date] = errors[record.evaluation_date].fill_null(_period_error(rulebook, day))
    key = values[record.key]
    # Rows rejected for their shape are in `raw` too (flag `_shape`, key only), so that
    # "the first occurrence wins even if it was itself rejected" holds for them as well.
    first = raw["_row"].min().over(group_by=key)
    duplicate = ibis.ifelse(
        key.notnull() & (first != raw["_row"]),
        ibis.literal(f"duplicate {record.key}: first seen in row ").concat(first.cast("string")),
        _NULL_TEXT,
    )
    errors[record.key] = errors[record.key].fill_null(duplicate)
    types = {col.name: col.value_type for col in record.columns}
    scope = Scope(columns=values, types=types, eval_date=day)
    names = record_names(record)
    for check in record.checks:
        fires = compile_expr(check.error_when.tree, scope)
        message = format_template(check.message, scope, names)
        errors[check.column] = errors[check.column].fill_null(ibis.ifelse(fires, message, _NULL_TEXT))
    ok = ~raw["_shape"]
    for err in errors.values():
        ok &= err.isnull()
    columns: dict[str, Any] = {"_row": raw["_row"], "_shape": raw["_shape"]}
    columns.update(values)
    columns.update({error_column(n): e for n, e in errors.items()})
    columns.update({script_column(n): p.script for n, p in parsed.items() if p.script is not None})
    columns["_ok"] = ok
    return raw.select(**columns)
