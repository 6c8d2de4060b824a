"""Parameters as Ibis expressions: the value in force on each record's evaluation date."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ibis
import ibis.expr.types as ir

from nadzor.rules import KeyCondition, Parameter, Period
from nadzor.screening._calendar import calendar_table
from nadzor.screening._compile import Scope, compile_expr, ibis_type

__all__ = ["compile_parameter", "in_period"]


def in_period(period: Period, day: ir.DateValue) -> ir.BooleanValue:
    covered = day >= ibis.literal(period.start, type="date")
    if period.end is not None:
        covered &= day <= ibis.literal(period.end, type="date")
    return covered


def _literal(value: object, typ: str) -> ir.Value:
    if isinstance(value, tuple):
        return ibis.literal(list(value), type=ibis_type(typ))
    return ibis.literal(value, type=ibis_type(typ))


def _matches(cond: KeyCondition, key: Any) -> ir.BooleanValue:
    if cond.equals is not None:
        return (key == cond.equals).fill_null(False)
    result = ibis.literal(True)
    if cond.min is not None:
        result &= key >= cond.min
    if cond.max is not None:
        result &= key <= cond.max
    return result.fill_null(False)


def _known_day(scope: Scope) -> dt.date | None:
    """The law day when it is one fixed day for all records (`--as-of`)."""
    op = scope.law.op()
    value = getattr(op, "value", None)
    return value if isinstance(value, dt.date) else None


def compile_parameter(param: Parameter, scope: Scope) -> Any:
    """A CASE over the parameter's periods (and table rows) on the law day; a calendar
    is the whole calendar, for the working-day functions."""
    if param.type == "calendar":
        return calendar_table(param)
    day = _known_day(scope)
    periods = param.periods
    if day is not None:
        # One evaluation date for every record: pick the period now, not per row.
        periods = tuple(p for p in periods if p.covers(day))
    keys = {name: compile_expr(expr.tree, scope) for name, expr in param.keys}
    null = ibis.null(ibis_type(param.type))
    # One CASE over the periods, each holding a CASE over its table's rows: the period's
    # test is written once, not once per row. The periods of a parameter never overlap
    # (the rulebook check refuses it), so the first period covering the day is the only one.
    cases: list[tuple[ir.BooleanValue, ir.Value]] = []
    for period in periods:
        if period.table is None:
            value = _literal(period.value, param.type)
            if len(param.periods) == 1 or day is not None:
                return value
        else:
            rows: list[tuple[ir.BooleanValue, ir.Value]] = []
            for row in period.table:
                conds = [_matches(key_cond, keys[key_cond.key]) for key_cond in row.conditions]
                cond = ibis.and_(*conds) if conds else ibis.literal(True)
                rows.append((cond, _literal(row.value, param.type)))
            value = ibis.cases(*rows, else_=null) if rows else null
            if day is not None:
                return value
        cases.append((in_period(period, scope.law), value))
    if not cases:
        return null
    return ibis.cases(*cases, else_=null)
