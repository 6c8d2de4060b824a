"""The spec's public example register screens to exactly the expected findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from nadzor.rules import resolve_rulebook
from tests.conftest import finding_keys, read_csv_rows

AS_OF = "2023-06-01"


def _screen(run_cli, examples: Path, tmp_path: Path, *extra: str):  # type: ignore[no-untyped-def]
    out = tmp_path / "findings.csv"
    result = run_cli(
        "screen", examples / "ru-2022-register.csv", "--rulebook", "ru-2022", "--out", out, *extra
    )
    return result, out, tmp_path / "rejects.csv"


def test_default_run_gives_the_expected_findings_and_rejects(
    run_cli, examples: Path, tmp_path: Path
) -> None:
    result, out, rejects = _screen(run_cli, examples, tmp_path)
    assert result.code == 3
    assert finding_keys(out) == finding_keys(examples / "ru-2022-findings.csv")
    assert [int(r["row"]) for r in read_csv_rows(rejects)] == [41, 42, 43, 44, 45, 46, 47]
    assert "48 rows" in result.out or "48" in result.out


def test_as_of_run_gives_the_expected_findings_and_rejects(
    run_cli, examples: Path, tmp_path: Path
) -> None:
    result, out, rejects = _screen(run_cli, examples, tmp_path, "--as-of", AS_OF)
    assert result.code == 3
    assert finding_keys(out) == finding_keys(examples / "ru-2022-findings-as-of-2023-06-01.csv")
    assert [int(r["row"]) for r in read_csv_rows(rejects)] == [41, 42, 43, 44, 45, 47]


def test_rejects_name_row_column_value_and_error(run_cli, examples: Path, tmp_path: Path) -> None:
    _, _, rejects = _screen(run_cli, examples, tmp_path)
    rows = {int(r["row"]): r for r in read_csv_rows(rejects)}
    assert rows[41] == {
        "row": "41",
        "record_id": "bad-date",
        "column": "birth_date",
        "value": "1990/05/14",
        "error": "not a date: expected YYYY-MM-DD or DD.MM.YYYY",
    }
    assert rows[42]["column"] == "sex" and "M, F" in rows[42]["error"]
    assert rows[43]["column"] == "in_reserve" and rows[43]["value"] == "maybe"
    assert rows[44]["column"] == "wife_pregnancy_weeks" and "0 to 45" in rows[44]["error"]
    assert (
        rows[45]["column"] == "birth_date" and "on or after the call-up date" in rows[45]["error"]
    )
    assert rows[46]["error"] == (
        "evaluation date 2022-09-01 is before rulebook ru-2022 (in force from 2022-09-21)"
    )
    assert (
        rows[47]["column"] == "record_id"
        and rows[47]["error"] == "duplicate record_id: first seen in row 1"
    )


def test_every_finding_carries_the_basis_in_force_and_the_rulebook(
    run_cli, examples: Path, tmp_path: Path
) -> None:
    import datetime as dt

    _, out, _ = _screen(run_cli, examples, tmp_path)
    book = resolve_rulebook("ru-2022")
    rules = {r.id: r for r in book.rules}
    register = {r["record_id"]: r for r in read_csv_rows(examples / "ru-2022-register.csv")}
    for finding in read_csv_rows(out):
        rule = rules[finding["rule_id"]]
        day = dt.date.fromisoformat(register[finding["record_id"]]["callup_date"])
        period = rule.period_on(day)
        assert period is not None
        assert finding["basis"] == period.basis
        assert finding["rulebook"] == "ru-2022@1.0.0"
        assert finding["explanation"] and "{" not in finding["explanation"]


@pytest.mark.parametrize(
    ("record", "rule", "fragments"),
    [
        (
            "kids-4",
            "RU22-CHILDREN-4",
            [
                "4 children under 16 on 2022-09-28 (born 2008-03-02, 2011-07-19, 2014-01-05, 2019-11-30);"
                " deferment while 4 are under 16, until 2024-03-01",
            ],
        ),
        (
            "health-d",
            "RU22-HEALTH-D",
            [
                "health category D (unfit) set on 2022-09-27; unfit persons are not subject to call-up"
            ],
        ),
        ("health-g", "RU22-HEALTH-G", ["set on 2022-06-01", "until 2022-12-01"]),
        ("age-soldier-50", "RU22-AGE-LIMIT", ["aged 50 on 2022-09-28", "born 1972-09-28", "is 50"]),
        ("minor-1", "RU22-MINOR", ["aged 17 on 2022-09-28", "born 2004-10-01", "under 18"]),
        ("conv-listed-dec", "RU22-CONVICTION-LISTED", ["article(s) 205.1"]),
        ("conv-check-dec", "RU22-CONVICTION-CHECK", ["article(s) 131;"]),
        ("reserved", "RU22-RESERVATION", ["until 2023-06-30", "on 2022-09-28"]),
        ("student", "RU22-STUDENT", ["until 2025-06-30"]),
        ("single", "RU22-SINGLE-PARENT", ["born 2015-04-04", "until 2031-04-03"]),
        ("pregnancy", "RU22-PREGNANCY", ["24 weeks pregnant", "at least 22"]),
        (
            "many",
            "RU22-CARE",
            ["cares_for_relative = yes", "other_carers_available = [not recorded]"],
        ),
        ("care-others", None, []),
    ],
)
def test_explanations_name_the_facts_with_their_values(
    run_cli, examples: Path, tmp_path: Path, record: str, rule: str | None, fragments: list[str]
) -> None:
    _, out, _ = _screen(run_cli, examples, tmp_path)
    found = {(r["record_id"], r["rule_id"]): r for r in read_csv_rows(out)}
    if rule is None:
        assert not [k for k in found if k[0] == record]
        return
    explanation = found[(record, rule)]["explanation"]
    for fragment in fragments:
        assert fragment in explanation


def test_basis_names_the_citation_of_the_period_in_force(
    run_cli, examples: Path, tmp_path: Path
) -> None:
    _, out, _ = _screen(run_cli, examples, tmp_path, "--as-of", "2024-06-01")
    bases = {(r["record_id"], r["rule_id"]): r["basis"] for r in read_csv_rows(out)}
    assert (
        bases[("age-soldier-50", "RU22-AGE-LIMIT")]
        == "53-FZ art. 53 as amended by 326-FZ (from 2024-01-01)"
    )
    assert (
        bases[("conv-listed-dec", "RU22-CONVICTION-LISTED")]
        == "31-FZ art. 17(4) as amended by 421-FZ"
    )


def test_summary_gives_one_verdict_per_screened_record(
    run_cli, examples: Path, tmp_path: Path
) -> None:
    summary = tmp_path / "summary.csv"
    _screen(run_cli, examples, tmp_path, "--summary", summary)
    rows = {r["record_id"]: r for r in read_csv_rows(summary)}
    assert len(rows) == 41
    assert rows["clear-1"]["verdict"] == "clear" and rows["clear-1"]["rule_ids"] == ""
    assert rows["many"] == {
        "record_id": "many",
        "verdict": "unlawful",
        "rule_ids": "RU22-CARE;RU22-CHILDREN-4;RU22-HEALTH-D",
    }
    assert rows["woman"]["verdict"] == "review"
    assert rows["age-woman-45"]["verdict"] == "unlawful"
    assert rows["kids-3-sep"]["verdict"] == "review"


def test_parquet_outputs_hold_the_same_findings(run_cli, examples: Path, tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    out = tmp_path / "findings.parquet"
    result = run_cli(
        "screen",
        examples / "ru-2022-register.csv",
        "--out",
        out,
        "--rejects",
        tmp_path / "rej.parquet",
    )
    assert result.code == 3
    assert finding_keys(out) == finding_keys(examples / "ru-2022-findings.csv")
    table = pq.read_table(out)
    assert str(table.schema.field("deferment_until").type) == "date32[day]"
    assert pq.read_table(tmp_path / "rej.parquet").column("row").to_pylist() == [
        41,
        42,
        43,
        44,
        45,
        46,
        47,
    ]
