"""The kinds of malformed value `--dirty` puts in a row, one function per kind.

Each takes a row's facts and returns (column, malformed text); every kind is one that
records.md says must reject the row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from nadzor.synth._columns import REQUIRED_COLUMNS
from nadzor.synth._vocab import RULEBOOK_START

__all__ = ["SPOILERS", "RowFacts", "Spoiled", "Spoiler"]

_T = TypeVar("_T")

_BOOL_COLUMNS = (
    "ru_citizen",
    "in_reserve",
    "raises_children_alone",
    "cares_for_relative",
    "defence_industry_worker",
    "legislator",
)
_DATE_COLUMNS = ("callup_date", "birth_date", "health_exam_date", "reserved_until")


@dataclass(frozen=True)
class RowFacts:
    """What a spoiler may use about its row, and the random stream to draw from."""

    rng: np.random.Generator
    callup: dt.date
    birth: dt.date
    earlier_id: str | None  # record_id of the nearest unspoiled row above, if any

    def choose(self, options: Sequence[_T]) -> _T:
        return options[int(self.rng.integers(len(options)))]

    def days(self, low: int, high: int) -> dt.timedelta:
        return dt.timedelta(days=int(self.rng.integers(low, high, endpoint=True)))


Spoiled = tuple[str, str | None]
Spoiler = Callable[[RowFacts], Spoiled]


def _date_layout(row: RowFacts) -> Spoiled:
    column = row.choose(("callup_date", "birth_date"))
    day = row.callup if column == "callup_date" else row.birth
    return column, day.strftime(row.choose(("%Y/%m/%d", "%d/%m/%Y", "%Y%m%d", "%d.%m.%y")))


def _impossible_date(row: RowFacts) -> Spoiled:
    year = row.callup.year
    value = row.choose((f"31.02.{year}", f"{year}-02-30", f"{year}-13-01", f"{year}-09-31"))
    return row.choose(_DATE_COLUMNS), value


def _date_out_of_range(row: RowFacts) -> Spoiled:
    return row.choose((("birth_date", "1899-12-31"), ("reserved_until", "2101-01-01")))


def _bad_enum(row: RowFacts) -> Spoiled:
    return row.choose(
        (("sex", "X"), ("sex", "male"), ("rank_group", "private"), ("health_category", "E"))
    )


def _bad_bool(row: RowFacts) -> Spoiled:
    return row.choose(_BOOL_COLUMNS), row.choose(("maybe", "2", "unknown"))


def _bad_weeks(row: RowFacts) -> Spoiled:
    return "wife_pregnancy_weeks", row.choose(("50", "22.0", "-1", "+22", "twenty"))


def _born_after_callup(row: RowFacts) -> Spoiled:
    return "birth_date", (row.callup + row.days(0, 400)).isoformat()


def _before_rulebook(row: RowFacts) -> Spoiled:
    return "callup_date", (RULEBOOK_START - row.days(1, 60)).isoformat()


def _bad_article(row: RowFacts) -> Spoiled:
    # `205,1` also makes the CSV writer quote a field, as real exports sometimes must.
    return "conviction_articles", row.choose(("abc", "158;abc", "205,1", "ст. 228", "228-1"))


def _missing_required(row: RowFacts) -> Spoiled:
    # Null, empty and blank all read as "not recorded" once trimmed.
    return row.choose(REQUIRED_COLUMNS), row.choose((None, "", "  "))


def _duplicate_id(row: RowFacts) -> Spoiled:
    if row.earlier_id is None:
        return _missing_required(row)
    return "record_id", row.earlier_id


# (spoiler, relative weight)
SPOILERS: tuple[tuple[Spoiler, float], ...] = (
    (_date_layout, 0.13),
    (_impossible_date, 0.10),
    (_date_out_of_range, 0.04),
    (_bad_enum, 0.11),
    (_bad_bool, 0.10),
    (_bad_weeks, 0.08),
    (_born_after_callup, 0.08),
    (_before_rulebook, 0.08),
    (_duplicate_id, 0.08),
    (_bad_article, 0.08),
    (_missing_required, 0.12),
)
