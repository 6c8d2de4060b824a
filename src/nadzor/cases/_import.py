"""Cases from screening findings: one open case per (source register, subject), idempotent.

The rulebook the findings came from says what a case is about (its subject: a person's
record, a facility), the case kind, the outcome words and their severity, and which
register columns report where the case belongs. A finding is identified by (source,
record_id, rule_id, rulebook): findings already stored are skipped, a new finding for a
subject with an open case joins that case, and the other subjects get a new case each.
Subjects are written in chunks, each chunk in one transaction with its audit entries, so
an import stopped midway leaves whole cases only; running it again completes it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from nadzor.audit.journal import Draft, append_many
from nadzor.cases._errors import BadInput
from nadzor.cases._findings_file import (
    FindingRow,
    check_outcomes,
    judgment_day,
    read_findings,
    read_register_columns,
    register_day,
)
from nadzor.cases._import_lock import BUSY, ImportBusy, import_lock
from nadzor.cases._policy import current_policy
from nadzor.cases._refs import allocate_references
from nadzor.cases._terms import CaseTerms, known_rulebook, rulebook_id, terms_for
from nadzor.cases.domain import Actor, Kind, Operation, Status, initial_due, require
from nadzor.reports.runs import record_screening_run
from nadzor.rules import AS_OF, EVAL_DATE, Teller
from nadzor.store import bulk_insert
from nadzor.store.models import PLACE_FIELDS, Case, Finding

__all__ = ["ImportReport", "import_findings"]

CHUNK_RECORDS = 2000
_OPEN = [status.value for status in Status if status.is_open]
Progress = Callable[[int, int], None]
"""Called with (subjects done, subjects in all) after each chunk."""
# The severity (0 = most severe) at or below which a case from findings is high priority.
_HIGH_PRIORITY_SEVERITY = 0
_MAX_ERRORS = 20


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
    rulebook: str | None = None,
    source: str | None = None,
    register: Path | None = None,
    actor: Actor | None = None,
    progress: Progress | None = None,
    as_of: dt.date | None = None,
) -> ImportReport:
    """Import a findings file; `actor` None is the local operator (`system`).

    `rulebook` (an id or a directory) is needed only when the file has no `rulebook`
    column; `register` is the screened register, read for the rulebook's subject and
    reporting columns (needed when the subject is not the record itself). `as_of` is the
    day the screen judged every record on (its `--as-of`), for files that do not say it.
    """
    if actor is not None:
        require(actor, Operation.FINDINGS_IMPORT)
    source = source or path.name
    started = timezone.now()
    rows = read_findings(path)
    terms = _terms(path, rows, rulebook)
    check_outcomes(path, rows, tuple(outcome.id for outcome in terms.outcomes))
    kinds = [kind.value for kind in Kind]
    if terms.kind not in kinds:
        raise BadInput(
            f"rulebook {terms.rulebook}: its case kind {terms.kind!r} is not one of"
            f" {', '.join(kinds)}"
        )
    if register is None and not terms.subject_is_record:
        raise BadInput(
            f"rulebook {terms.rulebook} opens one case per {', '.join(terms.subject)}, which"
            " the findings do not carry: give --register with the screened register"
        )
    with import_lock():
        try:
            return _import(path, rows, terms, source, register, actor, progress, started, as_of)
        except IntegrityError:
            # another writer (not holding the lock) stored the same findings meanwhile
            raise ImportBusy(BUSY) from None


def _import(
    path: Path,
    rows: list[FindingRow],
    terms: CaseTerms,
    source: str,
    register: Path | None,
    actor: Actor | None,
    progress: Progress | None,
    started: dt.datetime,
    as_of: dt.date | None = None,
) -> ImportReport:
    stored = set(
        Finding.objects.filter(source=source).values_list("record_id", "rule_id", "rulebook")
    )
    new = [row for row in rows if row.key not in stored]
    facts = _register_facts(register, terms, {row.record_id for row in new})
    by_subject = _by_subject(path, new, terms, facts)
    subjects = list(by_subject)
    days = {row.key: _evaluated_on(row, terms, facts, as_of) for row in new}
    stated = _stated(new, days)
    for key, found in stated.items():
        if days[key] is None:
            days[key] = _stated_day(found)
    plan = _Plan(source, terms, by_subject, facts, days, stated)
    created = joined = 0
    for start in range(0, len(subjects), CHUNK_RECORDS):
        chunk = subjects[start : start + CHUNK_RECORDS]
        made, added = _write_chunk(plan, chunk, actor)
        created, joined = created + made, joined + added
        if progress:
            progress(min(start + CHUNK_RECORDS, len(subjects)), len(subjects))
    report = ImportReport(source, len(rows), len(rows) - len(new), len(new), created, joined)
    _audit_summary(path, report, actor)
    record_screening_run(path, rows, report, actor, started, as_of or judgment_day(rows))
    return report


def _evaluated_on(
    row: FindingRow, terms: CaseTerms, facts: dict[str, dict[str, str]], as_of: dt.date | None
) -> dt.date | None:
    """The day the rules judged the record on: the file's `as_of`, else the import's
    `--as-of`, else (for a rulebook judged on the law date) the register's law date."""
    if row.as_of is not None:
        return row.as_of
    if as_of is not None:
        return as_of
    if terms.judged_on_law_date and terms.law_date:
        return register_day(facts.get(row.record_id, {}).get(terms.law_date, ""))
    return None


