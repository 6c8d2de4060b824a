"""The spec's provision and facilities registers screen exactly to the expected findings,
with the rejected rows of the examples README and exit 3."""

from __future__ import annotations

from pathlib import Path

import pytest

from nadzor.rules import resolve_rulebook
from tests.conftest import EXAMPLES, call_cli, finding_keys, read_csv_rows

PROVISION = EXAMPLES / "ru-2022-provision-register.csv"
FACILITIES = EXAMPLES / "ru-2022-facilities-register.csv"

pytestmark = pytest.mark.skipif(
    not PROVISION.is_file(), reason="the spec's examples are not beside the project"
)


def _screen(register: Path, rulebook: str, out: Path, *extra: str) -> int:
    out.mkdir(parents=True, exist_ok=True)
    return call_cli(
        "screen",
        register,
        "--rulebook",
        rulebook,
        "--out",
        out / "findings.csv",
        "--summary",
        out / "summary.csv",
        *extra,
    )


@pytest.fixture(scope="module")
def provision(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("provision")
    assert _screen(PROVISION, "ru-2022-provision", out, "--as-of", "2023-01-20") == 3
    return out


@pytest.fixture(scope="module")
def facilities(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("facilities")
    assert _screen(FACILITIES, "ru-2022-facilities", out) == 3
    return out


def test_provision_gives_the_expected_findings(provision: Path) -> None:
    expected = finding_keys(EXAMPLES / "ru-2022-provision-findings-as-of-2023-01-20.csv")
    assert finding_keys(provision / "findings.csv") == expected


def test_provision_rejects_the_listed_rows(provision: Path) -> None:
    rows = {int(r["row"]): r for r in read_csv_rows(provision / "rejects.csv")}
    assert sorted(rows) == [34, 35, 36, 37, 38]
    assert (rows[34]["record_id"], rows[34]["column"], rows[34]["value"]) == (
        "p-bad-date",
        "deployed_on",
        "2022-11-31",
    )
    assert rows[35]["column"] == "arrived_on"
    assert "arrived_on 2022-10-01 is before mobilized_on 2022-10-03" in rows[35]["error"]
    assert (rows[36]["column"], rows[36]["value"]) == ("payment_amount", "195000.00")
    assert rows[37]["column"] == "mobilized_on"
    assert rows[37]["error"] == (
        "law date 2022-09-20 is before rulebook ru-2022-provision (in force from 2022-09-21)"
    )
    assert rows[38]["error"] == "duplicate record_id: first seen in row 1"


def test_provision_findings_carry_the_judgment_day_and_explain_the_dates(
    provision: Path,
) -> None:
    findings = read_csv_rows(provision / "findings.csv")
    assert {f["as_of"] for f in findings} == {"2023-01-20"}
    assert {f["deferment_until"] for f in findings} == {""}
    late = {f["record_id"]: f for f in findings if f["rule_id"] == "PROV-PAY-LATE"}
    assert late["p-paid-week-late"]["explanation"] == (
        "195000 RUB ordered on 2022-10-28, due by 2022-11-14 (10 working days),"
        " paid on 2022-11-21: 5 working days late"
    )
    summary = {r["record_id"]: r for r in read_csv_rows(provision / "summary.csv")}
    assert summary["p-everything"]["verdict"] == "breach"
    assert summary["p-waiting"]["verdict"] == "concern"
    assert summary["p-clear"] == {
        "record_id": "p-clear",
        "verdict": "clear",
        "rule_ids": "",
        "as_of": "2023-01-20",
    }


def test_provision_replays_an_earlier_judgment_day(tmp_path: Path) -> None:
    """As of 2022-12-05 the records mobilized later are rejected, and payments made later
    read as not made."""
    assert _screen(PROVISION, "ru-2022-provision", tmp_path, "--as-of", "2022-12-05") == 3
    rejects = read_csv_rows(tmp_path / "rejects.csv")
    late = [r for r in rejects if r["record_id"] == "p-no-order-day-31"]
    assert [r["error"] for r in late] == [
        "mobilized_on 2022-12-20 is after the judgment day 2022-12-05"
    ]
    keys = finding_keys(tmp_path / "findings.csv")
    # ordered on 2022-10-20, due 2022-11-03, paid 2022-11-02: on time whatever the day
    assert not any(k[0] == "p-clear" for k in keys)
    # p-paid-week-late was paid on 2022-11-21, before 2022-12-05: still late
    assert ("p-paid-week-late", "PROV-PAY-LATE", "breach", "") in keys
    # p-winter-january-no-kit is deployed on 2023-01-16: not yet, so not a winter finding
    assert not any(k[:2] == ("p-winter-january-no-kit", "PROV-WINTER-DEPLOYED") for k in keys)


def test_facilities_give_the_expected_findings(facilities: Path) -> None:
    expected = finding_keys(EXAMPLES / "ru-2022-facilities-findings.csv")
    assert finding_keys(facilities / "findings.csv") == expected
    assert "as_of" not in read_csv_rows(facilities / "findings.csv")[0]


def test_facilities_reject_the_listed_rows(facilities: Path) -> None:
    rows = {int(r["row"]): r for r in read_csv_rows(facilities / "rejects.csv")}
    assert sorted(rows) == [27, 28, 29, 30]
    assert (rows[27]["column"], rows[27]["value"]) == ("premises", "school")
    assert "barracks" in rows[27]["error"] and "hangar" in rows[27]["error"]
    assert (rows[28]["column"], rows[28]["value"]) == ("bunk_tiers", "5")
    assert "1 to 4" in rows[28]["error"]
    assert (rows[29]["column"], rows[29]["value"]) == ("inspected_on", "31.09.2022")
    assert rows[30]["error"] == "duplicate record_id: first seen in row 1"


def test_facilities_explanations_name_the_figures(facilities: Path) -> None:
    found = {(f["record_id"], f["rule_id"]): f for f in read_csv_rows(facilities / "findings.csv")}
    assert found[("f-gym", "FAC-BEDS")]["explanation"] == "120 people, 80 beds: 40 without a bed"
    assert found[("f-gym", "FAC-AIR")]["explanation"] == (
        "900 m³ for 120 people: 7.5 m³ each, below 12 m³"
    )
    rules = {r.id: r for r in resolve_rulebook("ru-2022-facilities").rules}
    for finding in found.values():
        assert finding["basis"] == rules[finding["rule_id"]].periods[0].basis
        assert finding["rulebook"] == "ru-2022-facilities@1.0.0"
    summary = {r["record_id"]: r["verdict"] for r in read_csv_rows(facilities / "summary.csv")}
    assert summary["f-gym"] == "breach" and summary["f-gym-second-visit"] == "concern"
    assert summary["f-clear"] == "clear"


def test_explanations_in_russian(tmp_path: Path) -> None:
    assert _screen(FACILITIES, "ru-2022-facilities", tmp_path, "--lang", "ru") == 3
    found = {(f["record_id"], f["rule_id"]): f for f in read_csv_rows(tmp_path / "findings.csv")}
    assert (
        found[("f-gym", "FAC-BEDS")]["explanation"] == "120 чел., 80 кроватей: 40 чел. без кровати"
    )


def test_an_undeclared_language_is_a_usage_error(tmp_path: Path) -> None:
    assert _screen(FACILITIES, "ru-2022-facilities", tmp_path, "--lang", "de") == 2
    assert not (tmp_path / "findings.csv").exists()


def test_a_law_date_after_the_judgment_day_is_rejected_with_its_reason(tmp_path: Path) -> None:
    register = tmp_path / "r.csv"
    register.write_text(
        "record_id,unit,mobilized_on\nlate,u1,2023-01-15\nok,u1,2022-12-01\n", encoding="utf-8"
    )
    assert _screen(register, "ru-2022-provision", tmp_path / "out", "--as-of", "2022-12-05") == 3
    rejects = read_csv_rows(tmp_path / "out" / "rejects.csv")
    assert [(r["record_id"], r["column"], r["error"]) for r in rejects] == [
        ("late", "mobilized_on", "mobilized_on 2023-01-15 is after the judgment day 2022-12-05")
    ]
