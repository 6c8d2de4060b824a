"""Cases from the findings of any rulebook: its case kind, its subject, its words.

The fixture rulebook `inspect-2023` inspects training centres: its outcomes are `breach`,
`grace` (with an end date) and `concern`, and a case is about one facility, so that
several inspections of one centre make one case.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from nadzor.cases.services import BadInput, import_findings, outcome_meaning
from nadzor.store.models import AuditEntry, Case, Finding

pytestmark = pytest.mark.django_db

RULEBOOK = Path(__file__).parent / "fixtures" / "inspect-2023"
REF = "inspect-2023@0.1.0"
HEADER = ["record_id", "rule_id", "outcome", "deferment_until", "basis", "explanation", "rulebook"]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _finding(record: str, rule: str, outcome: str, ref: str = REF) -> list[str]:
    return [record, rule, outcome, "", "Regulation No. 1", f"{rule} at {record}", ref]


@pytest.fixture
def register(tmp_path: Path) -> Path:
    """Three inspections of centre A, one of centre B, one of centre C."""
    header = ["inspection_id", "inspected_on", "facility", "beds", "occupants", "inspector"]
    rows = [
        ["i1", "2023-02-01", "Centre A", "10", "20", "Orlov"],
        ["i2", "2023-03-01", "Centre A", "10", "30", "Orlov"],
        ["i3", "2023-04-01", "Centre A", "10", "10", "Petrova"],
        ["i4", "2023-04-01", "Centre B", "10", "10", "Petrova"],
        ["i5", "2023-05-01", "Centre C", "10", "10", "Petrova"],
    ]
    return _write(tmp_path / "inspections.csv", header, rows)


@pytest.fixture
def findings(tmp_path: Path) -> Path:
    rows = [
        _finding("i1", "FAC-OVERCROWDED", "concern"),
        _finding("i2", "FAC-OVERCROWDED", "concern"),
        _finding("i3", "FAC-WINTER-KIT", "breach"),
        _finding("i4", "FAC-NO-MEDIC", "concern"),
    ]
    return _write(tmp_path / "findings.csv", HEADER, rows)


def test_three_inspections_of_one_facility_make_one_case(findings: Path, register: Path) -> None:
    report = import_findings(findings, rulebook=str(RULEBOOK), register=register)
    assert (report.cases_created, report.findings_added) == (2, 4)
    cases = {case.record_id: case for case in Case.objects.all()}
    assert set(cases) == {"Centre A", "Centre B"}
    centre = cases["Centre A"]
    assert centre.kind == "conditions" and centre.subject_kind == "facility"
    assert set(centre.findings.values_list("record_id", flat=True)) == {"i1", "i2", "i3"}
    # The gravest outcome of the case decides its priority: a breach is high.
    assert (centre.priority, cases["Centre B"].priority) == ("high", "normal")
    # The reporting columns that are not case fields make its facility or unit.
    assert cases["Centre B"].facility == "Centre B · Petrova"
    created = AuditEntry.objects.get(action="case.create", subject=f"case:{centre.reference}")
    assert '"kind":"conditions"' in created.data and '"subject_kind":"facility"' in created.data


def test_a_later_inspection_joins_the_facilitys_open_case(
    findings: Path, register: Path, tmp_path: Path
) -> None:
    import_findings(findings, rulebook=str(RULEBOOK), register=register)
    later = _write(tmp_path / "later.csv", HEADER, [_finding("i5", "FAC-NO-MEDIC", "concern")])
    import_findings(later, source="findings.csv", rulebook=str(RULEBOOK), register=register)
    assert Case.objects.count() == 3
    again = _write(tmp_path / "again.csv", HEADER, [_finding("i2", "FAC-NO-MEDIC", "concern")])
    report = import_findings(
        again, source="findings.csv", rulebook=str(RULEBOOK), register=register
    )
    assert (report.cases_created, report.cases_joined) == (0, 1)
    assert Case.objects.get(record_id="Centre A").findings.count() == 4


def test_the_findings_file_names_its_rulebook(
    findings: Path, register: Path, tmp_path: Path
) -> None:
    # Without --rulebook the file's `rulebook` column says which: once the rulebook has
    # been loaded here it is known by its id.
    import_findings(findings, rulebook=str(RULEBOOK), register=register)
    more = _write(tmp_path / "more.csv", HEADER, [_finding("i5", "FAC-NO-MEDIC", "concern")])
    report = import_findings(more, register=register)
    assert report.cases_created == 1
    assert Case.objects.get(record_id="Centre C").kind == "conditions"


def test_a_subject_outside_the_record_needs_the_register(findings: Path) -> None:
    with pytest.raises(BadInput, match=r"one case per facility.*--register"):
        import_findings(findings, rulebook=str(RULEBOOK))
    assert Case.objects.count() == 0


def test_outcomes_are_the_rulebooks(tmp_path: Path, register: Path) -> None:
    path = _write(tmp_path / "f.csv", HEADER, [_finding("i1", "FAC-OVERCROWDED", "review")])
    with pytest.raises(BadInput, match="outcome 'review' is not one of breach, grace, concern"):
        import_findings(path, rulebook=str(RULEBOOK), register=register)


def test_a_record_missing_from_the_register_is_named(tmp_path: Path, register: Path) -> None:
    path = _write(tmp_path / "f.csv", HEADER, [_finding("i9", "FAC-OVERCROWDED", "concern")])
    with pytest.raises(BadInput, match="row 1: record 'i9' is not in the register"):
        import_findings(path, rulebook=str(RULEBOOK), register=register)


def test_findings_of_two_rulebooks_or_the_wrong_one_are_refused(
    tmp_path: Path, register: Path
) -> None:
    mixed = _write(
        tmp_path / "mixed.csv",
        HEADER,
        [
            _finding("i1", "FAC-OVERCROWDED", "concern"),
            _finding("r1", "X", "review", "ru-2022@1.0.0"),
        ],
    )
    with pytest.raises(BadInput, match="several rulebooks \\(inspect-2023, ru-2022\\)"):
        import_findings(mixed, register=register)
    other = _write(tmp_path / "o.csv", HEADER, [_finding("r1", "X", "review", "ru-2022@1.0.0")])
    with pytest.raises(BadInput, match="come from rulebook ru-2022"):
        import_findings(other, rulebook=str(RULEBOOK), register=register)


def test_a_file_without_rulebook_gets_the_call_up_words(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "old.csv", ["record_id", "rule_id", "outcome"], [["r1", "R1", "breach"]]
    )
    with pytest.raises(BadInput, match="not one of not_subject, deferment, review"):
        import_findings(path)


def test_the_call_up_rulebook_reads_its_declared_reporting_columns(examples: Path) -> None:
    import_findings(
        examples / "ru-2022-findings.csv",
        rulebook="ru-2022",
        register=examples / "ru-2022-register.csv",
    )
    case = Case.objects.get(record_id="care")
    assert (case.kind, case.subject_kind, case.facility) == ("unlawful_callup", "person", "")
    assert case.region and case.commissariat
    assert Finding.objects.get(record_id="care").outcome == "deferment"


def test_outcome_meanings_in_the_pages_language(findings: Path, register: Path) -> None:
    import_findings(findings, rulebook=str(RULEBOOK), register=register)
    assert outcome_meaning(REF, "breach", "ru") == "нарушена норма права"
    assert outcome_meaning(REF, "concern", "en") == "a commitment or a standard is not met"
    assert outcome_meaning("ru-2022@1.0.0", "review", "ru").startswith("обстоятельства")
    assert outcome_meaning("", "not_subject", "ru") == "не подлежит призыву по мобилизации"
    assert outcome_meaning("elsewhere@1.0", "odd", "ru") == "odd"
