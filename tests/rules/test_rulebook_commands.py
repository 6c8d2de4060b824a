"""`nadzor rulebook show | diff | check` for any rulebook (record-types.md, "Commands that
change")."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from nadzor.rules import builtin_rulebooks
from tests.conftest import call_cli


def _out(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str]:
    code = call_cli(*args)
    captured = capsys.readouterr()
    return code, " ".join((captured.out + captured.err).split())


def test_show_gives_the_record_type_words_lets_and_templates(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    code, out = _out(capsys, "rulebook", "show", "ru-2022-provision")
    assert code == 0
    assert "Record type: provision register" in out
    assert "payment_amount │ int" in out and "0..10000000" in out
    assert "yes = true, 1, yes, y, да, д" in out
    assert "breach │ a legal norm is broken │ breach" in out
    assert "add_working_days(payment_order_date, payment_working_days, ru_calendar)" in out
    assert "{late_by}" in out and "{one_off_payment_rub}" in out
    assert "judged as of a separate day" in out
    assert "What the state owed each person mobilized" in out
    assert "weekdays off: 2022-01-03" in out


def test_show_speaks_the_rulebooks_languages(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    code, out = _out(capsys, "rulebook", "show", "ru-2022", "--lang", "ru")
    assert code == 0
    assert "Законодательство Российской Федерации о мобилизации" in out
    assert "не подлежит призыву по мобилизации" in out
    assert "Отсутствие гражданства Российской Федерации" in out
    code, out = _out(capsys, "rulebook", "show", "ru-2022", "--lang", "de")
    assert code == 2


def test_check_accepts_a_built_in_id(capsys: pytest.CaptureFixture[str]) -> None:
    for name in builtin_rulebooks():
        code, out = _out(capsys, "rulebook", "check", name)
        assert code == 0, out
        assert out.startswith(f"ok: {name}@")


def test_diff_of_dates_refuses_a_reversed_range(capsys: pytest.CaptureFixture[str]) -> None:
    code, out = _out(
        capsys, "rulebook", "diff", "ru-2022", "--from", "2023-01-01", "--to", "2022-10-01"
    )
    assert code == 2
    assert "--to 2022-10-01 is before --from 2023-01-01" in out


def test_diff_against_another_version(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = Path(str(builtin_rulebooks()["ru-2022-facilities"]))
    new = shutil.copytree(old, tmp_path / "ru-2022-facilities")
    params = new / "parameters.yaml"
    params.write_text(
        params.read_text(encoding="utf-8").replace(
            "value: 12, basis: sanitary norm (secondary sources)",
            "value: 10, basis: sanitary norm as amended",
        ),
        encoding="utf-8",
    )
    rules = new / "rules.yaml"
    text = rules.read_text(encoding="utf-8")
    start = text.index("  - id: FAC-GYM")
    rules.write_text(text[:start] + text[text.index("  - id: FAC-BEDS") :], encoding="utf-8")
    code, out = _out(capsys, "rulebook", "diff", new, "--against", "ru-2022-facilities")
    assert code == 0, out
    assert "- rule FAC-GYM (People living in a gym) removed" in out
    assert (
        "~ parameter air_m3_per_person: ~ from 2022-09-21: 12 -> 10 (sanitary norm as amended)"
        in out
    )
    code, out = _out(capsys, "rulebook", "diff", old, "--against", "ru-2022-facilities")
    assert code == 0 and "no changes" in out


_LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def _english_words(text: str, book: str) -> set[str]:
    """Latin words of `text` that are not the rulebook's identifiers (columns, rule and
    parameter names, outcome words, expressions) nor the names of acts (3633-IX)."""
    from nadzor.rules import resolve_rulebook

    rulebook = resolve_rulebook(book)
    known: set[str] = {"let", "and", "not", "or", "in"}
    for source in [
        *(c.name for c in rulebook.record_type.columns),
        *(v for c in rulebook.record_type.columns for v in (c.values or {})),
        *(p.name for p in rulebook.parameters),
        *(let.name for let in rulebook.lets),
        *(let.expr.source for let in rulebook.lets),
        *(r.id for r in rulebook.rules),
        *(p.when.source for r in rulebook.rules for p in r.periods),
        *(p.until.source for r in rulebook.rules for p in r.periods if p.until),
        *(t.source for r in rulebook.rules for p in r.periods for _, t in p.explains),
        *(o.id for o in rulebook.outcomes),
        *(v.id for v in rulebook.verdicts),
        *(s.id for s in rulebook.sources),
        rulebook.case.kind, rulebook.case.subject_kind, rulebook.jurisdiction, "true", "false",
        "yes", "no",
    ]:  # fmt: skip
        known |= set(_LATIN_WORD.findall(source))
    return {w for w in _LATIN_WORD.findall(text) if w not in known and not w.isupper()}


def test_show_in_ukrainian_leaves_no_english(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    code, out = _out(capsys, "rulebook", "show", "ua-2022", "--lang", "uk")
    assert code == 0
    for heading in ("Джерела", "Тип запису: реєстр призову (Україна)", "Параметри", "Правила"):
        assert heading in out
    assert "Закон України «Про мобілізаційну підготовку та мобілізацію»" in out
    assert "ч. 1 ст. 23 Закону України «Про мобілізаційну підготовку та мобілізацію»" in out
    assert "чинний з 24.02.2022" in out and "написання так/ні" in out
    assert _english_words(out, "ua-2022") == set()


def test_show_in_russian_speaks_russian_around_the_rulebook(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    code, out = _out(capsys, "rulebook", "show", "ru-2022", "--lang", "ru", "--as-of", "2022-10-10")
    assert code == 0
    for heading in ("Источники", "Тип записи", "Параметры", "Правила", "правовое основание"):
        assert heading in out
    assert "В редакции, действующей на 10.10.2022" in out
    for english in ("Sources", "Parameters", "Rules", "basis", "confidence", "open", "in force"):
        assert english not in out


def test_diff_of_dates_names_every_change_from_its_day(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    code, out = _out(
        capsys, "rulebook", "diff", "ua-2022", "--from", "2024-04-03", "--to", "2024-05-18"
    )
    assert code == 0
    assert "ua-2022@1.0.0: changes in the law from 2024-04-03 to 2024-05-18" in out
    assert (
        "+ rule UA22-LIMITED-FIT (Of limited fitness (category abolished)) comes into force" in out
    )
    assert "~ rule UA22-CHILDREN-3 (Three or more children under 18) from 2024-05-18:" in out
    assert (
        "condition: n18 >= 3 -> n18 >= 3 and not (alimony_arrears_months >"
        " alimony_arrears_max_months)"
    ) in out
    assert "~ parameter min_age_no_service" in out and ": 27 -> 25 (" in out
    assert "~ parameter temp_unfit_max_months" in out and ": 6 -> 12 (" in out
    assert "alimony_arrears_max_months" in out and "(no value) -> 3" in out
    # nothing changed before the first change
    code, out = _out(
        capsys, "rulebook", "diff", "ua-2022", "--from", "2023-01-01", "--to", "2024-04-03"
    )
    assert code == 0 and out.endswith("no changes")


def test_diff_in_ukrainian_reads_as_a_lawyer_would(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    code, out = _out(
        capsys, "rulebook", "diff", "ua-2022", "--from", "2024-04-03", "--to", "2024-05-18",
        "--lang", "uk",
    )  # fmt: skip
    assert code == 0
    assert "ua-2022@1.0.0: зміни законодавства з 03.04.2024 по 18.05.2024" in out
    assert (
        "+ правило UA22-LIMITED-FIT (Обмежено придатний (категорію скасовано)) набирає чинності"
        in out
    )
    assert "~ правило UA22-CARE (Догляд за родичем з інвалідністю) з 18.05.2024:" in out
    assert "у редакції Закону № 3633-IX" in out
    assert "~ параметр min_age_no_service" in out and ": 27 -> 25 (" in out
    assert "(значення немає) -> 3" in out
    assert _english_words(out, "ua-2022") == set()
    code, out = _out(
        capsys, "rulebook", "diff", "ua-2022", "--from", "2024-04-03", "--to", "2024-05-18",
        "--lang", "ru",
    )  # fmt: skip
    assert code == 2 and "written in en, uk" in out