def _stated_day(found: dict[str, Any]) -> dt.date | None:
    """The evaluation date an explanation states itself (`eval_date`, or `as_of` under
    its name in the law of provision), when it does."""
    for name in (EVAL_DATE, AS_OF):
        value = found["values"].get(name)
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return None
    return None


def _stated(
    rows: list[FindingRow], days: dict[tuple[str, str, str], dt.date | None]
) -> dict[tuple[str, str, str], dict[str, Any]]:
    """The facts each explanation states (JSON), read with the rulebook's templates once
    here, so that the pages can tell them in any of its languages."""
    tellers: dict[str, Teller | None] = {}
    stated: dict[tuple[str, str, str], dict[str, Any]] = {}
    for row in rows:
        if row.rulebook not in tellers:
            known = known_rulebook(row.rulebook)
            tellers[row.rulebook] = Teller(known) if known is not None else None
        teller = tellers[row.rulebook]
        found = teller.facts(row.rule_id, row.explanation, days[row.key]) if teller else None
        if found is not None:
            stated[row.key] = found.to_json()
    return stated


def _terms(path: Path, rows: list[FindingRow], given: str | None) -> CaseTerms:
    """The terms of the rulebook the findings name, or of `given` when they name none."""
    named = sorted({rulebook_id(row.rulebook) for row in rows if row.rulebook})
    if len(named) > 1:
        raise BadInput(
            f"{path.name}: findings of several rulebooks ({', '.join(named)}): import the"
            " findings of each rulebook from its own file"
        )
    terms = terms_for(given or (named[0] if named else None))
    if named and terms.rulebook != named[0]:
        raise BadInput(
            f"--rulebook {given}: the findings in {path.name} come from rulebook {named[0]}"
        )
    return terms


def _register_facts(
    register: Path | None, terms: CaseTerms, wanted: set[str]
) -> dict[str, dict[str, str]]:
    """record id -> the rulebook's subject and reporting values from the register."""
    if register is None or not wanted:
        return {}
    if not terms.key:
        raise BadInput(
            "--register needs the rulebook that names the register's columns: give --rulebook"
        )
    return read_register_columns(
        register, terms.key, terms.register_columns[1:], wanted, terms.languages
    )


def _by_subject(
    path: Path, rows: list[FindingRow], terms: CaseTerms, facts: dict[str, dict[str, str]]
) -> dict[str, list[FindingRow]]:
    """The findings grouped by their case subject, in the order first seen."""
    grouped: dict[str, list[FindingRow]] = {}
    errors: list[str] = []
    for row in rows:
        if terms.subject_is_record:
            subject = row.record_id
        else:
            values = facts.get(row.record_id)
            subject = " / ".join(values[name] for name in terms.subject) if values else ""
            if values is None:
                errors.append(f"row {row.row}: record {row.record_id!r} is not in the register")
                continue
            if not subject.strip(" /"):
                errors.append(
                    f"row {row.row}: record {row.record_id!r} has no"
                    f" {', '.join(terms.subject)} in the register"
                )
                continue
        grouped.setdefault(subject, []).append(row)
    if errors:
        shown = "; ".join(errors[:_MAX_ERRORS])
        more = f" (and {len(errors) - _MAX_ERRORS} more)" if len(errors) > _MAX_ERRORS else ""
        raise BadInput(f"{path.name}: nothing imported: {shown}{more}")
    return grouped


