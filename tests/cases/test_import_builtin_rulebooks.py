"""The spec's example registers of the monitoring rulebooks, screened and imported as cases:
one case per facility of kind `conditions`; one per person of kind `provision`."""

from __future__ import annotations

from pathlib import Path

import pytest

from nadzor.cases.services import import_findings
from nadzor.rules import builtin_rulebooks
from nadzor.store.models import Case
from tests.conftest import EXAMPLES, call_cli, read_csv_rows

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not {"ru-2022-provision", "ru-2022-facilities"} <= set(builtin_rulebooks()),
        reason="the monitoring rulebooks are not built in",
    ),
    pytest.mark.skipif(
        not (EXAMPLES / "ru-2022-facilities-register.csv").is_file(),
        reason="the spec's examples are not beside the project",
    ),
]


def _screen(tmp_path: Path, register: str, rulebook: str, *extra: str) -> Path:
    findings = tmp_path / f"{rulebook}-findings.csv"
    code = call_cli(
        "screen", EXAMPLES / register, "--rulebook", rulebook, *extra,
        "--out", findings, "--rejects", tmp_path / f"{rulebook}-rejects.csv",
    )  # fmt: skip
    assert code == 3  # the examples have malformed rows
    return findings


def test_facility_findings_make_one_case_per_facility(tmp_path: Path) -> None:
    findings = _screen(tmp_path, "ru-2022-facilities-register.csv", "ru-2022-facilities")
    register = EXAMPLES / "ru-2022-facilities-register.csv"
    facility_of = {}
    for row in read_csv_rows(register):
        facility_of.setdefault(row["record_id"].strip(), row["facility_id"].strip())
    found = read_csv_rows(findings)
    report = import_findings(findings, register=register)  # the file names its rulebook
    facilities = {facility_of[row["record_id"]] for row in found}
    assert report.cases_created == len(facilities) < len({row["record_id"] for row in found})
    for case in Case.objects.all():
        assert (case.kind, case.subject_kind) == ("conditions", "facility")
        records = {facility_of[r] for r in case.findings.values_list("record_id", flat=True)}
        assert records == {case.record_id}
    priorities = {case.record_id: case.priority for case in Case.objects.all()}
    outcomes: dict[str, set[str]] = {}
    for row in found:
        outcomes.setdefault(facility_of[row["record_id"]], set()).add(row["outcome"])
    assert priorities == {
        facility: "high" if "breach" in words else "normal" for facility, words in outcomes.items()
    }


def test_provision_findings_make_one_case_per_person(tmp_path: Path) -> None:
    findings = _screen(
        tmp_path, "ru-2022-provision-register.csv", "ru-2022-provision", "--as-of", "2023-01-20"
    )
    report = import_findings(findings, register=EXAMPLES / "ru-2022-provision-register.csv")
    people = {row["record_id"] for row in read_csv_rows(findings)}
    assert report.cases_created == len(people)
    assert set(Case.objects.values_list("kind", "subject_kind")) == {("provision", "person")}
    assert set(Case.objects.values_list("record_id", flat=True)) == people
    assert not Case.objects.filter(facility="").exists()  # the unit, from the register


@pytest.mark.skipif("ua-2022" not in builtin_rulebooks(), reason="ua-2022 is not built in")
def test_ukrainian_call_up_findings_make_one_case_per_person(tmp_path: Path) -> None:
    findings = _screen(tmp_path, "ua-2022-register.csv", "ua-2022", "--lang", "uk")
    report = import_findings(findings, register=EXAMPLES / "ua-2022-register.csv")
    people = {row["record_id"] for row in read_csv_rows(findings)}
    assert report.cases_created == len(people)
    assert set(Case.objects.values_list("kind", "subject_kind")) == {("unlawful_callup", "person")}
    assert set(Case.objects.values_list("record_id", flat=True)) == people
    # the register's reporting columns (region, tcc) reach the case
    assert set(Case.objects.values_list("region", flat=True)) == {"Kyivska oblast"}
    woman = Case.objects.get(record_id="ua-woman")
    assert [f.explanation for f in woman.findings.all()] == [
        "призвано жінку; примусова мобілізація жінок на практиці не здійснюється,"
        " що потребує перевірки"
    ]
