"""Working days over a calendar parameter, as engine expressions.

A calendar is compiled into two constant arrays: for each day it covers, how many working
days there are from its first day to that day (`count`), and the working days in order
(`days`). Then, with W(d) = count[d - first]:

    add_working_days(d, n)    = days[W(d) + n - 1]     the n-th working day after d
    working_days_between(a, b) = W(b) - W(a)           working days after a, up to b

Each is one array lookup per row, the same on every engine. A day outside the calendar
gives null; the validation rejects such a record with its reason (see `calendar_errors`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir

from nadzor.rules import Parameter

__all__ = ["CalendarTable", "calendar_table"]


@dataclass(frozen=True)
class CalendarTable:
    name: str
    first: dt.date
    last: dt.date
    counts: tuple[int, ...]  # working days in [first, first + i]
    days: tuple[dt.date, ...]  # every working day, in order

    def _offset(self, day: Any) -> Any:
        return day.delta(ibis.literal(self.first, type="date"), unit="day")

    def _inside(self, day: Any) -> Any:
        return (day >= self.first) & (day <= self.last)

    def count_to(self, day: Any) -> Any:
        """W(day), or null outside the calendar."""
        counts = ibis.literal(list(self.counts), type="array<int32>")
        offset = self._offset(day).cast("int32")
        return ibis.ifelse(self._inside(day), counts[offset], ibis.null("int32"))

    def add(self, day: Any, amount: Any) -> ir.DateValue:
        days = ibis.literal(list(self.days), type="array<date>")
        index = (self.count_to(day) + amount - 1).cast("int32")
        inside = (index >= 0) & (index < len(self.days))
        return ibis.ifelse(inside.fill_null(False), days[index], ibis.null("date"))

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
