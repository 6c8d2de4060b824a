"""`nadzor rulebook form`: an XLSForm of the record type that pyxform converts to an XForm."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pyxform.xls2xform import convert

from nadzor.rules import builtin_rulebooks, load_rulebook, resolve_rulebook

FIXTURE = Path(__file__).parents[1] / "cases" / "fixtures" / "inspect-2023"
_TAGS = {"en": "English (en)", "ru": "Russian (ru)", "uk": "Ukrainian (uk)"}


def _sheet(path: Path, name: str) -> list[dict[str, Any]]:
    rows = list(openpyxl.load_workbook(path)[name].iter_rows(values_only=True))
    header = [str(cell) for cell in rows[0]]
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def test_the_call_up_form_converts_with_labels_in_both_languages(
    tmp_path: Path, run_cli: Any
) -> None:
    out = tmp_path / "form.xlsx"
    done = run_cli("rulebook", "form", "ru-2022", "--out", out)
    assert done.code == 0, done.err
    assert "24 questions" in done.out
    survey = _sheet(out, "survey")
    record = resolve_rulebook("ru-2022").record_type
    assert [row["name"] for row in survey] == [column.name for column in record.columns]
    by_name = {row["name"]: row for row in survey}
    assert by_name["callup_date"]["type"] == "date"
    assert by_name["callup_date"]["required"] == "yes"
    assert by_name["callup_date"]["label::Russian (ru)"] == "Дата призыва"
    assert by_name["ru_citizen"]["type"] == "select_one yes_no"
    assert by_name["sex"]["type"] == "select_one sex"
    assert by_name["wife_pregnancy_weeks"]["constraint"] == ". >= 0 and . <= 45"
    assert "от 0 до 45" in by_name["wife_pregnancy_weeks"]["constraint_message::Russian (ru)"]
    assert by_name["conviction_articles"]["hint::Russian (ru)"].startswith("Несколько значений")
    choices = {(row["list_name"], row["name"]): row for row in _sheet(out, "choices")}
    # the label the rulebook's translation gives, else the Cyrillic spelling
    assert choices[("sex", "M")]["label::Russian (ru)"] == "мужской"
    assert choices[("health_category", "D")]["label::Russian (ru)"] == "Д"
    assert choices[("yes_no", "true")]["label::Russian (ru)"] == "Да"
    xform = convert(xlsform=str(out), validate=False).xform
    assert "Дата призыва" in xform and "Date of the call-up" in xform
    assert 'lang="Russian (ru)"' in xform
    assert "date('2022-09-21')" in xform  # a call-up before the rulebook is refused on the phone


def test_any_record_type_makes_a_form(tmp_path: Path, run_cli: Any) -> None:
    out = tmp_path / "inspections.xlsx"
    assert run_cli("rulebook", "form", str(FIXTURE), "--out", out).code == 0
    record = load_rulebook(FIXTURE).record_type
    survey = _sheet(out, "survey")
    assert [row["name"] for row in survey] == [column.name for column in record.columns]
    by_name = {row["name"]: row for row in survey}
    assert by_name["defects"]["constraint"] is None  # a list: its pattern is checked on import
    assert by_name["winter_kit_issued"]["type"] == "select_one winter_kit_issued"
    choices = {(row["list_name"], row["name"]): row for row in _sheet(out, "choices")}
    assert choices[("winter_kit_issued", "none")]["label::Russian (ru)"] == "нет"
    assert choices[("winter_kit_issued", "full")]["label::English (en)"] == "full"
    settings = _sheet(out, "settings")[0]
    assert (settings["form_id"], settings["version"]) == ("inspect-2023", "0.1.0")
    convert(xlsform=str(out), validate=False)


@pytest.mark.parametrize(
    ("out", "message"),
    [("form.xls", "an XLSForm is an .xlsx file"), ("missing/form.xlsx", "no such directory")],
)
def test_a_bad_target_is_refused(tmp_path: Path, run_cli: Any, out: str, message: str) -> None:
    done = run_cli("rulebook", "form", "ru-2022", "--out", tmp_path / out)
    assert done.code != 0 and message in done.err


@pytest.mark.parametrize("name", sorted(builtin_rulebooks()))
def test_every_built_in_rulebook_has_a_form_in_its_languages(
    tmp_path: Path, run_cli: Any, name: str
) -> None:
    out = tmp_path / f"{name}.xlsx"
    assert run_cli("rulebook", "form", name, "--out", out).code == 0
    book = resolve_rulebook(name)
    survey = _sheet(out, "survey")
    assert [row["name"] for row in survey] == [c.name for c in book.record_type.columns]
    for lang in book.languages:
        tag = f"label::{_TAGS[lang]}"
        assert all(row[tag] for row in survey), (name, lang)
    if "ru" in book.languages:
        # every question has its own Russian label, not the English one again
        assert all(row["label::Russian (ru)"] != row["label::English (en)"] for row in survey), name
    convert(xlsform=str(out), validate=False)


def test_a_label_split_by_an_unquoted_comma_is_an_error(tmp_path: Path, run_cli: Any) -> None:
    copy = tmp_path / "ua-2022"
    shutil.copytree(builtin_rulebooks()["ua-2022"], copy)
    (copy / "form.yaml").write_text(
        "labels:\n  record_id: {en: Record number (an id, never a name), uk: Номер запису}\n",
        encoding="utf-8",
    )
    done = run_cli("rulebook", "form", copy, "--out", tmp_path / "form.xlsx")
    assert done.code == 2
    assert "'never a name)' is not a language of the rulebook" in done.err
