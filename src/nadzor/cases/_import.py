"""Cases from screening findings: one open case per (source register, record), idempotent.

A finding is identified by (source, record_id, rule_id, rulebook): findings already stored
are skipped, a new finding for a record with an open case joins that case, and the other
records get a new case each. Records are written in chunks, each chunk in one transaction
with its audit entries, so an import stopped midway leaves whole cases only; running it
again completes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction
from django.utils import timezone

from nadzor.audit.journal import Draft, append_many
from nadzor.cases._findings_file import FindingRow, read_findings, read_register_places
from nadzor.cases._import_lock import BUSY, ImportBusy, import_lock
from nadzor.cases._policy import current_policy
from nadzor.cases._refs import allocate_references
from nadzor.cases.domain import Actor, Kind, Operation, Status, initial_due, require
from nadzor.store import bulk_insert
from nadzor.store.models import Case, Finding

__all__ = ["ImportReport", "import_findings"]

CHUNK_RECORDS = 2000
_OPEN = [status.value for status in Status if status.is_open]
Progress = Callable[[int, int], None]
"""Called with (records done, records in all) after each chunk."""


@dataclass(frozen=True)
class ImportReport:
    source: str
    findings_read: int
    findings_skipped: int
    findings_added: int
    cases_created: int
    cases_joined: int

    def message(self) -> str:
        if not self.findings_added:
            return (
                f"nothing new: all {self.findings_read} findings from {self.source!r}"
                " are already in the store"
            )
        return (
            f"{self.findings_added} new findings from {self.source!r}: {self.cases_created} cases"
            f" created, {self.cases_joined} open cases joined, {self.findings_skipped} findings"
            " already stored"
        )


def import_findings(
    path: Path,
    *,
    source: str | None = None,
    register: Path | None = None,
    actor: Actor | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Import a findings file; `actor` None is the local operator (`system`)."""
    if actor is not None:
        require(actor, Operation.FINDINGS_IMPORT)
    source = source or path.name
    rows = read_findings(path)
    with import_lock():
        try:
            return _import(path, rows, source, register, actor, progress)
        except IntegrityError:
            # another writer (not holding the lock) stored the same findings meanwhile
            raise ImportBusy(BUSY) from None


def _import(
    path: Path,
    rows: list[FindingRow],
    source: str,
    register: Path | None,
    actor: Actor | None,
    progress: Progress | None,
) -> ImportReport:
    stored = set(
        Finding.objects.filter(source=source).values_list("record_id", "rule_id", "rulebook")
    )
    new = [row for row in rows if row.key not in stored]
    by_record: dict[str, list[FindingRow]] = {}
    for row in new:
        by_record.setdefault(row.record_id, []).append(row)
    places = read_register_places(register, set(by_record)) if register else {}
    records = list(by_record)
    created = joined = 0
    for start in range(0, len(records), CHUNK_RECORDS):
        chunk = records[start : start + CHUNK_RECORDS]
        made, added = _write_chunk(source, chunk, by_record, places, actor)
        created, joined = created + made, joined + added
        if progress:
            progress(min(start + CHUNK_RECORDS, len(records)), len(records))
    report = ImportReport(source, len(rows), len(rows) - len(new), len(new), created, joined)
    _audit_summary(path, report, actor)
    return report


def _write_chunk(
    source: str,
    records: Sequence[str],
    by_record: dict[str, list[FindingRow]],
    places: dict[str, tuple[str, str]],
    actor: Actor | None,
) -> tuple[int, int]:
    name = actor.name if actor else "system"
    now = timezone.now()
    with transaction.atomic():
        open_rows = Case.objects.filter(source=source, record_id__in=records, status__in=_OPEN)
        open_cases = dict(open_rows.values_list("record_id", "id"))
        fresh = [record for record in records if record not in open_cases]
        cases = _new_cases(source, fresh, by_record, places, now)
        # The new cases' ids, read back by their record (one open case per record).
        case_ids = dict(open_rows.values_list("record_id", "id"))
        references = dict(open_rows.values_list("id", "reference"))
        findings = [
            _finding(row, source, case_ids[record], now)
            for record in records
            for row in by_record[record]
        ]
        bulk_insert(Finding, _FINDING_FIELDS, findings)
        drafts = [_created(name, case, by_record[case.record_id]) for case in cases]
        drafts += [
            _joined(name, references[open_cases[record]], source, row)
            for record in records
            if record in open_cases
            for row in by_record[record]
        ]
        Case.objects.filter(id__in=open_cases.values()).update(updated_at=now)
        append_many(drafts)
    return len(cases), len(open_cases)


