"""The spec's public example register screens to exactly the expected findings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from nadzor.rules import resolve_rulebook
from tests.conftest import EXAMPLES, call_cli, finding_keys, read_csv_rows

REGISTER = EXAMPLES / "ru-2022-register.csv"

pytestmark = pytest.mark.skipif(
    not REGISTER.is_file(), reason="the spec's examples are not beside the project"
)


@dataclass(frozen=True)
class Run:
    code: int
    findings: Path
    rejects: Path
    summary: Path

    def rows(self) -> list[dict[str, str]]:
        return read_csv_rows(self.findings)


def _run(directory: Path, *extra: str, suffix: str = ".csv") -> Run:
    directory.mkdir(parents=True, exist_ok=True)
    run = Run(
        0,
        directory / f"findings{suffix}",
        directory / f"rejects{suffix}",
        directory / f"summary{suffix}",
    )
    code = call_cli(
        "screen",
        REGISTER,
        "--rulebook",
        "ru-2022",
        "--out",
        run.findings,
        "--rejects",
        run.rejects,
        "--summary",
        run.summary,
        *extra,
    )
    return Run(code, run.findings, run.rejects, run.summary)


@pytest.fixture(scope="module")
def default_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return _run(tmp_path_factory.mktemp("default"))


@pytest.fixture(scope="module")
def as_of_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    return _run(tmp_path_factory.mktemp("as-of"), "--as-of", "2023-06-01")


def test_default_run_gives_the_expected_findings_and_rejects(default_run: Run) -> None:
    assert default_run.code == 3
    assert finding_keys(default_run.findings) == finding_keys(EXAMPLES / "ru-2022-findings.csv")
    assert [int(r["row"]) for r in read_csv_rows(default_run.rejects)] == [
        41,
        42,
        43,
        44,
        45,
        46,
        47,
    ]


def test_as_of_run_gives_the_expected_findings_and_rejects(as_of_run: Run) -> None:
    assert as_of_run.code == 3
    expected = finding_keys(EXAMPLES / "ru-2022-findings-as-of-2023-06-01.csv")
    assert finding_keys(as_of_run.findings) == expected
    assert [int(r["row"]) for r in read_csv_rows(as_of_run.rejects)] == [41, 42, 43, 44, 45, 47]


def test_rejects_name_row_column_value_and_error(default_run: Run) -> None:
    rows = {int(r["row"]): r for r in read_csv_rows(default_run.rejects)}
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
    assert rows[46]["column"] == "callup_date"
    assert (
        rows[46]["error"]
        == "evaluation date 2022-09-01 is before rulebook ru-2022 (in force from 2022-09-21)"
    )
    assert rows[47]["column"] == "record_id"
    assert rows[47]["error"] == "duplicate record_id: first seen in row 1"


def test_every_finding_carries_the_basis_in_force_and_the_rulebook(default_run: Run) -> None:
    rules = {r.id: r for r in resolve_rulebook("ru-2022").rules}
    register = {r["record_id"]: r for r in read_csv_rows(REGISTER)}
    for finding in default_run.rows():
        day = dt.date.fromisoformat(register[finding["record_id"]]["callup_date"])
        period = rules[finding["rule_id"]].period_on(day)
        assert period is not None
        assert finding["basis"] == period.basis
        assert finding["rulebook"] == "ru-2022@1.0.0"
        assert finding["explanation"] and "{" not in finding["explanation"]


EXPLANATIONS = [
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
        ["health category D (unfit) set on 2022-09-27; unfit persons are not subject to call-up"],
    ),
    ("health-g", "RU22-HEALTH-G", ["set on 2022-06-01", "until 2022-12-01"]),
    ("health-g-expired", "RU22-HEALTH-G-EXPIRED", ["set on 2022-03-01", "ended 2022-09-01"]),
    (
        "age-soldier-50",
        "RU22-AGE-LIMIT",
        ["aged 50 on 2022-09-28", "born 1972-09-28", "soldier", "is 50"],
    ),
    ("minor-1", "RU22-MINOR", ["aged 17 on 2022-09-28", "born 2004-10-01", "under 18"]),
    ("conv-listed-dec", "RU22-CONVICTION-LISTED", ["article(s) 205.1"]),
    ("conv-check-dec", "RU22-CONVICTION-CHECK", ["article(s) 131;"]),
    ("reserved", "RU22-RESERVATION", ["until 2023-06-30", "on 2022-09-28"]),
    ("student", "RU22-STUDENT", ["until 2025-06-30"]),
    ("single", "RU22-SINGLE-PARENT", ["born 2015-04-04", "until 2031-04-03"]),
    ("pregnancy", "RU22-PREGNANCY", ["24 weeks pregnant", "at least 22"]),
    ("many", "RU22-CARE", ["cares_for_relative = yes", "other_carers_available = [not recorded]"]),
]


@pytest.mark.parametrize(("record", "rule", "fragments"), EXPLANATIONS)
def test_explanations_name_the_facts_with_their_values(
    default_run: Run, record: str, rule: str, fragments: list[str]
) -> None:
    found = {(r["record_id"], r["rule_id"]): r["explanation"] for r in default_run.rows()}
    for fragment in fragments:
        assert fragment in found[(record, rule)]


def test_near_misses_have_no_findings(default_run: Run) -> None:
    flagged = {r["record_id"] for r in default_run.rows()}
    for near_miss in (
        "care-others",
        "reserved-expired",
        "single-grown",
        "health-v",
        "adult-18-today",
        "age-soldier-49",
        "age-general-69",
        "conv-grave-dec",
        "dmy-dates",
        "clear-officer",
    ):
        assert near_miss not in flagged


def test_basis_follows_the_period_in_force(tmp_path: Path) -> None:
    run = _run(tmp_path, "--as-of", "2024-06-01")
    bases = {(r["record_id"], r["rule_id"]): r["basis"] for r in run.rows()}
    assert (
        bases[("age-soldier-50", "RU22-AGE-LIMIT")]
        == "53-FZ art. 53 as amended by 326-FZ (from 2024-01-01)"
    )
    assert (
        bases[("conv-listed-dec", "RU22-CONVICTION-LISTED")]
        == "31-FZ art. 17(4) as amended by 421-FZ"
    )


def test_summary_gives_one_verdict_per_screened_record(default_run: Run) -> None:
    rows = {r["record_id"]: r for r in read_csv_rows(default_run.summary)}
    assert len(rows) == 41
    assert rows["clear-1"] == {"record_id": "clear-1", "verdict": "clear", "rule_ids": ""}
    assert rows["many"] == {
        "record_id": "many",
        "verdict": "unlawful",
        "rule_ids": "RU22-CARE;RU22-CHILDREN-4;RU22-HEALTH-D",
    }
    assert rows["woman"]["verdict"] == "review"
    assert rows["age-woman-45"]["verdict"] == "unlawful"
    assert rows["kids-3-sep"]["verdict"] == "review"


def test_parquet_outputs_hold_the_same_rows(default_run: Run, tmp_path: Path) -> None:
    run = _run(tmp_path, suffix=".parquet")
    assert run.code == 3
    assert finding_keys(run.findings) == finding_keys(default_run.findings)
    assert str(pq.read_table(run.findings).schema.field("deferment_until").type) == "date32[day]"
    assert pq.read_table(run.rejects).column("row").to_pylist() == [41, 42, 43, 44, 45, 46, 47]
    assert pq.read_table(run.summary).num_rows == 41
