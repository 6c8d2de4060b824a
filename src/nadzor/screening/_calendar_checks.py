"""Records a calendar cannot count: a date the working-day functions read lies outside the
calendar, or the day they compute does. Such a record is rejected with the reason, never
passed over as "no finding"."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ibis

from nadzor.rules import Rulebook
from nadzor.rules._expr_ast import Call, Expr, Name
from nadzor.rules._expr_types import CALENDAR_FUNCTIONS
from nadzor.rules._names import calls
from nadzor.screening._calendar import CalendarTable
from nadzor.screening._compile import Scope, compile_expr, format_date
from nadzor.screening._params import compile_parameter

__all__ = ["calendar_errors"]


def _trees(rulebook: Rulebook) -> Iterator[Expr]:
    for let in rulebook.lets:
        yield let.expr.tree
    for rule in rulebook.rules:
        for period in rule.periods:
            yield period.when.tree
            if period.until is not None:
                yield period.until.tree


def _sites(rulebook: Rulebook) -> list[Call]:
    seen: dict[str, Call] = {}
    for tree in _trees(rulebook):
        for call in calls(tree):
            if call.func in CALENDAR_FUNCTIONS:
                seen.setdefault(repr(call), call)
    return list(seen.values())


def calendar_errors(rulebook: Rulebook, scope: Scope) -> list[tuple[str, Any]]:
    """(column, error or null) for every working-day call over a record's dates."""
    params = {p.name: p for p in rulebook.parameters}
    lets = {let.name: let.expr.tree for let in rulebook.lets}
    if not any(p.type == "calendar" for p in params.values()):
        return []

    def define(name: str) -> Any:
        if name in params:
            return compile_parameter(params[name], scope)
        return compile_expr(lets[name], scope)

    scope.define = define
    found: list[tuple[str, Any]] = []
    for call in _sites(rulebook):
        table = compile_expr(call.args[-1], scope)
        assert isinstance(table, CalendarTable)
        span = f"calendar {table.name} ({table.first} to {table.last})"
        for position, arg in enumerate(call.args[:-1]):
            if call.func == "add_working_days" and position > 0:
                continue
            # a date read straight from the record: one derived through a let (a due day)
            # was counted by the call that made it, and is checked there
            if not isinstance(arg, Name) or arg.name not in scope.columns:
                continue
            column = arg.name
            day = compile_expr(arg, scope)
            if call.func == "add_working_days":
                amount = compile_expr(call.args[1], scope)
                result = table.add(day, amount)
                bad = day.notnull() & amount.notnull() & result.isnull()
                message = (
                    ibis.literal("")
                    .concat(format_date(day), " + ")
                    .concat(amount.cast("string"), f" working days is outside the {span}")
                )
            else:
                bad = day.notnull() & ((day < table.first) | (day > table.last))
                message = ibis.literal("").concat(format_date(day), f" is outside the {span}")
            found.append((column, ibis.ifelse(bad.fill_null(False), message, ibis.null("string"))))
    return found
