"""Which names an expression uses, and the names visible in each part of a rulebook."""

from __future__ import annotations

from collections.abc import Iterator

from nadzor.rules._expr_ast import (
    BinaryOp,
    BoolOp,
    Call,
    Compare,
    Duration,
    Expr,
    ListLit,
    Name,
    Neg,
    Not,
)

__all__ = ["AS_OF", "EVAL_DATE", "UNTIL", "calls", "names_used"]

#: The evaluation date: a record's own date, or the `--as-of` day for every record.
EVAL_DATE = "eval_date"

#: The judgment day, under its name in the law of provision: the same day as `eval_date`.
AS_OF = "as_of"

#: In a deferment's `explain`: the last day of the deferment (the rule's `until`).
UNTIL = "until"


def _children(node: Expr) -> Iterator[Expr]:
    if isinstance(node, ListLit):
        yield from node.items
    elif isinstance(node, Duration):
        yield node.amount
    elif isinstance(node, Call):
        yield from node.args
    elif isinstance(node, Neg | Not):
        yield node.operand
    elif isinstance(node, BoolOp):
        yield from node.operands
    elif isinstance(node, Compare | BinaryOp):
        yield node.left
        yield node.right


def names_used(node: Expr) -> set[str]:
    """Every `Name` in the tree (record fields, parameters, lets, `eval_date`)."""
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Name):
            found.add(current.name)
        stack.extend(_children(current))
    return found


def calls(node: Expr) -> Iterator[Call]:
    """Every function call in the tree."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Call):
            yield current
        stack.extend(_children(current))
