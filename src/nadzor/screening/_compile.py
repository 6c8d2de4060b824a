"""Compile type-checked rulebook expressions into Ibis expressions.

The compiled expression is the same for every engine: Ibis turns it into DuckDB or
PostgreSQL SQL. Null handling follows the register contract: an unrecorded bool is false,
an unrecorded list is empty, and a comparison with an unrecorded value is false. So every
boolean this module returns is non-null, and `not` never turns "unknown" into "true".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import ibis
import ibis.expr.types as ir

from nadzor.rules import EVAL_DATE, Expr
from nadzor.rules._expr_ast import (
    BinaryOp,
    BoolLit,
    BoolOp,
    Call,
    Compare,
    DateLit,
    Duration,
    IntLit,
    ListLit,
    Name,
    Neg,
    Not,
    TextLit,
)
from nadzor.rules._names import AS_OF

__all__ = [
    "Scope",
    "add_period",
    "age_on",
    "compile_expr",
    "format_date",
    "ibis_type",
    "join_items",
]


def format_date(day: Any) -> Any:
    """A date as YYYY-MM-DD text."""
    return day.strftime("%Y-%m-%d")


_IBIS_TYPES = {
    "bool": "boolean",
    "int": "int64",
    "decimal": "decimal(18, 6)",
    "text": "string",
    "date": "date",
    "list<date>": "array<date>",
    "list<text>": "array<string>",
    "list<int>": "array<int64>",
}


def ibis_type(typ: str) -> str:
    return _IBIS_TYPES.get(typ, "string")


def add_period(day: ir.DateValue, amount: ir.IntegerValue | int, unit: str) -> ir.DateValue:
    """`day` plus whole days, months or years; month ends clamp (31 Aug + 6 months = 28 Feb)."""
    code = {"days": "D", "months": "M", "years": "Y"}[unit]
    if isinstance(amount, int):
        interval = ibis.interval(**{unit: amount})
        return (day + interval).cast("date")
    return (day + amount.cast("int32").as_interval(code)).cast("date")


def age_on(birth: ir.DateValue, day: ir.DateValue) -> ir.IntegerValue:
    """Completed years on `day`; a 29 February birthday falls on 28 February in common years."""
    years = day.year() - birth.year()
    return years - ibis.ifelse(add_period(birth, years, "years") > day, 1, 0)


@dataclass
class Scope:
    """What names mean while compiling: columns, the evaluation date, parameters, lets."""

    columns: Mapping[str, ir.Value]
    types: Mapping[str, str]
    eval_date: ir.DateValue  # the judgment day: `eval_date` and `as_of` in expressions
    define: Callable[[str], ir.Value] | None = None  # parameters and lets, compiled lazily
    cache: dict[str, ir.Value] = field(default_factory=dict)
    law_day: ir.DateValue | None = None  # picks parameter values; the judgment day if None

    @property
    def law(self) -> ir.DateValue:
        return self.law_day if self.law_day is not None else self.eval_date

    def lookup(self, name: str) -> ir.Value:
        if name in (EVAL_DATE, AS_OF):
            return self.eval_date
        if name in self.cache:
            return self.cache[name]
        if name in self.columns:
            value = self.columns[name]
            if self.types.get(name) == "bool":
                value = value.fill_null(False)
        elif self.define is not None:
            value = self.define(name)
        else:
            raise KeyError(name)
        self.cache[name] = value
        return value


def _literal(node: IntLit | TextLit | DateLit | BoolLit) -> ir.Value:
    if isinstance(node, IntLit):
        return ibis.literal(node.value, type="int64")
    if isinstance(node, DateLit):
        return ibis.literal(node.value, type="date")
    if isinstance(node, BoolLit):
        return ibis.literal(node.value, type="boolean")
    return ibis.literal(node.value, type="string")


def _false_if_null(value: ir.BooleanValue) -> ir.BooleanValue:
    return value.fill_null(False)


class _Compiler:
    def __init__(self, scope: Scope) -> None:
        self._scope = scope

    def run(self, node: Expr) -> Any:
        if isinstance(node, IntLit | TextLit | DateLit | BoolLit):
            return _literal(node)
        if isinstance(node, ListLit):
            if not node.items:
                # An empty list has no item type; as a null list every function and
                # comparison already reads it as empty.
                return ibis.null("array<string>")
            return ibis.array([self.run(item) for item in node.items])
        if isinstance(node, Name):
            return self._scope.lookup(node.name)
        if isinstance(node, Neg):
            return -self.run(node.operand)
        if isinstance(node, Not):
            return ~self.run(node.operand)
        if isinstance(node, BoolOp):
            values = [self.run(op) for op in node.operands]
            result = values[0]
            for value in values[1:]:
                result = (result & value) if node.op == "and" else (result | value)
            return result
        if isinstance(node, Compare):
            return self._compare(node)
        if isinstance(node, BinaryOp):
            return self._arith(node)
        if isinstance(node, Call):
            return self._call(node)
        raise TypeError(f"a duration cannot stand alone: {node!r}")

    def _compare(self, node: Compare) -> ir.BooleanValue:
        left = self.run(node.left)
        right = self.run(node.right)
        if node.op in ("in", "not in"):
            if node.op == "in":
                return _false_if_null(right.contains(left))
            # Not in the list, for a recorded value: an unrecorded one compares false.
            return left.notnull() & ~_false_if_null(right.contains(left))
        ops: dict[str, Callable[[Any, Any], Any]] = {
            "==": lambda a, b: a == b,
            "!=": lambda a, b: a != b,
            "<": lambda a, b: a < b,
            "<=": lambda a, b: a <= b,
            ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b,
        }
        return _false_if_null(ops[node.op](left, right))

    def _arith(self, node: BinaryOp) -> Any:
        # The type checker allows date ± duration and duration + date; nothing else mixes.
        sign = -1 if node.op == "-" else 1
        if isinstance(node.right, Duration):
            return add_period(self.run(node.left), self._amount(node.right, sign), node.right.unit)
        if isinstance(node.left, Duration):
            return add_period(self.run(node.right), self._amount(node.left, 1), node.left.unit)
        left, right = self.run(node.left), self.run(node.right)
        if node.op == "*":
            return left * right
        if node.op == "/":
            # exact to six places on every engine; a zero divisor reads as not recorded
            quotient = left.cast("decimal(28, 12)") / right.nullif(0).cast("decimal(28, 12)")
            return quotient.cast("decimal(18, 6)")
        return left + right if node.op == "+" else left - right

    def _amount(self, duration: Duration, sign: int) -> Any:
        if isinstance(duration.amount, IntLit):
            return sign * duration.amount.value
        amount = self.run(duration.amount)
        return amount if sign > 0 else -amount

    def _call(self, node: Call) -> Any:
        args = node.args
        if node.func == "recorded":
            assert isinstance(args[0], Name)
            return self._scope.columns[args[0].name].notnull()
        if node.func == "round" and isinstance(args[1], IntLit):
            return self.run(args[0]).round(args[1].value)
        values = [self.run(arg) for arg in args]
        func = _FUNCTIONS[node.func]
        return func(self, values)

    def eval_date(self) -> ir.DateValue:
        return self._scope.eval_date


def _under(compiler: _Compiler, args: list[Any]) -> Any:
    dates, years = args
    day = compiler.eval_date()
    return dates.filter(lambda b: (b <= day) & (add_period(b, years, "years") > day)).sort()


def _youngest(_: _Compiler, args: list[Any]) -> Any:
    dates, k = args
    ordered = dates.sort()
    position = ordered.length() - k
    return ibis.ifelse((k >= 1) & (position >= 0), ordered[position], ibis.null("date"))


def join_items(items: Any, date_format: str = "%Y-%m-%d") -> Any:
    """A list as `a, b, c`: dates in `date_format` (YYYY-MM-DD unless an explanation's
    language writes them otherwise), numbers as digits."""
    value_type = items.type().value_type
    if value_type.is_date():
        items = items.map(lambda d: d.strftime(date_format))
    elif not value_type.is_string():
        items = items.map(lambda v: v.cast("string"))
    return items.join(", ")


_FUNCTIONS: dict[str, Callable[[_Compiler, list[Any]], Any]] = {
    "age": lambda c, a: age_on(a[0], a[1] if len(a) > 1 else c.eval_date()),
    "birthday": lambda _, a: add_period(a[0], a[1], "years"),
    "add_years": lambda _, a: add_period(a[0], a[1], "years"),
    "add_months": lambda _, a: add_period(a[0], a[1], "months"),
    "add_days": lambda _, a: add_period(a[0], a[1], "days"),
    "year": lambda _, a: a[0].year(),
    "month": lambda _, a: a[0].month().cast("int64"),
    "day": lambda _, a: a[0].day().cast("int64"),
    "weekday": lambda _, a: (a[0].day_of_week.index() + 1).cast("int64"),
    "days_between": lambda _, a: a[1].delta(a[0], unit="day").cast("int64"),
    "coalesce": lambda _, a: ibis.coalesce(a[0], a[1]),
    "least": lambda _, a: ibis.least(a[0], a[1]),
    "greatest": lambda _, a: ibis.greatest(a[0], a[1]),
    "round": lambda _, a: a[0].round(a[1]),
    "add_working_days": lambda _, a: a[2].add(a[0], a[1]),
    "working_days_between": lambda _, a: a[2].between(a[0], a[1]),
    "count": lambda _, a: a[0].length().fill_null(0),
    "under": _under,
    "youngest": _youngest,
    "any_in": lambda _, a: _false_if_null(a[0].filter(lambda x: a[1].contains(x)).length() > 0),
    "common": lambda _, a: a[0].filter(lambda x: a[1].contains(x)),
    "join": lambda _, a: join_items(a[0]),
}


def compile_expr(node: Expr, scope: Scope) -> Any:
    """The Ibis expression for `node` in `scope`."""
    return _Compiler(scope).run(node)