_CASE_FIELDS = (
    "reference",
    "kind",
    "status",
    "priority",
    "title",
    "region",
    "commissariat",
    "facility",
    "tags",
    "source",
    "record_id",
    "created_at",
    "updated_at",
    "registered_on",
    "due_on",
    "deadline_extended",
    "extension_reason",
    "remedy",
    "remedy_text",
    "closure_reason",
    "legal_hold",
)
_FINDING_FIELDS = (
    "case_id",
    "source",
    "record_id",
    "rule_id",
    "rulebook",
    "outcome",
    "deferment_until",
    "basis",
    "explanation",
    "imported_at",
)


@dataclass(frozen=True)
class _NewCase:
    reference: str
    record_id: str
    source: str
    region: str
    due_on: dt.date


def _new_cases(
    source: str,
    records: Sequence[str],
    by_record: dict[str, list[FindingRow]],
    places: dict[str, tuple[str, str]],
    now: dt.datetime,
) -> list[_NewCase]:
    today = now.date()
    due = initial_due(today, current_policy(), from_findings=True)
    references = allocate_references(today.year, len(records))
    cases, rows = [], []
    for reference, record in zip(references, records, strict=True):
        region, office = places.get(record, ("", ""))
        outcomes = {row.outcome for row in by_record[record]}
        priority = "high" if "not_subject" in outcomes else "normal"
        title = f"Screening findings for record {record} of {source}"
        rows.append(
            (reference, Kind.UNLAWFUL_CALLUP.value, Status.NEW.value, priority, title, region,
             office, "", [], source, record, now, now, today, due, False, "", "", "", "", False)
        )  # fmt: skip
        cases.append(_NewCase(reference, record, source, region, due))
    bulk_insert(Case, _CASE_FIELDS, rows)
    return cases


def _finding(row: FindingRow, source: str, case_id: int, now: dt.datetime) -> tuple[object, ...]:
    return (
        case_id,
        source,
        row.record_id,
        row.rule_id,
        row.rulebook,
        row.outcome,
        row.deferment_until,
        row.basis,
        row.explanation,
        now,
    )


def _summary(row: FindingRow) -> dict[str, str]:
    return {
        "rule_id": row.rule_id,
        "outcome": row.outcome,
        "rulebook": row.rulebook,
        "deferment_until": row.deferment_until.isoformat() if row.deferment_until else "",
    }


def _created(actor: str, case: _NewCase, rows: list[FindingRow]) -> Draft:
    data = {
        "kind": Kind.UNLAWFUL_CALLUP.value,
        "via": "findings import",
        "source": case.source,
        "record_id": case.record_id,
        "region": case.region,
        "due_on": case.due_on.isoformat(),
        "findings": [_summary(row) for row in rows],
    }
    return Draft(actor, "case.create", f"case:{case.reference}", data)


def _joined(actor: str, reference: str, source: str, row: FindingRow) -> Draft:
    data = {"source": source, "record_id": row.record_id, **_summary(row)}
    return Draft(actor, "finding.add", f"case:{reference}", data)


def _audit_summary(path: Path, report: ImportReport, actor: Actor | None) -> None:
    data = {
        "file": path.name,
        "findings_read": report.findings_read,
        "findings_added": report.findings_added,
        "findings_skipped": report.findings_skipped,
        "cases_created": report.cases_created,
        "cases_joined": report.cases_joined,
    }
    with transaction.atomic():
        append_many(
            [
                Draft(
                    actor.name if actor else "system",
                    "finding.import",
                    f"source:{report.source}",
                    data,
                )
            ]
        )
