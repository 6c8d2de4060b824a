"""Static type checking of rulebook expressions.

Every expression in a rulebook is checked when the rulebook loads, so that a typo or a
comparison of a date with a number is reported with its file and line, never at screening
time. Types are small strings: `bool`, `int`, `text`, `date`, `duration`, `list<date>`,
`list<text>`, `list<int>` and `list<any>` (the empty list literal).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from typing import Final, Literal

from nadzor.rules._expr_ast import (
    BinaryOp,
    BoolLit,
    BoolOp,
    Call,
    Compare,
    DateLit,
    Duration,
    Expr,
    IntLit,
    ListLit,
    Name,
    Neg,
    Not,
    TextLit,
)

__all__ = ["FUNCTIONS", "LIST_TYPES", "SCALAR_TYPES", "ExprTypeError", "NameInfo", "infer_type"]

SCALAR_TYPES: Final = ("bool", "int", "decimal", "text", "date")
NUMBER_TYPES: Final = ("int", "decimal")
#: Functions over a calendar parameter (working days).
CALENDAR_FUNCTIONS: Final = ("add_working_days", "working_days_between")
LIST_TYPES: Final = ("list<date>", "list<text>", "list<int>")

NameKind = Literal["field", "parameter", "let", "builtin"]


class ExprTypeError(ValueError):
    """A type or name error at character offset `pos`."""

    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.pos = pos


@dataclass(frozen=True)
class NameInfo:
    type: str
    kind: NameKind
    enum_values: frozenset[str] | None = field(default=None)


# name -> (argument type patterns, result); "T" binds a list item type, "list<T>" a list.
FUNCTIONS: Final[dict[str, list[tuple[tuple[str, ...], str]]]] = {
    "recorded": [(("field",), "bool")],
    "age": [(("date",), "int"), (("date", "date"), "int")],
    "birthday": [(("date", "int"), "date")],
    "add_years": [(("date", "int"), "date")],
    "add_months": [(("date", "int"), "date")],
    "add_days": [(("date", "int"), "date")],
    "year": [(("date",), "int")],
    "month": [(("date",), "int")],
    "day": [(("date",), "int")],
    "weekday": [(("date",), "int")],
    "days_between": [(("date", "date"), "int")],
    "coalesce": [(("T", "T"), "T")],
    "least": [(("T", "T"), "T")],
    "greatest": [(("T", "T"), "T")],
    "round": [(("decimal", "int"), "decimal"), (("int", "int"), "int")],
    "add_working_days": [(("date", "int", "calendar"), "date")],
    "working_days_between": [(("date", "date", "calendar"), "int")],
    "count": [(("list<T>",), "int")],
    "under": [(("list<date>", "int"), "list<date>")],
    "youngest": [(("list<date>", "int"), "date")],
    "any_in": [(("list<T>", "list<T>"), "bool")],
    "common": [(("list<T>", "list<T>"), "list<T>")],
    "join": [(("list<T>",), "text")],
}


def _item(list_type: str) -> str:
    return list_type[len("list<") : -1]


def _suggest(name: str, known: Mapping[str, NameInfo]) -> str:
    close = get_close_matches(name, list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _Checker:
    def __init__(self, names: Mapping[str, NameInfo]) -> None:
        self._names = names

    def check(self, node: Expr) -> str:  # one branch per node kind
        if isinstance(node, IntLit):
            return "int"
        if isinstance(node, TextLit):
            return "text"
        if isinstance(node, DateLit):
            return "date"
        if isinstance(node, BoolLit):
            return "bool"
        if isinstance(node, ListLit):
            return self._list(node)
        if isinstance(node, Name):
            return self._name(node).type
        if isinstance(node, Duration):
            self._expect(node.amount, "int", "a duration's amount")
            return "duration"
        if isinstance(node, Call):
            return self._call(node)
        if isinstance(node, Neg):
            got = self.check(node.operand)
            if got not in NUMBER_TYPES:
                raise ExprTypeError(f"'-' needs int, got {got}", node.operand.pos)
            return got
        if isinstance(node, Not):
            self._expect(node.operand, "bool", "'not'")
            return "bool"
        if isinstance(node, BoolOp):
            for operand in node.operands:
                self._expect(operand, "bool", f"'{node.op}'")
            return "bool"
        if isinstance(node, Compare):
            return self._compare(node)
        return self._arith(node)

    def _name(self, node: Name) -> NameInfo:
        info = self._names.get(node.name)
        if info is None:
            raise ExprTypeError(
                f"unknown name {node.name!r}{_suggest(node.name, self._names)}", node.pos
            )
        return info

    def _expect(self, node: Expr, wanted: str, what: str) -> None:
        got = self.check(node)
        if got != wanted:
            raise ExprTypeError(f"{what} needs {wanted}, got {got}", node.pos)

    def _list(self, node: ListLit) -> str:
        if not node.items:
            return "list<any>"
        first = self.check(node.items[0])
        if first not in ("int", "text", "date"):
            raise ExprTypeError(f"list items must be int, text or date, got {first}", node.pos)
        for item in node.items[1:]:
            got = self.check(item)
            if got != first:
                raise ExprTypeError(f"list items must all be {first}, got {got}", item.pos)
        return f"list<{first}>"

    def _arith(self, node: BinaryOp) -> str:
        left = self.check(node.left)
        right = self.check(node.right)
        if node.op in ("*", "/"):
            if left in NUMBER_TYPES and right in NUMBER_TYPES:
                return "int" if node.op == "*" and left == right == "int" else "decimal"
            raise ExprTypeError(
                f"cannot apply '{node.op}' to {left} and {right} (it takes numbers)", node.pos
            )
        if left == right == "int":
            return "int"
        if left in NUMBER_TYPES and right in NUMBER_TYPES:
            return "decimal"
        if left == "date" and right == "duration":
            return "date"
        if node.op == "+" and left == "duration" and right == "date":
            return "date"
        raise ExprTypeError(
            f"cannot apply '{node.op}' to {left} and {right}"
            " (dates take durations such as '6 months' or '1 day')",
            node.pos,
        )

    def _compare(self, node: Compare) -> str:
        left = self.check(node.left)
        right = self.check(node.right)
        if node.op in ("in", "not in"):
            if not right.startswith("list<") or _item(right) not in (left, "any"):
                raise ExprTypeError(
                    f"'{node.op}' needs a value and a list of its type, got {left} and {right}",
                    node.pos,
                )
            self._check_enum_list(node.left, node.right)
            return "bool"
        numbers = left in NUMBER_TYPES and right in NUMBER_TYPES
        if (left != right and not numbers) or left not in SCALAR_TYPES:
            raise ExprTypeError(f"cannot compare {left} with {right}", node.pos)
        if node.op not in ("==", "!=") and left not in ("int", "decimal", "date"):
            raise ExprTypeError(f"'{node.op}' compares numbers or dates, not {left}", node.pos)
        self._check_enum(node.left, node.right)
        self._check_enum(node.right, node.left)
        return "bool"

    def _enum_values(self, node: Expr) -> frozenset[str] | None:
        if isinstance(node, Name):
            info = self._names.get(node.name)
            return info.enum_values if info else None
        return None

    def _check_enum(self, name_side: Expr, literal_side: Expr) -> None:
        values = self._enum_values(name_side)
        if (
            values is not None
            and isinstance(literal_side, TextLit)
            and literal_side.value not in values
        ):
            assert isinstance(name_side, Name)
            allowed = ", ".join(sorted(values))
            raise ExprTypeError(
                f"{literal_side.value!r} is not a value of {name_side.name} (allowed: {allowed})",
                literal_side.pos,
            )

    def _check_enum_list(self, name_side: Expr, list_side: Expr) -> None:
        if isinstance(list_side, ListLit):
            for item in list_side.items:
                self._check_enum(name_side, item)

    def _call(self, node: Call) -> str:
        signatures = FUNCTIONS.get(node.func)
        if signatures is None:
            known = ", ".join(sorted(FUNCTIONS))
            raise ExprTypeError(f"unknown function {node.func!r} (known: {known})", node.pos)
        if node.func == "recorded":
            return self._recorded(node)
        arg_types = [self.check(arg) for arg in node.args]
        if (
            node.func in ("coalesce", "least", "greatest")
            and len(arg_types) == 2
            and all(t in NUMBER_TYPES for t in arg_types)
        ):
            return "int" if arg_types == ["int", "int"] else "decimal"
        for params, result in signatures:
            bound = _bind(params, arg_types)
            if (
                bound is not None
                and node.func in ("least", "greatest")
                and bound not in ("int", "decimal", "date")
            ):
                raise ExprTypeError(
                    f"{node.func}() compares dates or numbers, not {bound}", node.pos
                )
            if bound is not None and node.func == "coalesce" and bound not in SCALAR_TYPES:
                raise ExprTypeError(f"coalesce() takes single values, not {bound}", node.pos)
            if bound is not None:
                return result.replace("T", bound) if "T" in result else result
        wanted = " or ".join(f"{node.func}({', '.join(p)})" for p, _ in signatures)
        got = f"{node.func}({', '.join(arg_types)})"
        raise ExprTypeError(f"wrong arguments: {got}; expected {wanted}", node.pos)

    def _recorded(self, node: Call) -> str:
        arg = node.args[0] if len(node.args) == 1 else None
        if not isinstance(arg, Name) or self._name(arg).kind != "field":
            raise ExprTypeError(
                "recorded() takes one record field, e.g. recorded(health_category)", node.pos
            )
        return "bool"


def _bind(params: tuple[str, ...], args: list[str]) -> str | None:
    """Match argument types to a signature; return the bound item type ('any' if unbound)."""
    if len(params) != len(args):
        return None
    bound = ""
    for param, arg in zip(params, args, strict=True):
        if param == "T" or param == "list<T>":
            item = arg if param == "T" else (_item(arg) if arg.startswith("list<") else None)
            if item is None or (bound and item != "any" and item != bound):
                return None
            # the empty list (`any`) fits every T, so it must not bind T for later arguments
            if item != "any":
                bound = item
        elif param != arg:
            return None
    return bound or "any"


def infer_type(expr: Expr, names: Mapping[str, NameInfo]) -> str:
    """The type of `expr` given the visible names; raises `ExprTypeError`."""
    return _Checker(names).check(expr)
