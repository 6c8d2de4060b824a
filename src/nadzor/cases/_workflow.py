"""Working a case: staff entry, status transitions, closure approval, deadlines, notes.

Each change and its audit entry commit in one transaction; the case row is locked while
the domain decides, so two people acting at once cannot both move it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from nadzor.audit.journal import append
from nadzor.cases._access import case_for, case_state, staff_user
from nadzor.cases._errors import BadInput
from nadzor.cases._policy import current_policy
from nadzor.cases._refs import allocate_references
from nadzor.cases.domain import (
    Actor,
    CaseState,
    Kind,
    Operation,
    Role,
    Status,
    TransitionOutcome,
    TransitionRequest,
    approve_closure,
    canonical_region,
    decide_transition,
    extend_due,
    initial_due,
    reject_closure,
    require,
)
from nadzor.store.models import PLACE_FIELDS, REGION_FIELD, Case, Note

__all__ = [
    "NewCase",
    "add_note",
    "create_case",
    "decide_closure",
    "extend_deadline",
    "set_legal_hold",
    "transition",
    "update_case",
]

_ASSIGNABLE = (Role.INVESTIGATOR, Role.SUPERVISOR)
_PRIORITIES = ("low", "normal", "high", "urgent")
_EDITABLE = ("title", *PLACE_FIELDS, "facility", "priority", "tags")


@dataclass(frozen=True)
class NewCase:
    kind: Kind
    title: str = ""
    region: str = ""
    facility: str = ""
    priority: str = "normal"
    tags: list[str] = field(default_factory=list)


def create_case(actor: Actor, new: NewCase) -> Case:
    """A case entered by staff (a complaint by phone, a facility visit...), due per policy."""
    require(actor, Operation.CASE_CREATE)
    _check_fields({"priority": new.priority, "tags": new.tags})
    now = timezone.now()
    with transaction.atomic():
        (reference,) = allocate_references(now.year, 1)
        case = Case.objects.create(
            reference=reference,
            kind=Kind(new.kind).value,
            title=new.title.strip(),
            region=canonical_region(new.region),
            facility=new.facility.strip(),
            priority=new.priority,
            tags=list(new.tags),
            created_at=now,
            updated_at=now,
            registered_on=now.date(),
            due_on=initial_due(now.date(), current_policy(), from_findings=False),
        )
        data = {
            f: getattr(case, f)
            for f in ("kind", "title", *PLACE_FIELDS, "facility", "priority", "tags")
        }
        append(
            actor.name,
            "case.create",
            f"case:{reference}",
            {**data, "due_on": case.due_on.isoformat()},
        )
    return case


def transition(actor: Actor, reference: str, request: TransitionRequest) -> TransitionOutcome:
    with transaction.atomic():
        case = case_for(actor, reference, Operation.CASE_VIEW, lock=True)
        before = case_state(case)
        outcome = decide_transition(actor, before, request)
        _store_state(case, outcome.state)
        action = {
            "applied": "case.status",
            "closure_requested": "case.closure_requested",
            "approval_requested": "case.approval_requested",
        }[outcome.effect]
        if outcome.effect != "applied":
            case.closure_reason = request.reason.strip()
            case.save(update_fields=["closure_reason"])
        append(
            actor.name, action, f"case:{case.reference}", _change(before, outcome, request.reason)
        )
    return outcome


def decide_closure(
    actor: Actor, reference: str, *, approve: bool, reason: str
) -> TransitionOutcome:
    """A supervisor approves or rejects a pending request to close a case as unfounded."""
    with transaction.atomic():
        case = case_for(actor, reference, Operation.CASE_VIEW, lock=True)
        before = case_state(case)
        decide = approve_closure if approve else reject_closure
        outcome = decide(actor, before, reason)
        _store_state(case, outcome.state)
        action = "case.status" if approve else "case.closure_rejected"
        append(actor.name, action, f"case:{case.reference}", _change(before, outcome, reason))
    return outcome


def extend_deadline(actor: Actor, reference: str, days: int, reason: str) -> Case:
    with transaction.atomic():
        case = case_for(actor, reference, Operation.CASE_EXTEND_DEADLINE, lock=True)
        old = case.due_on
        case.due_on = extend_due(
            old, days, reason, already_extended=case.deadline_extended, policy=current_policy()
        )
        case.deadline_extended = True
        case.extension_reason = reason.strip()
        case.updated_at = timezone.now()
        case.save(update_fields=["due_on", "deadline_extended", "extension_reason", "updated_at"])
        data = {
            "field": "due_on",
            "from": old.isoformat(),
            "to": case.due_on.isoformat(),
            "reason": reason.strip(),
        }
        append(actor.name, "case.update", f"case:{case.reference}", data)
    return case


def update_case(actor: Actor, reference: str, changes: dict[str, Any]) -> Case:
    """Change the case's descriptive fields (title, region, facility, priority, tags)."""
    unknown = sorted(set(changes) - set(_EDITABLE))
    if unknown:
        raise BadInput(
            f"cannot change {', '.join(unknown)}: editable fields are {', '.join(_EDITABLE)}"
        )
    _check_fields(changes)
    with transaction.atomic():
        case = case_for(actor, reference, Operation.CASE_UPDATE, lock=True)
        diff = {}
        for name, value in changes.items():
            value = value.strip() if isinstance(value, str) else list(value)
            if name == REGION_FIELD:
                value = canonical_region(value)
            if getattr(case, name) != value:
                diff[name] = {"from": getattr(case, name), "to": value}
                setattr(case, name, value)
        if diff:
            case.updated_at = timezone.now()
            case.save()
            append(actor.name, "case.update", f"case:{case.reference}", diff)
    return case


