"""Cases from findings: one case per record, idempotent, joining open cases, all or nothing."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from nadzor.audit import journal
from nadzor.cases import _import
from nadzor.cases.domain import Actor, Denied, Role
from nadzor.cases.services import BadInput, import_findings
from nadzor.store.models import AuditEntry, Case, Finding
from tests.conftest import read_csv_rows

pytestmark = pytest.mark.django_db

HEADER = ["record_id", "rule_id", "outcome", "deferment_until", "basis", "explanation", "rulebook"]


def write_findings(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def finding(record: str, rule: str, outcome: str = "not_subject", until: str = "") -> list[str]:
    return [
        record,
        rule,
        outcome,
        until,
        "31-FZ art. 17",
        f"{rule} applies to {record}",
        "ru-2022@1.0.0",
    ]


def test_example_findings_make_one_case_per_record(examples: Path) -> None:
    path = examples / "ru-2022-findings.csv"
    expected = read_csv_rows(path)
    report = import_findings(path)
    records = {row["record_id"] for row in expected}
    assert (report.cases_created, report.findings_added) == (len(records), len(expected))
    assert (Case.objects.count(), Finding.objects.count()) == (30, 34)
    for case in Case.objects.all():
        stored = {(f.rule_id, f.outcome) for f in case.findings.all()}
        wanted = {
            (r["rule_id"], r["outcome"]) for r in expected if r["record_id"] == case.record_id
        }
        assert stored == wanted
        assert case.source == "ru-2022-findings.csv"
        assert case.status == "new" and case.kind == "unlawful_callup"
        assert (case.due_on - case.registered_on).days == 30
    deferment = Finding.objects.get(record_id="care", rule_id="RU22-CARE")
    assert deferment.outcome == "deferment"


def test_reimport_creates_nothing_and_says_so(examples: Path) -> None:
    path = examples / "ru-2022-findings.csv"
    import_findings(path)
    again = import_findings(path)
    assert (again.cases_created, again.findings_added, again.findings_skipped) == (0, 0, 34)
    assert "nothing new" in again.message()
    assert (Case.objects.count(), Finding.objects.count()) == (30, 34)
    assert journal.verify().ok


def test_references_are_sequential_per_year(examples: Path) -> None:
    import_findings(examples / "ru-2022-findings.csv")
    numbers = sorted(int(ref[-6:]) for ref in Case.objects.values_list("reference", flat=True))
    assert numbers == list(range(1, 31))


def test_new_finding_joins_the_records_open_case(tmp_path: Path) -> None:
    first = write_findings(tmp_path / "a.csv", [finding("r1", "RU22-AGE-LIMIT")])
    import_findings(first, source="reg-1")
    case = Case.objects.get()
    more = write_findings(
        tmp_path / "b.csv",
        [
            finding("r1", "RU22-AGE-LIMIT"),
            finding("r1", "RU22-HEALTH-D"),
            finding("r2", "RU22-WOMAN", "review"),
        ],
    )
    report = import_findings(more, source="reg-1")
    assert (report.cases_created, report.cases_joined, report.findings_added) == (1, 1, 2)
    assert set(case.findings.values_list("rule_id", flat=True)) == {
        "RU22-AGE-LIMIT",
        "RU22-HEALTH-D",
    }
    joined = AuditEntry.objects.get(action="finding.add")
    assert joined.subject == f"case:{case.reference}" and "RU22-HEALTH-D" in joined.data


def test_same_record_in_another_register_is_another_case(tmp_path: Path) -> None:
    path = write_findings(tmp_path / "a.csv", [finding("r1", "RU22-AGE-LIMIT")])
    import_findings(path, source="reg-1")
    import_findings(path, source="reg-2")
    assert Case.objects.filter(record_id="r1").count() == 2


def test_a_closed_case_is_not_reopened_by_a_new_finding(tmp_path: Path) -> None:
    import_findings(
        write_findings(tmp_path / "a.csv", [finding("r1", "RU22-AGE-LIMIT")]), source="s"
    )
    Case.objects.update(status="resolved", remedy="sent_home")
    import_findings(
        write_findings(tmp_path / "b.csv", [finding("r1", "RU22-HEALTH-D")]), source="s"
    )
    assert list(Case.objects.order_by("id").values_list("status", flat=True)) == ["resolved", "new"]


def test_register_brings_region_and_commissariat(examples: Path) -> None:
    import_findings(
        examples / "ru-2022-findings.csv",
        rulebook="ru-2022",
        register=examples / "ru-2022-register.csv",
    )
    places = {
        row["record_id"]: (row["region"], row["commissariat"])
        for row in read_csv_rows(examples / "ru-2022-register.csv")
    }
    case = Case.objects.exclude(region="").first()
    assert case is not None
    assert (case.region, case.commissariat) == places[case.record_id]


def test_priority_follows_the_gravest_outcome(tmp_path: Path) -> None:
    rows = [
        finding("a", "R1"),
        finding("b", "R2", "review"),
        finding("c", "R3", "deferment", "2023-05-01"),
    ]
    import_findings(write_findings(tmp_path / "f.csv", rows))
    priorities = dict(Case.objects.values_list("record_id", "priority"))
    assert priorities == {"a": "high", "b": "normal", "c": "normal"}
    assert str(Finding.objects.get(record_id="c").deferment_until) == "2023-05-01"


def test_parquet_findings_from_screen(tmp_path: Path) -> None:
    table = pa.table(
        {
            "record_id": ["x", "y"],
            "rule_id": ["RU22-AGE-LIMIT", "RU22-CARE"],
            "outcome": ["not_subject", "deferment"],
            "deferment_until": pa.array([None, "2024-03-01"]).cast(pa.date32()),
            "basis": ["b1", "b2"],
            "explanation": ["e1", "e2"],
            "rulebook": ["ru-2022@1.0.0", "ru-2022@1.0.0"],
        }
    )
    pq.write_table(table, tmp_path / "findings.parquet")
    report = import_findings(tmp_path / "findings.parquet")
    assert report.cases_created == 2
    assert str(Finding.objects.get(record_id="y").deferment_until) == "2024-03-01"


def test_the_findings_minimal_columns_are_enough(tmp_path: Path) -> None:
    path = write_findings(
        tmp_path / "f.csv", [["r1", "RU22-X", "review"]], ["record_id", "rule_id", "outcome"]
    )
    assert import_findings(path).cases_created == 1
    assert Finding.objects.get().rulebook == ""


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([finding("r1", "R1"), ["", "R2", "review", "", "", "", ""]], "row 2: record_id is empty"),
        ([finding("r1", "R1", "guilty")], "row 1: outcome 'guilty' is not one of"),
        (
            [finding("r1", "R1", "deferment", "31.12.2023")],
            "row 1: deferment_until '31.12.2023' is not a date",
        ),
        (
            [finding("r1", "R1"), finding("r1", "R1")],
            "row 2: rule R1 for record 'r1' repeats row 1",
        ),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_imported(
    tmp_path: Path, rows: list[list[str]], message: str
) -> None:
    with pytest.raises(BadInput, match=message.replace("(", r"\(").replace(".", r"\.")):
        import_findings(write_findings(tmp_path / "f.csv", rows))
    assert Case.objects.count() == 0 and AuditEntry.objects.count() == 0


def test_not_a_findings_file_names_the_missing_columns(examples: Path) -> None:
    with pytest.raises(BadInput, match="missing column\\(s\\) rule_id, outcome"):
        import_findings(examples / "ru-2022-register.csv")


def test_import_stopped_midway_leaves_whole_cases_and_completes_on_rerun(
    examples: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_import, "CHUNK_RECORDS", 7)
    real = _import._write_chunk
    calls = {"n": 0}

    def dies_in_third_chunk(*args: object, **kwargs: object) -> tuple[int, int]:
        calls["n"] += 1
        if calls["n"] == 3:
            # The chunk's writes begin, then the process "dies" inside its transaction.
            def boom(*a: object, **k: object) -> None:
                raise KeyboardInterrupt

            monkeypatch.setattr(_import, "append_many", boom)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_import, "_write_chunk", dies_in_third_chunk)
    with pytest.raises(KeyboardInterrupt):
        import_findings(examples / "ru-2022-findings.csv")
    assert Case.objects.count() == 14
    assert not Case.objects.filter(findings__isnull=True).exists()
    assert Finding.objects.filter(case__isnull=True).count() == 0
    assert AuditEntry.objects.filter(action="case.create").count() == 14
    assert journal.verify().ok
    monkeypatch.undo()
    report = import_findings(examples / "ru-2022-findings.csv")
    assert report.cases_created == 16
    assert (Case.objects.count(), Finding.objects.count()) == (30, 34)
    assert journal.verify().ok


def test_import_needs_the_right_role(examples: Path) -> None:
    with pytest.raises(Denied):
        import_findings(examples / "ru-2022-findings.csv", actor=Actor("ann", Role.ANALYST))
    assert Case.objects.count() == 0
