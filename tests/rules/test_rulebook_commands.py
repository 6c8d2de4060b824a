"""`nadzor rulebook show | diff | check` for any rulebook (record-types.md, "Commands that
change")."""

from __future__ import annotations

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
