"""The two days of a screening run: the law day, which picks the periods and parameter
values in force, and the judgment day, on which the facts are judged.

A rulebook judged on the law date (call-ups, inspections) has one day: each record's law
date, or `--as-of D` for every record. A rulebook judged on a separate day (provision)
picks the law by each record's law date and judges every record as of `D`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nadzor.rules import Rulebook

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["Days", "days_of"]


@dataclass(frozen=True)
class Days:
    rulebook: Rulebook
    as_of: dt.date | None  # --as-of, resolved to a day for rulebooks judged separately

    @property
    def law_fixed(self) -> dt.date | None:
        """The law day when it is one day for every record."""
        return self.as_of if self.rulebook.judgment == "law_date" else None

    @property
    def separate(self) -> bool:
        return self.rulebook.judgment == "separate"

    def law(self, table: ir.Table) -> ir.DateValue:
        import ibis  # here: a run whose SQL is cached never loads Ibis

        fixed = self.law_fixed
        if fixed is not None:
            return ibis.literal(fixed, type="date")
        return table[self.rulebook.record_type.law_date]

    def judged(self, table: ir.Table) -> ir.DateValue:
        import ibis

        if self.as_of is not None:
            return ibis.literal(self.as_of, type="date")
        return table[self.rulebook.record_type.law_date]


def days_of(rulebook: Rulebook, as_of: dt.date | None) -> Days:
    """The days of a run; a rulebook judged separately is judged today unless told."""
    if rulebook.judgment == "separate" and as_of is None:
        as_of = dt.date.today()
    return Days(rulebook, as_of)
