"""A finding keeps the day it was evaluated on and the facts its explanation states, so
that a page tells it in its own language; a finding stored before shows what it has."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from nadzor.cases.services import finding_explanations, finding_texts, import_findings
from nadzor.store.models import Finding, ScreeningRun

pytestmark = pytest.mark.django_db

HEADER = ["record_id", "rule_id", "outcome", "deferment_until", "basis", "explanation", "rulebook"]
CLUB = "40 people sleeping in a club on 2022-10-12; living there is prohibited"
BASIS = "Charter of the Internal Service: living there is prohibited"
REF = "ru-2022-facilities@1.0.0"


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def register(tmp_path: Path) -> Path:
    header = ["record_id", "facility_id", "inspected_on", "premises", "occupants"]
    return _write(
        tmp_path / "inspections.csv", header, [["f1", "camp-7", "12.10.2022", "club", "40"]]
    )


def test_the_register_gives_the_day_and_the_page_tells_it_in_russian(
    tmp_path: Path, register: Path
) -> None:
    rows = [["f1", "FAC-FORBIDDEN-PREMISES", "breach", "", BASIS, CLUB, REF]]
    import_findings(_write(tmp_path / "findings.csv", HEADER, rows), register=register)
    finding = Finding.objects.get()
    assert finding.evaluated_on == dt.date(2022, 10, 12)
    assert finding.facts == {
        "period": 0,
        "values": {"occupants": 40, "premises": "club", "inspected_on": "2022-10-12"},
    }
    texts = finding_texts(finding, "ru")
    assert texts.told and "(вид помещения по реестру: клуб)" in texts.explanation
    assert texts.basis.startswith("Устав внутренней службы")
    assert finding_texts(finding, "en").explanation == CLUB
    assert set(finding_explanations(finding)) == {"en", "ru"}


def test_the_files_own_judgment_day_wins_and_is_kept_with_the_run(
    tmp_path: Path, register: Path
) -> None:
    rows = [["f1", "FAC-FORBIDDEN-PREMISES", "breach", "", BASIS, CLUB, REF, "2023-01-20"]]
    path = _write(tmp_path / "findings.csv", [*HEADER, "as_of"], rows)
    import_findings(path, register=register)
    assert Finding.objects.get().evaluated_on == dt.date(2023, 1, 20)
    assert ScreeningRun.objects.get().judged_on == dt.date(2023, 1, 20)


def test_the_imports_as_of_is_the_day_of_a_file_that_does_not_say(
    tmp_path: Path, register: Path
) -> None:
    rows = [["f1", "FAC-FORBIDDEN-PREMISES", "breach", "", BASIS, CLUB, REF]]
    path = _write(tmp_path / "findings.csv", HEADER, rows)
    import_findings(path, register=register, as_of=dt.date(2023, 6, 1))
    assert Finding.objects.get().evaluated_on == dt.date(2023, 6, 1)


def test_another_rulebook_version_keeps_its_own_words(tmp_path: Path, register: Path) -> None:
    rows = [["f1", "FAC-FORBIDDEN-PREMISES", "breach", "", BASIS, CLUB, "ru-2022-facilities@0.9"]]
    import_findings(_write(tmp_path / "findings.csv", HEADER, rows), register=register)
    finding = Finding.objects.get()
    assert finding.facts is None  # its templates may state other facts
    texts = finding_texts(finding, "ru")
    assert not texts.told and texts.explanation == CLUB


def test_a_finding_stored_before_shows_its_text_and_no_date(tmp_path: Path) -> None:
    rows = [["f1", "FAC-FORBIDDEN-PREMISES", "breach", "", BASIS, CLUB, REF]]
    import_findings(
        _write(tmp_path / "findings.csv", HEADER, rows),
        register=_write(tmp_path / "r.csv", ["record_id", "facility_id"], [["f1", "camp-7"]]),
    )
    Finding.objects.update(facts=None, evaluated_on=None, imported_at=timezone.now())
    finding = Finding.objects.get()
    texts = finding_texts(finding, "ru")
    assert texts.explanation == CLUB and not texts.told
    assert finding.evaluated_on is None