@dataclass(frozen=True)
class _Plan:
    """What every chunk of one import shares."""

    source: str
    terms: CaseTerms
    by_subject: dict[str, list[FindingRow]]
    facts: dict[str, dict[str, str]]
    days: dict[tuple[str, str, str], dt.date | None]
    stated: dict[tuple[str, str, str], dict[str, Any]]


def _write_chunk(plan: _Plan, records: Sequence[str], actor: Actor | None) -> tuple[int, int]:
    source, by_record = plan.source, plan.by_subject
    name = actor.name if actor else "system"
    now = timezone.now()
    with transaction.atomic():
        open_rows = Case.objects.filter(source=source, record_id__in=records, status__in=_OPEN)
        open_cases = dict(open_rows.values_list("record_id", "id"))
        fresh = [record for record in records if record not in open_cases]
        cases = _new_cases(plan, fresh, now)
        # The new cases' ids, read back by their record (one open case per record).
        case_ids = dict(open_rows.values_list("record_id", "id"))
        references = dict(open_rows.values_list("id", "reference"))
        findings = [
            _finding(row, source, case_ids[record], now, plan)
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
    "facility",
    "tags",
    "source",
    "record_id",
    "subject_kind",
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
    *PLACE_FIELDS,
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
    "amount",
    "evaluated_on",
    "facts",
)


@dataclass(frozen=True)
class _NewCase:
    reference: str
    record_id: str
    source: str
    places: dict[str, str]
    due_on: dt.date
    kind: str
    subject_kind: str


def _new_cases(plan: _Plan, subjects: Sequence[str], now: dt.datetime) -> list[_NewCase]:
    terms = plan.terms
    today = now.date()
    due = initial_due(today, current_policy(), from_findings=True)
    references = allocate_references(today.year, len(subjects))
    severity = terms.severity
    cases, rows = [], []
    for reference, subject in zip(references, subjects, strict=True):
        findings = plan.by_subject[subject]
        places = _places(terms, subject, findings, plan.facts)
        gravest = min(severity[row.outcome] for row in findings)
        priority = "high" if gravest <= _HIGH_PRIORITY_SEVERITY else "normal"
        # No title: the pages show the subject in the reader's language instead.
        title = ""
        facility = places.pop("")
        rows.append(
            (reference, terms.kind, Status.NEW.value, priority, title, facility, [],
             plan.source, subject, terms.subject_kind, now, now, today, due, False, "", "", "",
             "", False, *(places[name] for name in PLACE_FIELDS))
        )  # fmt: skip
        cases.append(
            _NewCase(reference, subject, plan.source, places, due, terms.kind, terms.subject_kind)
        )
    bulk_insert(Case, _CASE_FIELDS, rows)
    return cases


def _places(
    terms: CaseTerms, subject: str, findings: list[FindingRow], facts: dict[str, dict[str, str]]
) -> dict[str, str]:
    """The case's place fields from the register's reporting columns (first record wins).

    A reporting column named like a place field of the case fills it; the subject (when it
    is not a record) and the other reporting columns make the free-text facility or unit,
    under the key "".
    """
    found = next((facts[row.record_id] for row in findings if row.record_id in facts), {})
    places = {name: found.get(name, "") for name in PLACE_FIELDS}
    others = [] if terms.subject_is_record else [subject]
    others += [
        found.get(name, "")
        for name in terms.reporting
        if name not in PLACE_FIELDS and name not in terms.subject
    ]
    places[""] = " · ".join(dict.fromkeys(value for value in others if value))
    return places


def _amount(plan: _Plan, row: FindingRow) -> int | None:
    """The sum the finding concerns, by its rulebook's measure, from the register's values."""
    measure = plan.terms.measure
    values = plan.facts.get(row.record_id)
    if measure is None or values is None:
        return None
    return measure.amount(row.rule_id, values)


def _finding(
    row: FindingRow, source: str, case_id: int, now: dt.datetime, plan: _Plan
) -> tuple[object, ...]:
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
        _amount(plan, row),
        plan.days.get(row.key),
        plan.stated.get(row.key),
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
        "kind": case.kind,
        "via": "findings import",
        "source": case.source,
        "record_id": case.record_id,
        "subject_kind": case.subject_kind,
        **case.places,
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
