"""Syntax tree of the rulebook expression language.

Nodes are plain frozen dataclasses: the parser builds them, the type checker annotates
nothing in place (it returns types beside them), and the screening compiler walks them.
`pos` is the 0-based character offset in the expression text, for error messages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "BinaryOp",
    "BoolLit",
    "BoolOp",
    "Call",
    "Compare",
    "DateLit",
    "Duration",
    "DurationUnit",
    "Expr",
    "IntLit",
    "ListLit",
    "Name",
    "Neg",
    "Not",
    "TextLit",
]

DurationUnit = Literal["days", "months", "years"]


@dataclass(frozen=True)
class IntLit:
    value: int
    pos: int


@dataclass(frozen=True)
class TextLit:
    value: str
    pos: int


@dataclass(frozen=True)
class DateLit:
    value: dt.date
    pos: int


@dataclass(frozen=True)
class BoolLit:
    value: bool
    pos: int


@dataclass(frozen=True)
class ListLit:
    items: tuple[Expr, ...]
    pos: int


@dataclass(frozen=True)
class Name:
    """A record field, a parameter, a `let` value or `eval_date`."""

    name: str
    pos: int


@dataclass(frozen=True)
class Duration:
    """`amount unit`, e.g. `6 months` or `temp_unfit_months months`: only added to dates."""

    amount: Expr
    unit: DurationUnit
    pos: int


@dataclass(frozen=True)
class Call:
    func: str
    args: tuple[Expr, ...]
    pos: int


@dataclass(frozen=True)
class Neg:
    operand: Expr
    pos: int


@dataclass(frozen=True)
class Not:
    operand: Expr
    pos: int


@dataclass(frozen=True)
class BoolOp:
    op: Literal["and", "or"]
    operands: tuple[Expr, ...]
    pos: int


@dataclass(frozen=True)
class Compare:
    op: Literal["==", "!=", "<", "<=", ">", ">=", "in", "not in"]
    left: Expr
    right: Expr
    pos: int


@dataclass(frozen=True)
class BinaryOp:
    op: Literal["+", "-", "*", "/"]
    left: Expr
    right: Expr
    pos: int


Expr = (
    IntLit
    | TextLit
    | DateLit
    | BoolLit
    | ListLit
    | Name
    | Duration
    | Call
    | Neg
    | Not
    | BoolOp
    | Compare
    | BinaryOp
)
