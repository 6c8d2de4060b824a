"""Working days over a calendar parameter, as engine expressions.

A calendar is compiled into two constant strings of fixed-width numbers: for each day it
covers, how many working days there are from its first day to that day (`counts`), and
the working days in order, as days after the first (`days`). Then, with
W(d) = counts[d - first]:

    add_working_days(d, n)     = days[W(d) + n - 1]    the n-th working day after d
                                 (days[W(d - 1) + n] for n < 0: the |n|-th before d)
    working_days_between(a, b) = W(b) - W(a)           working days after a, up to b

Each is a substring and a cast per row, the same on every engine, and the SQL stays a few
kilobytes: an array literal of a thousand dates would make it hundreds, which PostgreSQL
plans very slowly. A day outside the calendar gives null; the validation rejects such a
record with its reason (see `_calendar_checks.py`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir

from nadzor.rules import Parameter

__all__ = ["CalendarTable", "calendar_table"]


@ibis.udf.scalar.builtin(name="substr")  # type: ignore[untyped-decorator]
def _substr(text: str, start: int, length: int) -> str:  # type: ignore[empty-body]
    """The engine's own SUBSTR(text, start, length), 1-based, in DuckDB and PostgreSQL.

    Ibis's substr() repeats its start expression three times to support negative starts;
    nested lookups would make the SQL grow with every level.
    """


@dataclass(frozen=True)
class CalendarTable:
    name: str
    first: dt.date
    last: dt.date
    counts: tuple[int, ...]  # working days in [first, first + i]
    days: tuple[dt.date, ...]  # every working day, in order

    @property
    def _count_width(self) -> int:
        return len(str(max(self.counts, default=0)))

    @property
    def _day_width(self) -> int:
        return len(str((self.last - self.first).days))

    def _offset(self, day: Any) -> Any:
        return day.delta(ibis.literal(self.first, type="date"), unit="day").cast("int64")

    def _inside(self, day: Any) -> Any:
        return (day >= self.first) & (day <= self.last)

    def count_to(self, day: Any) -> Any:
        """W(day), or null outside the calendar."""
        width = self._count_width
        packed = ibis.literal("".join(f"{c:0{width}d}" for c in self.counts), type="string")
        start = ibis.ifelse(self._inside(day), self._offset(day) * width + 1, ibis.null("int64"))
        return _substr(packed, start.cast("int32"), width).cast("int64")

    def add(self, day: Any, amount: Any) -> ir.DateValue:
        """The `amount`-th working day after `day` (before it, for a negative amount)."""
        width = self._day_width
        packed = ibis.literal(
            "".join(f"{(d - self.first).days:0{width}d}" for d in self.days), type="string"
        )
        previous = day - ibis.interval(days=1)
        index = ibis.ifelse(
            amount < 0, self.count_to(previous) + amount, self.count_to(day) + amount - 1
        )
        inside = ((index >= 0) & (index < len(self.days))).fill_null(False)
        start = ibis.ifelse(inside, index * width + 1, ibis.null("int64")).cast("int32")
        offset = _substr(packed, start, width).cast("int64")
        first = ibis.literal(self.first, type="date")
        result = first + offset.as_interval("D")
        return ibis.ifelse(inside, result.cast("date"), ibis.null("date"))

    def between(self, start: Any, end: Any) -> ir.IntegerValue:
        return (self.count_to(end) - self.count_to(start)).cast("int64")


def calendar_table(param: Parameter) -> CalendarTable:
    span = param.calendar_span
    assert span is not None, f"{param.name} is not a closed calendar"
    first, last = span
    working = set(param.working_days())
    counts: list[int] = []
    total = 0
    day = first
    while day <= last:
        total += day in working
        counts.append(total)
        day += dt.timedelta(days=1)
    return CalendarTable(param.name, first, last, tuple(counts), tuple(sorted(working)))
