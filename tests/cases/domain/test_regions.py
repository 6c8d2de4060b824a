"""Regions: a fixed list of federal subjects, the names people type folded to one of them."""

from __future__ import annotations

import pytest

from nadzor.cases.domain import OTHER_REGION, REGIONS, canonical_region, find_region, region_name


def test_the_list_has_every_federal_subject_once() -> None:
    assert len(REGIONS) == 85
    assert len({r.code for r in REGIONS}) == 85
    assert len({r.ru for r in REGIONS}) == 85
    assert len({r.en for r in REGIONS}) == 85
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
    ],
)
def test_any_name_of_a_subject_folds_to_its_russian_name(typed: str, region: str) -> None:
    assert canonical_region(typed) == region


@pytest.mark.parametrize("typed", ["Донецк", "посёлок Лесной", "в/ч 12345", ""])
def test_text_that_names_no_subject_is_kept_as_typed(typed: str) -> None:
    assert find_region(typed) is None
    assert canonical_region(f" {typed} ") == typed


@pytest.mark.parametrize(
    ("typed", "region"),
    [
        ("Свердловська область", "Свердловская область"),
        ("курська обл.", "Курская область"),
        ("Бєлгородська область", "Белгородская область"),
        ("Республіка Саха (Якутія)", "Республика Саха (Якутия)"),
        ("Автономна Республіка Крим", "Республика Крым"),
        ("Ханти-Мансійський автономний округ — Югра", "Ханты-Мансийский автономный округ — Югра"),
    ],
)
def test_a_ukrainian_name_folds_to_the_same_subject(typed: str, region: str) -> None:
    assert canonical_region(typed) == region


def test_every_subject_has_its_own_name_in_each_language() -> None:
    for language in ("ru", "uk", "en"):
        names = {region_name(r, language) for r in REGIONS}
        assert len(names) == 85, language
    kursk = find_region("Курская область")
    assert kursk is not None
    assert [region_name(kursk, lang) for lang in ("ru", "uk", "en")] == [
        "Курская область",
        "Курська область",
        "Kursk Oblast",
    ]
    assert region_name(kursk, "de") == "Курская область"  # Russian for any other language
