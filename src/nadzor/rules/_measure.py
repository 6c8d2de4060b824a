"""A rulebook's reporting measure: the sum (e.g. of money) a finding of some rules concerns.

The rulebook's `case.measure` declares a unit and, for each rule it applies to, an amount
as a difference of terms: `a - b - ...`, each term an integer column of the record, an
integer parameter (its value on the record's law date) or a whole number. An empty column
counts as 0 and a negative result as 0. Reports only sum the amounts: nothing outside the
rulebook knows what the columns mean.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from nadzor.rules._texts import Texts

__all__ = ["Measure", "Term", "parse_amount"]

_TERM = re.compile(r"^(?:[a-z_][a-z0-9_]*|\d+)$")


@dataclass(frozen=True)
class Term:
    kind: Literal["column", "parameter", "number"]
    name: str  # the column or parameter, or the number as written
    # a parameter's values as (first day, last day or None, value), by law date
    periods: tuple[tuple[dt.date, dt.date | None, int], ...] = ()

    def value(self, values: Mapping[str, str], law_day: dt.date | None) -> int | None:
        if self.kind == "number":
            return int(self.name)
        if self.kind == "column":
            return _whole(values.get(self.name, ""))
        if law_day is None:
            return None
        for start, end, value in self.periods:
            if start <= law_day and (end is None or law_day <= end):
                return value
        return None


@dataclass(frozen=True)
class Measure:
    """What the rulebook declares: the unit, and the amount of each measured rule."""

    unit: Texts  # in each language of the rulebook, e.g. "RUB" / "руб."
    law_date: str  # the record's law-date column, for the parameters' values
    amounts: tuple[tuple[str, tuple[Term, ...]], ...]  # rule id -> first term less the others

    @property
    def columns(self) -> tuple[str, ...]:
        """The register columns an amount is computed from."""
        names = [t.name for _, terms in self.amounts for t in terms if t.kind == "column"]
        if any(t.kind == "parameter" for _, terms in self.amounts for t in terms):
            names.append(self.law_date)
        return tuple(dict.fromkeys(names))

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(rule for rule, _ in self.amounts)

    def amount(self, rule_id: str, values: Mapping[str, str]) -> int | None:
        """The amount of a finding of `rule_id` about the record with `values` (register
        column -> text); None when the rule is not measured or a value is unreadable."""
        terms = dict(self.amounts).get(rule_id)
        if terms is None:
            return None
        law_day = _day(values.get(self.law_date, ""))
        numbers = [term.value(values, law_day) for term in terms]
        if any(n is None for n in numbers):
            return None
        first, *rest = (n for n in numbers if n is not None)
        return max(0, first - sum(rest))


def parse_amount(text: str) -> Sequence[str] | None:
    """The terms of `a - b - ...` in order, or None when it is not of that shape."""
    parts = [part.strip() for part in text.split("-")]
    if not all(_TERM.match(part) for part in parts):
        return None
    return parts


def _whole(text: str) -> int | None:
    text = text.strip()
    if not text:
        return 0
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None
