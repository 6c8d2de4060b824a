"""The three outputs as Ibis expressions over the screened table: findings, rejects, summary.

Column names and order are the contract of screening.md; the findings schema is the stable
data type that cases are built from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import ibis
import ibis.expr.types as ir

from nadzor.rules import Rulebook
from nadzor.screening._days import Days
from nadzor.screening._rules_table import eval_day, finding_branches, rule_columns
from nadzor.screening._schemas import (
    FINDINGS_SCHEMA,
    REJECTS_SCHEMA,
    SUMMARY_SCHEMA,
    findings_schema,
    summary_schema,
)
from nadzor.screening._source import StructuralReject
from nadzor.screening._validate import error_column, script_column

__all__ = [
    "FINDINGS_SCHEMA",
    "REJECTS_SCHEMA",
    "SUMMARY_SCHEMA",
    "findings_expr",
    "findings_schema",
    "rejects_expr",
    "stats_expr",
    "summary_expr",
    "summary_schema",
    "totals_columns",
    "totals_expr",
    "with_output",
]


def findings_expr(
    screened: ir.Table,
    rulebook: Rulebook,
    as_of: dt.date | None,
    *,
    ordered: bool = True,
    lang: str | None = None,
) -> ir.Table:
    """Findings in register order and rule order, or in no set order (`ordered=False`):
    the contract leaves row order open, and sorting millions of long rows is costly.
    Explanations are in `lang` where the rulebook gives it, else in English."""
    schema = findings_schema(rulebook)
    branches = finding_branches(screened, rulebook, as_of, lang)
    if not branches:
        return ibis.memtable(schema.empty_table())
    union = ibis.union(*branches) if len(branches) > 1 else branches[0]
    if ordered:
        union = union.order_by(["_row", "_rule"])
    return union.select(*schema.names)


def rejects_expr(
    screened: ir.Table,
    raw: ir.Table,
    mapping: Mapping[str, str | None],
    rulebook: Rulebook,
    structural: Sequence[StructuralReject] | ir.Table,
    *,
    holds_nul: bool = True,
) -> ir.Table:
    """One row per (row, column) in error, with the value as read; in row order.

    `holds_nul`: whether the engine's text may hold a NUL character at all (PostgreSQL's
    cannot, and refuses one even in a literal)."""
    record = rulebook.record_type
    bad = screened.filter(~screened["_ok"] & ~screened["_shape"]).select(
        "_row", *[error_column(c.name) for c in record.columns]
    )
    joined = bad.join(raw, bad["_row"] == raw["_row"])
    key_raw = mapping[record.key]
    parts: list[ir.Table] = []
    for order, col in enumerate(record.columns):
        source = mapping.get(col.name)
        err = joined[error_column(col.name)]
        value = joined[source].cast("string") if source else ibis.literal("", type="string")
        if holds_nul:
            # A NUL never leaves for an output (the engines and PostgreSQL stop at it).
            value = value.replace("\x00", "\u2400")
        parts.append(
            joined.filter(err.notnull()).select(
                row=joined["_row"],
                record_id=joined[key_raw].cast("string").fill_null("")
                if key_raw
                else ibis.literal(""),
                column=ibis.literal(col.name, type="string"),
                value=value.fill_null(""),
                error=err,
                _order=ibis.literal(order + 1, type="int32"),
            )
        )
    if isinstance(structural, ir.Table):
        parts.append(
            structural.select(
                row=structural["_row"],
                record_id=structural["record_id"].cast("string"),
                column=structural["column"].cast("string"),
                value=structural["value"].cast("string"),
                error=structural["error"].cast("string"),
                _order=ibis.literal(0, type="int32"),
            )
        )
    elif structural:
        shape = ibis.memtable(
            {
                "row": [r.row for r in structural],
                "record_id": [r.record_id for r in structural],
                "column": [r.column for r in structural],
                "value": [r.value for r in structural],
                "error": [r.error for r in structural],
                "_order": [0] * len(structural),
            },
            schema={
                "row": "int64",
                "record_id": "string",
                "column": "string",
                "value": "string",
                "error": "string",
                "_order": "int32",
            },
        )
        parts.append(shape)
    union = ibis.union(*parts) if len(parts) > 1 else parts[0]
    return union.order_by(["row", "_order"]).select(*REJECTS_SCHEMA.names)


def summary_expr(screened: ir.Table, rulebook: Rulebook, as_of: dt.date | None) -> ir.Table:
    """One row per screened record: verdict and the sorted `;`-joined rule ids."""
    ok = screened.filter(screened["_ok"])
    ids: Any = ibis.literal("")
    for cols in sorted(rule_columns(rulebook), key=lambda c: c.rule.id):
        ids = ids.concat(ibis.ifelse(ok[cols.flag], ";" + cols.rule.id, ""))
    columns: dict[str, Any] = {
        "record_id": ok[rulebook.record_type.key].cast("string"),
        "verdict": ok["_verdict"],
        "rule_ids": ids.substr(1),
    }
    if rulebook.judgment == "separate":
        columns["as_of"] = eval_day(ok, rulebook, as_of)
    return ok.order_by("_row").select(**columns)


def with_output(screened: ir.Table, rulebook: Rulebook) -> ir.Table:
    """The rows that findings, rejects and the counts read: rows in error and rows a rule
    fires on. A screened row with no rule firing is clear and adds nothing to them."""
    keep = ~screened["_ok"]
    for cols in rule_columns(rulebook):
        keep |= screened[cols.flag]
    return screened.filter(keep)


def stats_expr(screened: ir.Table, rulebook: Rulebook) -> ir.Table:
    """Counts of rejected rows, verdicts and rules, in one aggregate over the screened
    table, or over `with_output(screened)`: rows left out of it count in none of them.
    The counts that need every row come from `totals_expr`."""
    verdict = screened["_verdict"]
    ok = screened["_ok"]
    metrics: dict[str, Any] = {"rejected": (~ok & ~screened["_shape"]).sum()}
    for declared in rulebook.verdicts[:-1]:
        metrics[f"verdict:{declared.id}"] = (ok & (verdict == declared.id)).sum()
    for cols in rule_columns(rulebook):
        metrics[cols.rule.id] = screened[cols.flag].sum()
    return screened.aggregate(**metrics)


def totals_columns(rulebook: Rulebook) -> set[str]:
    """The record columns `totals_expr` reads: the law date and those that warn about mixed
    scripts."""
    record = rulebook.record_type
    return {record.law_date} | {c.name for c in record.columns if c.warn_if_mixed_scripts}


def totals_expr(values: ir.Table, rulebook: Rulebook, as_of: dt.date | None) -> ir.Table:
    """Counts over every row that need no rule and no check: rows, the latest evaluation
    date and the Cyrillic/Latin mix of the columns that warn about it, over
    `typed_values(raw)`. The engine reads only the few columns these need."""
    metrics: dict[str, Any] = {"rows": (~values["_shape"]).sum()}
    days = Days(rulebook, as_of)
    if days.law_fixed is None:
        metrics["max_day"] = days.law(values).max()
    for col in rulebook.record_type.columns:
        if col.warn_if_mixed_scripts and script_column(col.name) in values.columns:
            script = values[script_column(col.name)]
            metrics[f"cyrillic:{col.name}"] = (script == "cyrillic").fill_null(False).sum()
            metrics[f"latin:{col.name}"] = (script == "latin").fill_null(False).sum()
    return values.aggregate(**metrics)
