"""Enum labels, citations and source names in a rulebook's languages, and an explanation
told again in another language from the facts it states."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nadzor.rules import (
    Facts,
    RulebookError,
    Teller,
    decimal_text,
    load_rulebook,
    plain_decimal,
    resolve_rulebook,
)


@pytest.fixture(scope="module")
def facilities() -> Teller:
    return Teller(resolve_rulebook("ru-2022-facilities", with_tests=False))


@pytest.fixture(scope="module")
def callups() -> Teller:
    return Teller(resolve_rulebook("ru-2022", with_tests=False))


def test_russian_labels_and_citations_of_the_built_in_rulebooks() -> None:
    facilities = resolve_rulebook("ru-2022-facilities", with_tests=False)
    assert facilities.wording.label("premises", "club", "ru") == "клуб"
    assert facilities.wording.label("premises", "club", "en") == "club"  # as written
    callups = resolve_rulebook("ru-2022", with_tests=False)
    # a basis of two parts is cited part by part
    assert callups.wording.citation("31-FZ art. 17; 53-FZ art. 1", "ru") == (
        "ст. 17 Федерального закона от 26.02.1997 № 31-ФЗ;"
        " ст. 1 Федерального закона от 28.03.1998 № 53-ФЗ"
    )
    assert callups.wording.citation("Regulation 9", "ru") == "Regulation 9"  # none given
    assert callups.wording.source("31-FZ", "ru") == (
        "Федеральный закон «О мобилизационной подготовке и мобилизации»",
        "№ 31-ФЗ",
    )


def test_every_basis_of_the_built_in_rulebooks_reads_in_russian() -> None:
    for name in ("ru-2022", "ru-2022-provision", "ru-2022-facilities"):
        rulebook = resolve_rulebook(name, with_tests=False)
        untranslated = {
            period.basis
            for rule in rulebook.rules
            for period in rule.periods
            if rulebook.wording.citation(period.basis, "ru") == period.basis
        }
        assert not untranslated, f"{name}: no Russian citation for {sorted(untranslated)}"
        named = {source.id for source in rulebook.sources}
        assert named == {sid for lang, sid, *_ in rulebook.wording.sources if lang == "ru"}


def test_an_english_explanation_is_told_in_russian(facilities: Teller) -> None:
    text = "40 people sleeping in a club on 2022-10-12; living there is prohibited"
    facts = facilities.facts("FAC-FORBIDDEN-PREMISES", text)
    assert facts is not None
    assert dict(facts.values) == {
        "occupants": 40,
        "premises": "club",
        "inspected_on": "2022-10-12",
    }
    told = facilities.tell("FAC-FORBIDDEN-PREMISES", facts, "ru")
    assert told == (
        "на 12.10.2022 40 чел. размещены для проживания в помещении, где проживание"
        " запрещено (вид помещения по реестру: клуб)"
    )
    # and back: the facts survive the way through JSON
    again = Facts.from_json(facts.to_json())
    assert again is not None and facilities.tell("FAC-FORBIDDEN-PREMISES", again, "en") == text


def test_a_russian_explanation_is_read_back_with_its_labels(facilities: Teller) -> None:
    russian = (
        "на 12.10.2022 40 чел. размещены для проживания в помещении, где проживание"
        " запрещено (вид помещения по реестру: клуб)"
    )
    facts = facilities.facts("FAC-FORBIDDEN-PREMISES", russian)
    assert facts is not None and facts.values["premises"] == "club"


def test_yes_no_and_unrecorded_values_change_language(callups: Teller) -> None:
    rule = "RU22-HEALTH-G-UNDATED"
    english = (
        "health category G (temporarily unfit) with examination date [not recorded], not on"
        " or before 2022-09-28; the unfitness is not dated before that day and must be checked"
    )
    facts = callups.facts(rule, english)
    assert facts is not None
    told = callups.tell(rule, facts, "ru")
    assert told is not None and "[не указано]" in told and "28.09.2022" in told


def test_a_sentence_no_template_fits_gives_no_facts(callups: Teller) -> None:
    assert callups.facts("RU22-HEALTH-D", "edited by hand") is None
    assert callups.facts("NO-SUCH-RULE", "anything") is None
    assert callups.tell("NO-SUCH-RULE", Facts(0, {}), "ru") is None
    # a template that needs a fact the other language's sentence did not state
    assert callups.tell("RU22-HEALTH-D", Facts(0, {}), "ru") is None


@pytest.mark.parametrize(
    ("plain", "lang", "written"),
    [
        ("195000.5", "ru", "195\u00a0000,5"),
        ("195000.5", "en", "195000.5"),
        ("-1234567", "uk", "-1\u00a0234\u00a0567"),
        ("12", "ru", "12"),
        ("0.25", "ru", "0,25"),
        ("1500", "ru", "1500"),  # four digits stay whole
        ("12345", "ru", "12\u00a0345"),
    ],
)
def test_decimals_as_each_language_writes_them(plain: str, lang: str, written: str) -> None:
    assert decimal_text(plain, lang) == written
    assert plain_decimal(written) == plain


def test_a_label_for_no_enum_value_is_a_problem(tmp_path: Path) -> None:
    source = resolve_rulebook("ru-2022-facilities", with_tests=False).path
    assert source is not None
    copy = tmp_path / "facilities"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("tests"))
    path = copy / "translations" / "ru.yaml"
    text = path.read_text(encoding="utf-8").replace("    club: клуб\n", "    pub: паб\n")
    path.write_text(text.replace("  76-FZ:\n", "  77-FZ:\n"), encoding="utf-8")
    with pytest.raises(RulebookError) as caught:
        load_rulebook(copy, with_tests=False)
    messages = [problem.message for problem in caught.value.problems]
    assert any("'pub' is not one of its values" in m for m in messages), messages
    assert any("'77-FZ' is not one of the rulebook's sources" in m for m in messages), messages


def test_a_language_the_rule_has_no_text_in_tells_nothing(facilities: Teller) -> None:
    text = "40 people sleeping in a club on 2022-10-12; living there is prohibited"
    facts = facilities.facts("FAC-FORBIDDEN-PREMISES", text)
    assert facts is not None
    # no Ukrainian template: the page shows the stored sentence, not English with
    # Ukrainian dates
    assert facilities.tell("FAC-FORBIDDEN-PREMISES", facts, "uk") is None
