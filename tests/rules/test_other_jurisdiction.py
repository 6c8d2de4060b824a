"""The rulebook format serves another record type with no engine change.

`fixtures/facility-2023` is a small, fictional rulebook for inspections of training centres:
its own columns, key and evaluation date, parameters with dated periods, rules of every
outcome and its own tests as data. It loads with the same loader, its tests pass through
the same screening engine, and `nadzor screen` screens a CSV of inspections end to end.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import shutil
from pathlib import Path

import pytest

from nadzor.cli import main
from nadzor.rules import Rulebook, load_rulebook
from nadzor.screening import run_rulebook_tests

FACILITY = Path(__file__).resolve().parent / "fixtures" / "facility-2023"

REGISTER = """\
inspection_id,inspected_on,facility,opened_on,beds,occupants,has_medic,winter_kit_issued,defects,inspector
I-1,2023-09-01,Camp A,2020-05-01,100,40,true,full,,Ivanova
I-2,2023-09-01,Camp B,2020-05-01,100,101,true,full,,Ivanova
I-3,2023-10-31,Camp C,,80,60,false,partial,paint_peeling;no_water,Petrov
I-4,02.11.2023,Camp D,,80,10,yes,нет,,Petrov
I-5,2023-09-01,Camp E,,-5,10,yes,full,,Petrov
I-6,2023-06-30,Camp F,,200,99,no,,,Sidorov
"""


@pytest.fixture(scope="module")
def facility() -> Rulebook:
    return load_rulebook(FACILITY)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_it_loads_with_its_own_record_type(facility: Rulebook) -> None:
    assert facility.ref == "facility-2023@0.1.0"
    record = facility.record_type
    assert record.name == "inspection register"
    assert record.key == "inspection_id"
    assert record.evaluation_date == "inspected_on"
    assert [c.name for c in record.columns] == [
        "inspection_id", "inspected_on", "facility", "opened_on", "beds", "occupants",
        "has_medic", "winter_kit_issued", "defects", "inspector",
    ]  # fmt: skip
    assert record.column("winter_kit_issued").values == {
        "none": ("none", "нет"),
        "partial": ("partial",),
        "full": ("full",),
    }
    assert [c.column for c in record.checks] == ["opened_on"]
    assert {p.name: p.type for p in facility.parameters} == {
        "medic_min_occupants": "int",
        "winter_kit_due": "date",
        "serious_defects": "list<text>",
    }
    assert [r.id for r in facility.rules] == [
        "FAC-OVERCROWDED", "FAC-NO-MEDIC", "FAC-SERIOUS-DEFECT", "FAC-KIT-GRACE", "FAC-WINTER-KIT",
    ]  # fmt: skip
    assert {r.outcome for r in facility.rules} == {"review", "deferment", "not_subject"}
    assert [let.name for let in facility.lets] == ["kit_short"]


def test_parameter_values_follow_their_periods(facility: Rulebook) -> None:
    medic = facility.parameter("medic_min_occupants")
    assert medic.period_on(dt.date(2023, 6, 30)).value == 100  # type: ignore[union-attr]
    assert medic.period_on(dt.date(2023, 7, 1)).value == 50  # type: ignore[union-attr]
    due = facility.parameter("winter_kit_due").period_on(dt.date(2023, 1, 1))
    assert due is not None
    assert due.value == dt.date(2023, 11, 1)


def test_it_is_not_tied_to_the_call_up_register(facility: Rulebook) -> None:
    names = {c.name for c in facility.record_type.columns}
    assert not names & {"record_id", "callup_date", "birth_date", "sex"}


def test_its_own_tests_pass_through_the_screening_engine(facility: Rulebook) -> None:
    assert len(facility.tests) == 21
    assert {t.file for t in facility.tests} == {"facility-2023/tests/cases.yaml"}
    result = run_rulebook_tests(facility)
    failures = [f"{f.case.name}: {'; '.join(f.problems)}" for f in result.failures]
    assert failures == []
    assert result.passed == len(facility.tests)


def test_a_wrong_expectation_in_its_tests_is_caught(tmp_path: Path) -> None:
    """The self-test is not vacuous: a case that expects the wrong finding fails."""
    copy = tmp_path / "facility-2023"
    shutil.copytree(FACILITY, copy)
    cases = copy / "tests" / "cases.yaml"
    text = cases.read_text(encoding="utf-8")
    old = "    record: {occupants: 100}\n    expect: []\n"
    assert text.count(old) == 1
    cases.write_text(
        text.replace(old, "    record: {occupants: 100}\n    expect: [FAC-OVERCROWDED]\n"),
        encoding="utf-8",
    )
    old = "      - {rule: FAC-KIT-GRACE, until: 2023-10-31,"
    assert text.count(old) == 1
    cases.write_text(
        cases.read_text(encoding="utf-8").replace(
            old, "      - {rule: FAC-KIT-GRACE, until: 2023-11-01,"
        ),
        encoding="utf-8",
    )
    result = run_rulebook_tests(load_rulebook(copy))
    assert result.passed == 19
    by_name = {f.case.name: f.problems for f in result.failures}
    assert by_name == {
        "as many occupants as beds is not overcrowded": (
            "expected FAC-OVERCROWDED; got no findings",
        ),
        "kit partly issued on the last day before it is due": (
            "FAC-KIT-GRACE: expected until 2023-11-01, got 2023-10-31",
        ),
    }


def test_its_check_and_rulebook_commands_work(capsys: pytest.CaptureFixture[str]) -> None:
    main(["rulebook", "check", str(FACILITY)])
    assert capsys.readouterr().out == "ok: facility-2023@0.1.0: 5 rules, 3 parameters, 21 tests\n"
    main(["rulebook", "test", str(FACILITY)])
    assert capsys.readouterr().out.splitlines()[-1] == "21 passed, 0 failed"


def test_screen_a_register_of_inspections_end_to_end(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    register = tmp_path / "inspections.csv"
    register.write_text(REGISTER, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    findings_path = out / "findings.csv"
    summary_path = out / "summary.csv"
    with pytest.raises(SystemExit) as exit_info:
        main(
            [
                "screen", str(register), "--rulebook", str(FACILITY),
                "--out", str(findings_path), "--summary", str(summary_path),
            ]
        )  # fmt: skip
    assert exit_info.value.code == 3  # one row rejected, the rest screened
    capsys.readouterr()

    findings = read_csv(findings_path)
    assert list(findings[0]) == [
        "record_id", "rule_id", "outcome", "deferment_until", "basis", "explanation", "rulebook",
    ]  # fmt: skip
    assert [
        (f["record_id"], f["rule_id"], f["outcome"], f["deferment_until"]) for f in findings
    ] == [
        ("I-2", "FAC-OVERCROWDED", "review", ""),
        ("I-3", "FAC-NO-MEDIC", "review", ""),
        ("I-3", "FAC-SERIOUS-DEFECT", "review", ""),
        ("I-3", "FAC-KIT-GRACE", "deferment", "2023-10-31"),
        ("I-4", "FAC-WINTER-KIT", "not_subject", ""),
    ]
    by_key = {(f["record_id"], f["rule_id"]): f for f in findings}
    assert by_key["I-2", "FAC-OVERCROWDED"]["explanation"] == (
        "101 occupants for 100 beds at Camp B on 2023-09-01"
    )
    assert by_key["I-3", "FAC-NO-MEDIC"]["basis"] == "Regulation No. 1 para 4 as amended by No. 1/2"
    assert by_key["I-3", "FAC-NO-MEDIC"]["explanation"] == (
        "60 occupants and no medic on duty on 2023-10-31 (has_medic = no);"
        " a medic is required from 50 occupants"
    )
    assert (
        by_key["I-3", "FAC-SERIOUS-DEFECT"]["explanation"] == "serious defect(s) no_water at Camp C"
    )
    assert by_key["I-4", "FAC-WINTER-KIT"]["explanation"] == (
        "winter kit none on 2023-11-02, due in full by 2023-11-01"
    )
    assert {f["rulebook"] for f in findings} == {"facility-2023@0.1.0"}

    rejects = read_csv(out / "rejects.csv")
    assert [(r["row"], r["record_id"], r["column"], r["value"]) for r in rejects] == [
        ("5", "I-5", "beds", "-5")
    ]

    summary = {
        row["record_id"]: (row["verdict"], row["rule_ids"]) for row in read_csv(summary_path)
    }
    assert summary == {
        "I-1": ("clear", ""),
        "I-2": ("review", "FAC-OVERCROWDED"),
        "I-3": ("unlawful", "FAC-KIT-GRACE;FAC-NO-MEDIC;FAC-SERIOUS-DEFECT"),
        "I-4": ("unlawful", "FAC-WINTER-KIT"),
        "I-6": ("clear", ""),  # 99 occupants: under the threshold of 100 before 2023-07-01
    }


def test_screen_as_of_a_day_uses_the_law_of_that_day(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    register = tmp_path / "inspections.csv"
    register.write_text(
        "inspection_id,inspected_on,facility,beds,occupants,has_medic\n"
        "J-1,2023-03-01,Camp A,200,60,no\n",
        encoding="utf-8",
    )
    first = tmp_path / "before.csv"
    second = tmp_path / "after.csv"
    main(["screen", str(register), "--rulebook", str(FACILITY), "--out", str(first)])
    main(
        [
            "screen",
            str(register),
            "--rulebook",
            str(FACILITY),
            "--out",
            str(second),
            "--as-of",
            "2023-07-01",
        ]
    )
    capsys.readouterr()
    assert read_csv(first) == []  # 60 < 100 on its own inspection day
    assert [(f["record_id"], f["rule_id"]) for f in read_csv(second)] == [("J-1", "FAC-NO-MEDIC")]


def test_screen_rejects_an_inspection_before_the_rulebook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    register = tmp_path / "inspections.csv"
    register.write_text(
        "inspection_id,inspected_on,facility,beds,occupants\nK-1,2022-12-31,Camp A,10,5\n",
        encoding="utf-8",
    )
    with pytest.raises(SystemExit) as exit_info:
        main(
            ["screen", str(register), "--rulebook", str(FACILITY), "--out", str(tmp_path / "f.csv")]
        )
    assert exit_info.value.code == 3
    capsys.readouterr()
    (reject,) = read_csv(tmp_path / "rejects.csv")
    assert reject["column"] == "inspected_on"
    assert reject["error"] == (
        "evaluation date 2022-12-31 is before rulebook facility-2023 (in force from 2023-01-01)"
    )


def test_an_int_column_that_allows_negative_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / "facility-2023"
    shutil.copytree(FACILITY, copy, ignore=shutil.ignore_patterns("tests"))
    record = copy / "record.yaml"
    text = record.read_text(encoding="utf-8")
    marker = "  - {name: inspector, type: text, reporting_only: true}\n"
    record.write_text(
        text.replace(marker, marker + "  - {name: lowest_temp_c, type: int, min: -60, max: 50}\n"),
        encoding="utf-8",
    )
    register = tmp_path / "inspections.csv"
    register.write_text(
        "inspection_id,inspected_on,facility,beds,occupants,lowest_temp_c\n"
        "T-1,2023-12-01,Camp A,10,5,-12\n",
        encoding="utf-8",
    )
    main(["screen", str(register), "--rulebook", str(copy), "--out", str(tmp_path / "f.csv")])
    capsys.readouterr()
    assert not (tmp_path / "rejects.csv").exists()


def screen_with_temperatures(
    tmp_path: Path, minimum: int, values: list[str]
) -> list[dict[str, str]]:
    """Screen one inspection per value of a new int column `lowest_temp_c`; the rejects."""
    copy = tmp_path / "facility-2023"
    shutil.copytree(FACILITY, copy, ignore=shutil.ignore_patterns("tests"))
    record = copy / "record.yaml"
    marker = "  - {name: inspector, type: text, reporting_only: true}\n"
    column = f"  - {{name: lowest_temp_c, type: int, min: {minimum}, max: 50}}\n"
    record.write_text(
        record.read_text(encoding="utf-8").replace(marker, marker + column), encoding="utf-8"
    )
    rows = [f"T-{n},2023-12-01,Camp A,10,5,{value}" for n, value in enumerate(values, start=1)]
    register = tmp_path / "inspections.csv"
    register.write_text(
        "inspection_id,inspected_on,facility,beds,occupants,lowest_temp_c\n"
        + "\n".join(rows)
        + "\n",
        encoding="utf-8",
    )
    with contextlib.suppress(SystemExit):  # rejects make `screen` exit non-zero
        main(["screen", str(register), "--rulebook", str(copy), "--out", str(tmp_path / "f.csv")])
    rejects = tmp_path / "rejects.csv"
    return read_csv(rejects) if rejects.exists() else []


def test_int_text_with_a_sign_or_a_decimal_point_is_rejected_with_a_neutral_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rejects = screen_with_temperatures(tmp_path, 0, ["22", "+22", "22.0", "-12", "2 2"])
    capsys.readouterr()
    assert [(r["record_id"], r["value"], r["error"]) for r in rejects] == [
        (key, value, "not a whole number: expected digits only")
        for key, value in [("T-2", "+22"), ("T-3", "22.0"), ("T-4", "-12"), ("T-5", "2 2")]
    ]


def test_int_text_may_have_a_leading_minus_when_the_column_allows_negatives(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rejects = screen_with_temperatures(
        tmp_path, -60, ["-12", "0", "22", "+22", "22.0", "--3", "-", "-61"]
    )
    capsys.readouterr()
    wrong = "not a whole number: expected digits only, with an optional leading -"
    assert [(r["record_id"], r["value"], r["error"]) for r in rejects] == [
        ("T-4", "+22", wrong),
        ("T-5", "22.0", wrong),
        ("T-6", "--3", wrong),
        ("T-7", "-", wrong),
        ("T-8", "-61", "out of range: expected -60 to 50"),
    ]
