"""Working days over a calendar parameter: the engine's values against a plain count."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import ibis
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nadzor.rules import RulebookError, load_rulebook, resolve_rulebook
from nadzor.screening._calendar import calendar_table

CALENDAR = resolve_rulebook("ru-2022-provision").parameter("ru_calendar")
TABLE = calendar_table(CALENDAR)
WORKING = set(CALENDAR.working_days())
FIRST, LAST = dt.date(2022, 1, 1), dt.date(2024, 12, 31)
CON = ibis.duckdb.connect()


def _after(day: dt.date, n: int) -> dt.date | None:
    """The n-th working day after `day`, counted one day at a time."""
    found = 0
    while found < n:
        day += dt.timedelta(days=1)
        if day > LAST:
            return None
        found += day in WORKING
    return day


def _between(a: dt.date, b: dt.date) -> int:
    sign = 1 if a <= b else -1
    low, high = min(a, b), max(a, b)
    count = sum(1 for i in range(1, (high - low).days + 1) if low + dt.timedelta(i) in WORKING)
    return sign * count


def _value(expr: object) -> object:
    return CON.to_pyarrow(expr).as_py()  # type: ignore[attr-defined]


def test_the_examples_of_the_rulebook_spec() -> None:
    friday = ibis.literal(dt.date(2022, 10, 28), type="date")
    assert _value(TABLE.add(friday, ibis.literal(10))) == dt.date(2022, 11, 14)
    late = TABLE.between(
        ibis.literal(dt.date(2022, 11, 14), type="date"),
        ibis.literal(dt.date(2022, 11, 21), type="date"),
    )
    assert _value(late) == 5


def test_holidays_and_working_saturdays_are_the_decrees() -> None:
    assert dt.date(2022, 3, 5) in WORKING  # a Saturday, worked
    assert dt.date(2022, 11, 4) not in WORKING  # a Friday, off
    assert dt.date(2024, 12, 28) in WORKING
    assert dt.date(2024, 12, 30) not in WORKING
    assert len([d for d in WORKING if d.year == 2023]) == 247  # the official count for 2023
    assert len([d for d in WORKING if d.year == 2022]) == 247
    assert len([d for d in WORKING if d.year == 2024]) == 248


@settings(max_examples=6, deadline=None)
@given(
    pairs=st.lists(st.tuples(st.dates(FIRST, LAST), st.integers(1, 40)), min_size=1, max_size=60)
)
def test_add_working_days_counts_like_a_person(pairs: list[tuple[dt.date, int]]) -> None:
    table = ibis.memtable({"d": [d for d, _ in pairs], "n": [n for _, n in pairs]})
    table = table.mutate(d=table["d"].cast("date"))
    got = CON.to_pyarrow(table.select(r=TABLE.add(table["d"], table["n"])))["r"].to_pylist()
    assert got == [_after(d, n) for d, n in pairs]


@settings(max_examples=6, deadline=None)
@given(
    pairs=st.lists(st.tuples(st.dates(FIRST, LAST), st.dates(FIRST, LAST)), min_size=1, max_size=60)
)
def test_working_days_between_counts_like_a_person(pairs: list[tuple[dt.date, dt.date]]) -> None:
    table = ibis.memtable({"a": [a for a, _ in pairs], "b": [b for _, b in pairs]})
    table = table.mutate(a=table["a"].cast("date"), b=table["b"].cast("date"))
    got = CON.to_pyarrow(table.select(r=TABLE.between(table["a"], table["b"])))["r"].to_pylist()
    assert got == [_between(a, b) for a, b in pairs]


def test_a_day_outside_the_calendar_gives_no_value() -> None:
    outside = ibis.literal(dt.date(2025, 1, 9), type="date")
    assert _value(TABLE.add(outside, ibis.literal(1))) is None


def test_a_literal_date_outside_the_calendar_is_a_rulebook_error(tmp_path: Path) -> None:
    import shutil

    source = Path(__file__).resolve().parent / "fixtures" / "functions"
    copy = shutil.copytree(source, tmp_path / "functions")
    rules = copy / "rules.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace(
            "add_working_days(day_a, n, ru_calendar)",
            "add_working_days(2025-01-09, n, ru_calendar)",
        ),
        encoding="utf-8",
    )
    with pytest.raises(RulebookError) as caught:
        load_rulebook(copy)
    assert [p.message for p in caught.value.problems] == [
        "let wd: add_working_days: 2025-01-09 is outside the calendar ru_calendar"
        " (2022-01-01 to 2024-12-31)"
    ]
