"""Triage: a complaint opens a new case, joins an existing one, or moves between cases, and
staff see which complaints may be about the same matter.

A complaint's messages and files belong to the complaint, so linking and moving never lose
any. Every link or move is one `complaint.link` entry (`from` and `to` case references)
under the complaint and under each case involved, so each history tells the whole story.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from nadzor.audit.journal import Draft, append, append_many
from nadzor.cases._access import case_for
from nadzor.cases._errors import BadInput
from nadzor.cases._workflow import NewCase, create_case
from nadzor.cases.domain import Actor, Kind, Operation, require
from nadzor.complaints._common import complaint_for, identity_access, staff_author, subject
from nadzor.complaints._evidence import files_to_evidence
from nadzor.complaints.domain import (
    ComplaintStatus,
    DuplicateFacts,
    after_link,
    compare,
    shingles,
)
from nadzor.store.models import Case, Complaint

__all__ = [
    "DUPLICATE_WINDOW_DAYS",
    "Duplicate",
    "link_to_case",
    "move_to_case",
    "open_case",
    "possible_duplicates",
    "split_complaint",
    "topics_of",
]

# complaints registered this many days back are compared
DUPLICATE_WINDOW_DAYS = 90
# at most this many of the most recent complaints are compared by text, and at most this
# many more by facility: the work per request is bounded whatever the desk receives
_TEXT_CANDIDATES = 2000
_FACILITY_CANDIDATES = 500
_MAX_RESULTS = 50


@dataclass(frozen=True)
class Duplicate:
    """A complaint that may be about the same matter: `score` is the text similarity
    (0 to 1), `why` names the rules that matched (`similar_text`, `same_facility_period`)."""

    complaint: Complaint
    score: float
    why: tuple[str, ...]


def open_case(actor: Actor, number: object) -> Case:
    """A new case for the complaint: its category as the kind, its region and facility; the
    case is due when the complaint is. The complaint becomes `linked`."""
    require(actor, Operation.COMPLAINT_TRIAGE)
    require(actor, Operation.CASE_CREATE)
    with transaction.atomic():
        complaint = complaint_for(actor, number, Operation.COMPLAINT_TRIAGE, lock=True)
        _check_unlinked(complaint)
        case = create_case(
            actor,
            NewCase(
                kind=Kind(complaint.category),
                title=f"Complaint {complaint.pk}",
                region=complaint.region,
                facility=complaint.facility,
            ),
        )
        _align_deadline(actor, case, complaint)
        _link(actor, complaint, case, previous=None)
    return case


def topics_of(complaint: Complaint) -> list[tuple[str, str]]:
    """The problems the complaint reports, as (category, reason), its main one first
    (complaints stored before several could be given have only their category)."""
    stored = [
        (str(t.get("category", "")), str(t.get("reason", "")))
        for t in complaint.topics or []
        if isinstance(t, dict)
    ]
    return stored or [(complaint.category, complaint.reason)]


def split_complaint(actor: Actor, number: object, categories: Sequence[str]) -> list[Case]:
    """One case for each of the complaint's problems named in `categories` that has no
    case yet: the first becomes the complaint's own case when it has none, the others are
    cases split off it. Each has the complaint's region, facility, deadline and files; the
    complaint's text and messages are read through it."""
    require(actor, Operation.COMPLAINT_TRIAGE)
    require(actor, Operation.CASE_CREATE)
    wanted = list(dict.fromkeys(c.strip() for c in categories if c.strip()))
    if not wanted:
        raise BadInput("choose at least one problem of the complaint to open a case for")
    with transaction.atomic():
        complaint = complaint_for(actor, number, Operation.COMPLAINT_TRIAGE, lock=True)
        if complaint.status == ComplaintStatus.CLOSED:
            raise BadInput(f"complaint {complaint.pk} is closed")
        reported = [category for category, _reason in topics_of(complaint)]
        unknown = [c for c in wanted if c not in reported]
        if unknown:
            raise BadInput(f"complaint {complaint.pk} does not report {', '.join(unknown)}")
        covered = set(complaint.split_cases.values_list("kind", flat=True))
        if complaint.case is not None:
            covered.add(complaint.case.kind)
        todo = [c for c in wanted if c not in covered]
        if not todo:
            raise BadInput(f"every problem chosen in complaint {complaint.pk} has a case already")
        made = []
        for category in todo:
            main = complaint.case is None
            title = (
                f"Complaint {complaint.pk}"
                if main
                else f"Complaint {complaint.pk}, part {len(covered) + 1}"
            )
            case = create_case(
                actor,
                NewCase(
                    kind=Kind(category),
                    title=title,
                    region=complaint.region,
                    facility=complaint.facility,
                ),
            )
            _align_deadline(actor, case, complaint)
            if main:
                _link(actor, complaint, case, previous=None)
            else:
                case.split_from = complaint
                case.save(update_fields=["split_from"])
                data = {"complaint": complaint.pk, "split_to": case.reference, "kind": category}
                append_many(
                    [
                        Draft(actor.name, "complaint.split", subject(complaint), data),
                        Draft(actor.name, "complaint.split", f"case:{case.reference}", data),
                    ]
                )
                files_to_evidence(actor.name, complaint, case, added_by=staff_author(actor))
            covered.add(category)
            made.append(case)
    return made


