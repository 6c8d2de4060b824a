"""Validate a raw register inside the engine: typed values plus one error per (row, column).

The result has, for every record-type column `c`, the typed value `c` and its error
`_e_c` (null when fine), and `_ok` when the row has no error at all. Checks that compare
two fields run only when both parse, because a comparison with a null is false.

The work is split into stages (trim, parse, range and required, cross-row and
cross-field checks) that each read the previous stage's columns by name: composing the
expressions instead would repeat each one wherever it is used, and the SQL would grow
exponentially.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import replace
from typing import Any

import ibis
import ibis.expr.types as ir

from nadzor.rules import Rulebook, record_names
from nadzor.screening._calendar_checks import calendar_errors
from nadzor.screening._compile import Scope, compile_expr
from nadzor.screening._days import Days
from nadzor.screening._format import format_template
from nadzor.screening._values import (
    date_parts,
    parse_column,
    prepare,
    range_error,
    stage_text,
    value_error,
)

__all__ = ["duplicate_keys", "error_column", "script_column", "typed_values", "validate"]

_NULL_TEXT = ibis.null("string")


def error_column(name: str) -> str:
    return f"_e_{name}"


def script_column(name: str) -> str:
    return f"_s_{name}"


def _period_error(rulebook: Rulebook, day: Any, as_of: dt.date | None) -> ir.StringValue:
    """A law date outside the rulebook; judged on a separate day, also one after that day."""
    shown = day.strftime("%Y-%m-%d")
    # a rulebook judged on its law date calls it the evaluation date, as it always has
    what = "law date " if rulebook.judgment == "separate" else "evaluation date "
    before = ibis.literal(what).concat(
        shown, f" is before rulebook {rulebook.id} ({rulebook.period_text})"
    )
    cases: list[tuple[Any, Any]] = [(day < rulebook.in_force_from, before)]
    if rulebook.in_force_to is not None:
        after = ibis.literal(what).concat(
            shown, f" is after rulebook {rulebook.id} ({rulebook.period_text})"
        )
        cases.append((day > rulebook.in_force_to, after))
    if rulebook.judgment == "separate" and as_of is not None:
        late = ibis.literal(f"{rulebook.record_type.law_date} ").concat(
            shown, f" is after the judgment day {as_of.isoformat()}"
        )
        cases.append((day > as_of, late))
    return ibis.cases(*cases, else_=_NULL_TEXT)


def _stage_text(raw: ir.Table, mapping: Mapping[str, str | None], rulebook: Rulebook) -> ir.Table:
    cols: dict[str, Any] = {"_row": raw["_row"], "_shape": raw["_shape"]}
    for col in rulebook.record_type.columns:
        source = mapping.get(col.name)
        if source:
            for suffix, expr in stage_text(raw[source], col).items():
                cols[f"_{suffix}_{col.name}"] = expr
    return raw.select(**cols)


def _stage_parts(texts: ir.Table, rulebook: Rulebook) -> ir.Table:
    """Year, month and day of each date text as columns of their own: the parse reads each
    several times, and would otherwise repeat the text's rewrite and its test."""
    cols: dict[str, Any] = {}
    for col in rulebook.record_type.columns:
        name = f"_t_{col.name}"
        formed = f"_dformed_{col.name}"
        if col.type == "date" and formed in texts.columns:
            for part, expr in date_parts(texts[name], texts[formed]).items():
                if part != "formed":
                    cols[f"_d{part}_{col.name}"] = expr
    return texts.mutate(**cols) if cols else texts


def _column(table: ir.Table, name: str) -> ir.Value | None:
    return table[name] if name in table.columns else None


def _stage_parse(texts: ir.Table, rulebook: Rulebook) -> ir.Table:
    record = rulebook.record_type
    cols: dict[str, Any] = {"_row": texts["_row"], "_shape": texts["_shape"]}
    for col in record.columns:
        parts = None
        if f"_dformed_{col.name}" in texts.columns:
            parts = {p: texts[f"_d{p}_{col.name}"] for p in ("formed", "year", "month", "day")}
        parsed = parse_column(
            _column(texts, f"_t_{col.name}"),
            col,
            record.date_min,
            record.date_max,
            parts,
            record,
            _column(texts, f"_i_{col.name}"),
        )
        cols[f"_p_{col.name}"] = parsed.value
        if parsed.error is not None:
            cols[f"_fe_{col.name}"] = parsed.error
        # what `value_error` reads in the next stage
        for kept in (f"_t_{col.name}", f"_i_{col.name}", f"_dformed_{col.name}"):
            if kept in texts.columns and col.type in _CHECKED_LATER:
                cols[kept] = texts[kept]
    return texts.select(**cols)


# column types whose errors read the parsed value (see `value_error`)
_CHECKED_LATER = ("bool", "enum", "list<date>", "date")


def _stage_values(parsed: ir.Table, rulebook: Rulebook) -> ir.Table:
    record = rulebook.record_type
    cols: dict[str, Any] = {"_row": parsed["_row"], "_shape": parsed["_shape"]}
    for col in record.columns:
        candidate = parsed[f"_p_{col.name}"]
        late, script = value_error(
            candidate,
            _column(parsed, f"_t_{col.name}"),
            _column(parsed, f"_i_{col.name}"),
            col,
            record.date_min,
            record.date_max,
            record,
            _column(parsed, f"_dformed_{col.name}"),
        )
        error = late if late is not None else _column(parsed, f"_fe_{col.name}")
        outside = range_error(candidate, col, record.date_min, record.date_max)
        if col.required:
            missing = ibis.ifelse(candidate.isnull(), "required value missing", _NULL_TEXT)
            outside = missing if outside is None else outside.fill_null(missing)
        if outside is not None:
            error = outside if error is None else error.fill_null(outside)
        cols[f"_e1_{col.name}"] = _NULL_TEXT if error is None else error
        cols[col.name] = candidate
        if script is not None:
            cols[script_column(col.name)] = script
    return parsed.select(**cols)


