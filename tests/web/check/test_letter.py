"""The letter: per jurisdiction, in the authority's language, with the findings' citations;
the PDF carries Cyrillic text (read back with pdftotext)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from nadzor.rules import resolve_rulebook
from nadzor.web.check.answer import check
from nadzor.web.check.letter import letter_for, letter_pdf
from nadzor.web.check.questions import questions_for, record_from
from tests.web.check.conftest import ANSWERS

TODAY = dt.date(2026, 3, 2)


def _answer(jurisdiction: str = "RU"):  # type: ignore[no-untyped-def]
    rulebook = resolve_rulebook("ru-2022")
    if jurisdiction != "RU":
        rulebook = dataclasses.replace(rulebook, jurisdiction=jurisdiction)
    questions = questions_for(rulebook.record_type, "ru")
    answers = {k: v if isinstance(v, list) else [v] for k, v in ANSWERS.items()}
    return check(rulebook, record_from(answers, questions, rulebook.record_type), questions, "ru")


def test_the_russian_letter_goes_to_the_military_prosecutor() -> None:
    letter = letter_for(_answer(), name="Сидоров С. С.", address="Пермь", today=TODAY)
    assert letter.language == "ru"
    assert letter.text.startswith("Военному прокурору")
    assert "от Сидоров С. С.\nПермь" in letter.text
    assert "01.10.2022 я был(а) призван(а)" in letter.text
    assert (
        "Правовое основание: п. 3 ст. 53 Федерального закона от 28.03.1998 № 53-ФЗ; " in letter.text
    )
    assert (
        "Правовое основание: подп. 4 п. 1 ст. 18 Федерального закона от 26.02.1997 № 31-ФЗ."
        in letter.text
    )
    assert "до 31.12.2025" in letter.text
    assert "1. Заключение военно-врачебной комиссии" in letter.text
    assert "02.03.2026" in letter.text


def test_without_a_name_the_letter_has_blanks() -> None:
    letter = letter_for(_answer(), today=TODAY)
    assert "от ____________________ (фамилия, имя, отчество)" in letter.text


def test_the_ukrainian_letter_goes_to_the_commission_and_the_ombudsman() -> None:
    letter = letter_for(_answer("UA"), name="Коваленко О. П.", today=TODAY)
    assert letter.language == "uk"
    assert letter.text.startswith("Голові комісії територіального центру комплектування")
    assert "Копія: Уповноваженому Верховної Ради України з прав людини" in letter.text
    assert (
        "Правова підстава: подп. 4 п. 1 ст. 18 Федерального закона от 26.02.1997 № 31-ФЗ."
        in letter.text
    )
    assert "Висновок військово-лікарської комісії" in letter.text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")
def test_the_pdf_carries_cyrillic_text_and_the_citations(tmp_path: Path) -> None:
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(letter_pdf(letter_for(_answer(), name="Сидоров С. С.", today=TODAY)))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "ОБРАЩЕНИЕ" in text and "Военному прокурору" in text and "Сидоров С. С." in text
    flat = " ".join(text.split())  # the layout wraps long citations
    assert "53-ФЗ" in flat and "31-ФЗ" in flat, flat
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True)
    assert "DejaVu" in fonts.stdout