def link_to_case(actor: Actor, number: object, reference: str) -> Complaint:
    """Join an unlinked complaint to an existing case the actor may open."""
    require(actor, Operation.COMPLAINT_TRIAGE)
    with transaction.atomic():
        complaint = complaint_for(actor, number, Operation.COMPLAINT_TRIAGE, lock=True)
        _check_unlinked(complaint)
        case = case_for(actor, reference, Operation.CASE_VIEW, lock=True)
        _link(actor, complaint, case, previous=None)
    return complaint


def move_to_case(actor: Actor, number: object, reference: str) -> Complaint:
    """Move a linked complaint to another case (merge or split); the actor must be able to
    open both cases. Its messages and files go with it."""
    require(actor, Operation.COMPLAINT_TRIAGE)
    with transaction.atomic():
        complaint = complaint_for(actor, number, Operation.COMPLAINT_TRIAGE, lock=True)
        if complaint.case is None:
            raise BadInput(
                f"complaint {complaint.pk} is not linked to a case: link it instead of moving it"
            )
        source = case_for(actor, complaint.case.reference, Operation.CASE_VIEW, lock=True)
        target = case_for(actor, reference, Operation.CASE_VIEW, lock=True)
        if target.pk == source.pk:
            raise BadInput(f"complaint {complaint.pk} is already in case {source.reference}")
        _link(actor, complaint, target, previous=source)
    return complaint


def possible_duplicates(actor: Actor, number: object) -> list[Duplicate]:
    """Complaints of the last `DUPLICATE_WINDOW_DAYS` days with similar text, or about the
    same facility within the domain's period; most similar first."""
    complaint = complaint_for(actor, number)
    since = timezone.now() - dt.timedelta(days=DUPLICATE_WINDOW_DAYS)
    recent = (
        Complaint.objects.select_related("case")
        .filter(created_at__gte=since)
        .exclude(pk=complaint.pk)
        .order_by("-created_at", "-pk")
    )
    candidates = {c.pk: c for c in recent[:_TEXT_CANDIDATES]}
    key = complaint.facility_key
    if key:
        for other in recent.filter(facility_key=key)[:_FACILITY_CANDIDATES]:
            candidates.setdefault(other.pk, other)
    facts = _facts(complaint)
    mine = shingles(complaint.text)
    found = []
    for other in candidates.values():
        match = compare(facts, _facts(other), shingles_a=mine)
        if match.possible:
            found.append(Duplicate(other, round(match.score, 4), match.why))
    found.sort(key=lambda d: (-d.score, -len(d.why), -d.complaint.pk))
    return found[:_MAX_RESULTS]


def _facts(complaint: Complaint) -> DuplicateFacts:
    return DuplicateFacts(
        text=complaint.text,
        facility=complaint.facility,
        occurred_on=complaint.occurred_on,
        registered_on=complaint.created_at.date(),
    )


def _check_unlinked(complaint: Complaint) -> None:
    if complaint.case is not None:
        raise BadInput(
            f"complaint {complaint.pk} is already linked to case {complaint.case.reference}:"
            " move it instead"
        )
    if complaint.status == ComplaintStatus.CLOSED:
        raise BadInput(f"complaint {complaint.pk} is closed")


def _align_deadline(actor: Actor, case: Case, complaint: Complaint) -> None:
    """A case opened from a complaint answers it: it is due when the complaint is, not a
    full term after the case was opened (and a used extension stays used)."""
    if case.due_on == complaint.due_on and not complaint.deadline_extended:
        return
    old = case.due_on
    case.registered_on = complaint.created_at.date()
    case.due_on = complaint.due_on
    case.deadline_extended = complaint.deadline_extended
    case.extension_reason = complaint.extension_reason
    case.save(update_fields=["registered_on", "due_on", "deadline_extended", "extension_reason"])
    data: dict[str, object] = {
        "field": "due_on",
        "from": old.isoformat(),
        "to": case.due_on.isoformat(),
        "reason": f"the deadline of complaint {complaint.pk}",
    }
    if complaint.deadline_extended:
        data["extended"] = True
    append(actor.name, "case.update", f"case:{case.reference}", data)


def _link(actor: Actor, complaint: Complaint, case: Case, *, previous: Case | None) -> None:
    now = timezone.now()
    before = complaint.status
    complaint.case = case
    complaint.status = ComplaintStatus.LINKED.value
    complaint.updated_at = now
    # a clearance to read the identity was about the case it was in
    cleared = after_link(actor, identity_access(complaint))
    complaint.linked_by_supervisor = cleared.linked_by_supervisor
    complaint.identity_granted_to = None
    complaint.identity_requested_by = None
    complaint.identity_request_reason = ""
    complaint.save(
        update_fields=[
            "case",
            "status",
            "updated_at",
            "linked_by_supervisor",
            "identity_granted_to",
            "identity_requested_by",
            "identity_request_reason",
        ]
    )
    touched = [case.pk] if previous is None else [case.pk, previous.pk]
    Case.objects.filter(pk__in=touched).update(updated_at=now)
    data: dict[str, object] = {
        "complaint": complaint.pk,
        "from": previous.reference if previous is not None else None,
        "to": case.reference,
    }
    if before != complaint.status:
        data["status"] = {"from": before, "to": complaint.status}
    subjects = [subject(complaint), f"case:{case.reference}"]
    if previous is not None:
        subjects.append(f"case:{previous.reference}")
    append_many([Draft(actor.name, "complaint.link", s, data) for s in subjects])
    files_to_evidence(actor.name, complaint, case, added_by=staff_author(actor))
