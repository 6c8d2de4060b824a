"""Possible duplicates: similar text (word 3-shingles), or the same facility and period."""

from __future__ import annotations

import datetime as dt

import pytest

from nadzor.complaints.domain import (
    PERIOD_DAYS,
    SIMILAR_TEXT,
    DuplicateFacts,
    compare,
    facility_key,
    is_possible_duplicate,
    shingles,
    similarity,
    words,
)

TEXT = (
    "В части 12345 нам третий месяц не выдают зимнюю форму и бронежилеты, "
    "командир говорит купить самим, а в казарме нет отопления."
)


def test_words_are_folded_and_cyrillic_aware() -> None:
    assert words("Ёлка, ЁЖ и ёж — 12 шт.!") == ["елка", "еж", "и", "еж", "12", "шт"]
    assert words("snake_case") == ["snake", "case"]


def test_shingles() -> None:
    assert shingles("one two three four") == frozenset({"one two three", "two three four"})
    assert shingles("Нет еды") == frozenset({"нет еды"})
    assert shingles(" ... ") == frozenset()


def test_similarity_of_copies_and_edits() -> None:
    assert similarity(TEXT, TEXT) == 1.0
    assert similarity(TEXT, TEXT.upper().replace(",", "")) == 1.0
    assert similarity(TEXT, TEXT.replace("ё", "е")) == 1.0
    edited = TEXT.replace("третий", "уже третий") + " Помогите."
    assert similarity(TEXT, edited) >= SIMILAR_TEXT
    other = "Сына призвали несмотря на астму, медкомиссию не проводили, в военкомате не слушают."
    assert similarity(TEXT, other) < 0.1
    assert similarity("", "") == 0.0
    assert similarity(TEXT, "") == 0.0
    assert similarity("a b c", "c b a") == 0.0


@pytest.mark.parametrize(
    "spelling",
    [
        "в/ч 12345",
        "В/Ч-12345",
        "в.ч. 12345",
        "вч12345",
        "Войсковая часть 12345",
        "воинская  часть №12345",
    ],
)
def test_facility_spellings_of_one_unit(spelling: str) -> None:
    assert facility_key(spelling) == "вч12345"


def test_facility_keys() -> None:
    assert facility_key("  ") == ""
    assert facility_key("Военкомат Курского района") == "военкоматкурскогорайона"
    assert facility_key("в/чем-то") != "вч"


def facts(
    text: str = "",
    facility: str = "",
    occurred: dt.date | None = None,
    registered: dt.date | None = None,
) -> DuplicateFacts:
    return DuplicateFacts(text, facility, occurred, registered)


def test_same_facility_and_period() -> None:
    day = dt.date(2026, 11, 1)
    a = facts("нет еды", "в/ч 12345", day)
    near = facts("холодно", "В/Ч-12345", day + dt.timedelta(days=PERIOD_DAYS))
    far = facts("холодно", "В/Ч-12345", day + dt.timedelta(days=PERIOD_DAYS + 1))
    elsewhere = facts("холодно", "в/ч 54321", day)
    assert compare(a, near).why == ("same_facility_period",)
    assert is_possible_duplicate(a, near)
    assert is_possible_duplicate(near, a)
    assert not is_possible_duplicate(a, far)
    assert not is_possible_duplicate(a, elsewhere)


def test_the_registration_day_stands_in_for_a_missing_date() -> None:
    day = dt.date(2026, 11, 1)
    a = facts("нет еды", "в/ч 12345", None, day)
    b = facts("холодно", "в/ч 12345", day - dt.timedelta(days=3))
    assert is_possible_duplicate(a, b)
    assert not is_possible_duplicate(facts("a", "в/ч 1"), facts("b", "в/ч 1"))


def test_empty_facilities_never_match() -> None:
    day = dt.date(2026, 11, 1)
    assert not is_possible_duplicate(facts("нет еды", "", day), facts("холодно", " ", day))


def test_similar_text_alone_is_enough() -> None:
    a = facts(TEXT, "в/ч 12345", dt.date(2026, 1, 1))
    b = facts(TEXT + " Срочно.", "", None)
    match = compare(a, b)
    assert match.why == ("similar_text",)
    assert match.score >= SIMILAR_TEXT
    both = compare(a, facts(TEXT, "вч 12345", dt.date(2026, 1, 5)))
    assert both.why == ("similar_text", "same_facility_period")
    assert both.possible
    assert compare(a, b, threshold=0.99).why == ()