def _stage_values_clean(values: ir.Table, rulebook: Rulebook) -> ir.Table:
    """Values in error become null, so that no check or rule ever reads them."""
    keep = [c for c in values.columns if not c.startswith("_e1_")]
    cols: dict[str, Any] = {name: values[name] for name in keep}
    for col in rulebook.record_type.columns:
        error = values[f"_e1_{col.name}"]
        cols[col.name] = ibis.ifelse(
            error.isnull(), values[col.name], ibis.null(values[col.name].type())
        )
        cols[f"_e1_{col.name}"] = error
    return values.select(**cols)


def _stage_checks(values: ir.Table, rulebook: Rulebook, as_of: dt.date | None) -> ir.Table:
    record = rulebook.record_type
    errors: dict[str, Any] = {c.name: values[f"_e1_{c.name}"] for c in record.columns}
    days = Days(rulebook, as_of)
    day = days.judged(values)
    if days.law_fixed is None:
        errors[record.law_date] = errors[record.law_date].fill_null(
            _period_error(rulebook, values[record.law_date], as_of)
        )
    first = values["_first"]
    duplicate = ibis.ifelse(
        first.notnull() & (first != values["_row"]),
        ibis.literal(f"duplicate {record.key}: first seen in row ").concat(first.cast("string")),
        _NULL_TEXT,
    )
    errors[record.key] = errors[record.key].fill_null(duplicate)
    scope = Scope(
        columns={c.name: values[c.name] for c in record.columns},
        types={c.name: c.value_type for c in record.columns},
        eval_date=day,
        law_day=days.law(values),
    )
    names = record_names(record)
    for check in record.checks:
        fires = compile_expr(check.error_when.tree, scope)
        message = format_template(check.message, scope, names)
        errors[check.column] = errors[check.column].fill_null(
            ibis.ifelse(fires, message, _NULL_TEXT)
        )
    for column, error in calendar_errors(rulebook, scope):
        errors[column] = errors[column].fill_null(error)
    cols: dict[str, Any] = {
        name: values[name]
        for name in values.columns
        if not name.startswith("_e1_") and name not in ("_first", "_k")
    }
    cols.update({error_column(n): e for n, e in errors.items()})
    return values.select(**cols)


def duplicate_keys(
    raw: ir.Table, mapping: Mapping[str, str | None], rulebook: Rulebook
) -> ir.Table:
    """`_k`, `_first`: each key that occurs more than once, with the row of its first occurrence.

    Rows rejected for their shape are in `raw` too (flag `_shape`, key only), so that "the
    first occurrence wins even if it was itself rejected" holds for them as well. This
    table is small; joining it is far cheaper than a window over every key.
    """
    record = rulebook.record_type
    source = mapping[record.key]
    assert source is not None, "the key column is required"
    keys = raw.select(_row=raw["_row"], _k=prepare(raw[source], record.column(record.key)))
    keys = keys.filter(keys["_k"].notnull())
    grouped = keys.group_by("_k").aggregate(_first=keys["_row"].min(), _n=keys["_row"].count())
    return grouped.filter(grouped["_n"] > 1).select("_k", "_first")


def _with_first(values: ir.Table, duplicates: ir.Table, key: str) -> ir.Table:
    joined = values.left_join(duplicates, values[key] == duplicates["_k"])
    return joined.select(*values.columns, _first=joined["_first"])


def typed_values(
    raw: ir.Table,
    mapping: Mapping[str, str | None],
    rulebook: Rulebook,
    only: Collection[str] | None = None,
) -> ir.Table:
    """Every raw row with its typed values (null where in error) and script columns, before
    the checks across rows and fields: what counts over all rows read, without the join.

    `only`: the record columns wanted (each is parsed on its own); fewer columns make a
    shorter query, which the engine plans faster."""
    if only is not None:
        record = rulebook.record_type
        kept = tuple(c for c in record.columns if c.name in only)
        rulebook = replace(rulebook, record_type=replace(record, columns=kept, checks=()))
    texts = _stage_parts(_stage_text(raw, mapping, rulebook), rulebook)
    return _stage_values_clean(_stage_values(_stage_parse(texts, rulebook), rulebook), rulebook)


def validate(
    raw: ir.Table,
    mapping: Mapping[str, str | None],
    rulebook: Rulebook,
    as_of: dt.date | None,
    duplicates: ir.Table,
) -> ir.Table:
    """Typed values, `_e_*` errors and `_ok` for every raw row (see module doc).

    `duplicates` is `duplicate_keys(raw, ...)`, materialised by the caller.
    """
    values = typed_values(raw, mapping, rulebook)
    staged = _stage_checks(
        _with_first(values, duplicates, rulebook.record_type.key), rulebook, as_of
    )
    ok = ~staged["_shape"]
    for col in rulebook.record_type.columns:
        ok &= staged[error_column(col.name)].isnull()
    return staged.mutate(_ok=ok)
