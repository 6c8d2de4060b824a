"""Regions: a fixed list of federal subjects, the names people type folded to one of them."""

from __future__ import annotations

import pytest

from nadzor.cases.domain import (
    OTHER_REGION,
    REGIONS,
    canonical_region,
    find_region,
    region_name,
)


def test_the_list_has_every_federal_subject_once() -> None:
    assert len(REGIONS) == 85
    assert len({r.code for r in REGIONS}) == 85
    assert len({r.ru for r in REGIONS}) == 85
    assert len({r.en for r in REGIONS}) == 85
    assert len({region_name(r, "uk") for r in REGIONS}) == 85
    assert OTHER_REGION not in {r.ru for r in REGIONS}


@pytest.mark.parametrize(
    ("typed", "region"),
    [
        ("Свердловская область", "Свердловская область"),
        ("Sverdlovsk Oblast", "Свердловская область"),
        ("  свердловская   обл. ", "Свердловская область"),
        ("Kursk region", "Курская область"),
        ("Курск", "Курская область"),
        ("Moscow", "Москва"),
        ("Moscow region", "Московская область"),
        ("Подмосковье", "Московская область"),
        ("Якутия", "Республика Саха (Якутия)"),
        ("North Ossetia–Alania", "Республика Северная Осетия — Алания"),
        ("Орёл", "Орловская область"),
        ("орел", "Орловская область"),
        ("Бурятия", "Республика Бурятия"),
        ("Republic of Buryatia", "Республика Бурятия"),
        ("Altai Krai", "Алтайский край"),
        ("Алтай", "Республика Алтай"),
        ("СПб", "Санкт-Петербург"),
        ("Свердловська область", "Свердловская область"),
        ("бєлгородська обл.", "Белгородская область"),
        ("Автономна Республіка Крим", "Республика Крым"),
        ("Північна Осетія — Аланія", "Республика Северная Осетия — Алания"),
    ],
)
def test_any_name_of_a_subject_folds_to_its_russian_name(typed: str, region: str) -> None:
    assert canonical_region(typed) == region


@pytest.mark.parametrize("typed", ["Донецк", "посёлок Лесной", "в/ч 12345", ""])
def test_text_that_names_no_subject_is_kept_as_typed(typed: str) -> None:
    assert find_region(typed) is None
    assert canonical_region(f" {typed} ") == typed


def test_a_subject_is_named_in_the_readers_language() -> None:
    region = find_region("Sverdlovsk Oblast")
    assert region is not None
    assert region_name(region, "uk") == "Свердловська область"
    assert region_name(region, "en") == "Sverdlovsk Oblast"
    assert region_name(region, "ru") == region_name(region, "de") == "Свердловская область"
