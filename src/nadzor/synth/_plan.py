"""A plain description of a record type to draw: columns, how to draw each, rule triggers.

The generator knows no rulebook: the command line builds this description from a
rulebook's record type and its optional `synth:` hints, and the generator draws from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from nadzor.synth._options import SynthError

__all__ = ["ColumnPlan", "Draw", "RecordPlan", "TriggerPlan"]

TYPES = ("text", "int", "decimal", "bool", "date", "enum", "list<date>", "list<text>")


@dataclass(frozen=True)
class Draw:
    """How to draw one column's values; fields left empty fall back to the column's type.

    - `value`: always this (text as a register carries it);
    - `values` (with optional `weights`): one of these; with `per`, the same one for every
      record with the same value of that column (one region per facility);
    - `base`, `times` and `add`: another column's value, times a factor in
      [times[0], times[1]] (numbers only), plus a whole number in [add[0], add[1]] (days
      for dates); not recorded where the base is not;
    - `low`/`high`: uniform in this range (numbers, or dates as YYYY-MM-DD);
    - `prefix` and `distinct`: text ids `prefix` + a number in 1..`distinct` (0: a serial
      number per row, unique in the register);
    - `missing`: the share of rows where an optional column is not recorded.
    """

    value: str | None = None
    values: tuple[str, ...] = ()
    weights: tuple[float, ...] = ()
    per: str | None = None
    base: str | None = None
    times: tuple[float, float] = (1.0, 1.0)
    add: tuple[float, float] = (0.0, 0.0)
    low: str | None = None
    high: str | None = None
    prefix: str = ""
    distinct: int = 0
    missing: float = 0.0


@dataclass(frozen=True)
class ColumnPlan:
    """One column of the record type, with its declared type, values and range."""

    name: str
    type: str
    required: bool = False
    values: tuple[str, ...] = ()  # enum values, canonical spelling
    min: float | None = None
    max: float | None = None
    draw: Draw = field(default_factory=Draw)


@dataclass(frozen=True)
class TriggerPlan:
    """A share of the records drawn so that a rule applies: some columns drawn otherwise."""

    rule: str
    share: float
    draws: tuple[tuple[str, Draw], ...]


@dataclass(frozen=True)
class RecordPlan:
    """What to draw: the columns in file order, the key, the law date and its window."""

    name: str
    columns: tuple[ColumnPlan, ...]
    key: str
    law_date: str
    dates: tuple[dt.date, dt.date]
    triggers: tuple[TriggerPlan, ...] = ()

    def __post_init__(self) -> None:
        names = [column.name for column in self.columns]
        for column in self.columns:
            if column.type not in TYPES:
                raise SynthError(f"column {column.name}: cannot draw type {column.type!r}")
            for other in (column.draw.base, column.draw.per):
                if other is not None and other not in names:
                    raise SynthError(f"column {column.name}: no column {other!r} to draw from")
        for needed in (self.key, self.law_date):
            if needed not in names:
                raise SynthError(f"the record type has no column {needed!r}")
        if self.dates[0] > self.dates[1]:
            raise SynthError(f"dates from {self.dates[0]} are after {self.dates[1]}")
        total = sum(trigger.share for trigger in self.triggers)
        if total > 1:
            raise SynthError(f"the rule shares add up to {total:.3f}, more than all records")
        for trigger in self.triggers:
            for name, _ in trigger.draws:
                if name not in names:
                    raise SynthError(f"rule {trigger.rule}: no column {name!r}")

    def column(self, name: str) -> ColumnPlan:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)