def add_note(actor: Actor, reference: str, text: str) -> Note:
    if not text.strip():
        raise BadInput("a note cannot be empty")
    with transaction.atomic():
        case = case_for(actor, reference, Operation.CASE_NOTE, lock=True)
        author = staff_user(actor.name, roles=tuple(Role)) if actor.name != "system" else None
        note = Note.objects.create(case=case, author=author, at=timezone.now(), text=text.strip())
        append(
            actor.name, "case.note", f"case:{case.reference}", {"note": note.pk, "text": note.text}
        )
    return note


def set_legal_hold(actor: Actor, reference: str, hold: bool, reason: str) -> Case:
    if not reason.strip():
        raise BadInput("a legal hold needs a reason")
    with transaction.atomic():
        case = case_for(actor, reference, Operation.LEGAL_HOLD, lock=True)
        if case.legal_hold != hold:
            case.legal_hold = hold
            case.updated_at = timezone.now()
            case.save(update_fields=["legal_hold", "updated_at"])
            data = {"field": "legal_hold", "to": hold, "reason": reason.strip()}
            append(actor.name, "case.update", f"case:{case.reference}", data)
    return case


def _store_state(case: Case, state: CaseState) -> None:
    case.status = state.status.value
    case.assignee = staff_user(state.assignee, roles=_ASSIGNABLE)
    case.closure_requested_by = staff_user(state.closure_requested_by, roles=_ASSIGNABLE)
    if state.closure_requested_by is None:
        case.closure_reason = ""
    case.remedy = state.remedy.value if state.remedy else ""
    case.remedy_text = state.remedy_text
    case.pending_remedy = state.pending_remedy.value if state.pending_remedy else ""
    case.pending_remedy_text = state.pending_remedy_text
    case.updated_at = timezone.now()
    if state.status is Status.RESOLVED and case.resolved_at is None:
        case.resolved_at = case.updated_at
    elif state.status is not Status.RESOLVED:
        case.resolved_at = None
    case.save()


def _change(before: CaseState, outcome: TransitionOutcome, reason: str) -> dict[str, Any]:
    after = outcome.state
    data: dict[str, Any] = {
        "from": before.status.value,
        "to": after.status.value,
        "reason": reason.strip(),
        "effect": outcome.effect,
    }
    if after.assignee != before.assignee:
        data["assignee"] = {"from": before.assignee, "to": after.assignee}
    if after.remedy:
        data["remedy"] = after.remedy.value
        data["remedy_text"] = after.remedy_text
    elif after.pending_remedy:
        data["to"] = Status.RESOLVED.value
        data["remedy"] = after.pending_remedy.value
        data["remedy_text"] = after.pending_remedy_text
    return data


def _check_fields(values: dict[str, Any]) -> None:
    priority = values.get("priority")
    if priority is not None and priority not in _PRIORITIES:
        raise BadInput(f"priority must be one of {', '.join(_PRIORITIES)}")
    tags = values.get("tags")
    if tags is not None and (
        not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags)
    ):
        raise BadInput("tags must be a list of non-empty texts")
