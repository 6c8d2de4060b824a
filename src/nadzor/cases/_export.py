"""The analysts' CSV: one row per case with its figures and no personal data."""

from __future__ import annotations

import csv
import datetime as dt
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from nadzor.audit.journal import append
from nadzor.cases._errors import BadInput
from nadzor.cases._policy import current_policy
from nadzor.cases._queries import CaseFilters
from nadzor.cases.domain import (
    Actor,
    DeadlinePolicy,
    Operation,
    Status,
    deadline_state,
    require,
)
from nadzor.store.models import PLACE_FIELDS, Case, Finding

__all__ = ["EXPORT_COLUMNS", "export_cases"]

# No names, contacts, health details, record ids or explanations: figures and their cases.
EXPORT_COLUMNS = (
    "reference",
    "kind",
    "status",
    "priority",
    *PLACE_FIELDS,
    "facility",
    "source",
    "registered_on",
    "due_on",
    "deadline",
    "remedy",
    "findings",
    "rule_ids",
    "outcomes",
)


def export_cases(actor: Actor | None, out: TextIO, filters: CaseFilters | None = None) -> int:
    """Write the CSV; returns the number of cases. The export itself is audited."""
    if actor is not None:
        require(actor, Operation.CASES_EXPORT)
    filters = filters or CaseFilters()
    rows = Case.objects.all()
    if filters.status:
        if filters.status not in {s.value for s in Status}:
            raise BadInput(f"status {filters.status!r} is not a case status")
        rows = rows.filter(status=filters.status)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.region:
        rows = rows.filter(region__iexact=filters.region.strip())
    today = timezone.now().date()
    rules = _rules_by_case()
    policy = current_policy()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for case in rows.order_by("reference").iterator(2000):
        rule_ids, outcomes = rules.get(case.id, ([], []))
        writer.writerow(_row(case, rule_ids, outcomes, today, policy))
        count += 1
    with transaction.atomic():
        data = {"cases": count, "columns": list(EXPORT_COLUMNS), "filters": _filters(filters)}
        append(actor.name if actor else "system", "export.csv", "cases", data)
    return count


def _rules_by_case() -> dict[int, tuple[list[str], list[str]]]:
    found: dict[int, tuple[list[str], list[str]]] = {}
    for case_id, rule_id, outcome in Finding.objects.order_by("case_id", "rule_id").values_list(
        "case_id", "rule_id", "outcome"
    ):
        rules, outcomes = found.setdefault(case_id, ([], []))
        rules.append(rule_id)
        outcomes.append(outcome)
    return found


def _row(
    case: Case, rule_ids: list[str], outcomes: list[str], today: dt.date, policy: DeadlinePolicy
) -> list[str]:
    state = deadline_state(case.due_on, today, Status(case.status), policy)
    return [
        case.reference,
        case.kind,
        case.status,
        case.priority,
        case.region,
        case.commissariat,
        case.facility,
        case.source,
        case.registered_on.isoformat(),
        case.due_on.isoformat(),
        state.value,
        case.remedy,
        str(len(rule_ids)),
        ";".join(rule_ids),
        ";".join(sorted(set(outcomes))),
    ]


def _filters(filters: CaseFilters) -> dict[str, str]:
    return {k: str(v) for k, v in vars(filters).items() if v not in (None, False, "")}
