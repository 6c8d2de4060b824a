"""Working a case through the store: the status flow, closure approval, deadlines, notes."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from nadzor.audit.journal import entries_for, verify
from nadzor.cases.domain import (
    Actor,
    Denied,
    InvalidTransition,
    Kind,
    Remedy,
    Role,
    Status,
    TransitionRequest,
)
from nadzor.cases.services import (
    BadInput,
    CaseFilters,
    NewCase,
    NotFound,
    add_note,
    case_view,
    create_case,
    decide_closure,
    extend_deadline,
    list_cases,
    set_legal_hold,
    transition,
    update_case,
)
from nadzor.store.models import Case

pytestmark = pytest.mark.django_db


def step(actor: Actor, case: Case, target: Status, **kw: object) -> str:
    outcome = transition(
        actor, case.reference, TransitionRequest(target, kw.pop("reason", "because"), **kw)
    )  # type: ignore[arg-type]
    return outcome.effect


def test_staff_entry_gets_a_reference_and_a_30_day_deadline(case: Case) -> None:
    assert case.reference.startswith(f"NZ-{case.created_at.year}-") and case.reference.endswith(
        "000001"
    )
    assert case.due_on == case.registered_on + dt.timedelta(days=30)
    (entry,) = entries_for(f"case:{case.reference}")
    assert (entry.actor, entry.action) == ("sofia", "case.create")


def test_a_case_worked_to_a_remedy(staff: dict[Role, Actor], case: Case) -> None:
    assert step(staff[Role.INTAKE], case, Status.TRIAGE) == "applied"
    assert step(staff[Role.INVESTIGATOR], case, Status.INVESTIGATING) == "applied"  # takes it
    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.assignee.username) == ("investigating", "ivan")
    step(staff[Role.INVESTIGATOR], case, Status.REMEDY_REQUESTED, reason="letter to the commander")
    with pytest.raises(InvalidTransition):
        step(staff[Role.INVESTIGATOR], case, Status.RESOLVED)  # no remedy
    step(
        staff[Role.INVESTIGATOR],
        case,
        Status.RESOLVED,
        remedy=Remedy.KIT_ISSUED,
        reason="issued on 1 Dec",
    )
    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.remedy) == ("resolved", "kit_issued")
    history = [
        (e.actor, e.action, json.loads(e.data).get("to"))
        for e in entries_for(f"case:{case.reference}")
    ]
    assert history[1:] == [
        ("ira", "case.status", "triage"),
        ("ivan", "case.status", "investigating"),
        ("ivan", "case.status", "remedy_requested"),
        ("ivan", "case.status", "resolved"),
    ]
    with pytest.raises(Denied):
        step(staff[Role.INVESTIGATOR], case, Status.INVESTIGATING)  # only a supervisor reopens
    step(staff[Role.SUPERVISOR], case, Status.INVESTIGATING, reason="the kit was taken back")
    assert Case.objects.get(pk=case.pk).remedy == ""
    assert verify().ok


def test_closing_unfounded_is_requested_then_approved(staff: dict[Role, Actor], case: Case) -> None:
    step(staff[Role.SUPERVISOR], case, Status.TRIAGE)
    step(staff[Role.SUPERVISOR], case, Status.INVESTIGATING, assignee="ivan")
    assert (
        step(
            staff[Role.INVESTIGATOR], case, Status.CLOSED_UNFOUNDED, reason="kit was issued before"
        )
        == "closure_requested"
    )
    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.closure_requested_by.username) == ("investigating", "ivan")
    with pytest.raises(Denied):
        decide_closure(
            staff[Role.INVESTIGATOR], case.reference, approve=True, reason="self-approval"
        )
    decide_closure(staff[Role.SUPERVISOR], case.reference, approve=True, reason="receipt seen")
    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.closure_requested_by) == ("closed_unfounded", None)
    actions = [e.action for e in entries_for(f"case:{case.reference}")]
    assert actions[-2:] == ["case.closure_requested", "case.status"]


def test_a_rejected_closure_request_leaves_the_case_open(
    staff: dict[Role, Actor], case: Case
) -> None:
    step(staff[Role.SUPERVISOR], case, Status.TRIAGE)
    step(staff[Role.SUPERVISOR], case, Status.INVESTIGATING, assignee="ivan")
    step(staff[Role.INVESTIGATOR], case, Status.CLOSED_UNFOUNDED)
    decide_closure(
        staff[Role.SUPERVISOR], case.reference, approve=False, reason="check the depot first"
    )
    stored = Case.objects.get(pk=case.pk)
    assert (stored.status, stored.closure_requested_by, stored.closure_reason) == (
        "investigating",
        None,
        "",
    )


def test_assignee_must_be_an_active_investigator(staff: dict[Role, Actor], case: Case) -> None:
    step(staff[Role.SUPERVISOR], case, Status.TRIAGE)
    with pytest.raises(BadInput, match="'anna' is not an active investigator or supervisor"):
        step(staff[Role.SUPERVISOR], case, Status.INVESTIGATING, assignee="anna")
    assert Case.objects.get(pk=case.pk).status == "triage"


def test_deadline_extends_once_with_a_reason(staff: dict[Role, Actor], case: Case) -> None:
    due = case.due_on
    extended = extend_deadline(
        staff[Role.SUPERVISOR], case.reference, 20, "waiting for the hospital's records"
    )
    assert extended.due_on == due + dt.timedelta(days=20) and extended.deadline_extended
    with pytest.raises(InvalidTransition):
        extend_deadline(staff[Role.SUPERVISOR], case.reference, 5, "again")
    with pytest.raises(Denied):
        extend_deadline(staff[Role.INTAKE], case.reference, 5, "intake may not")


def test_overdue_cases_come_first_and_none_expires_silently(staff: dict[Role, Actor]) -> None:
    boss = staff[Role.SUPERVISOR]
    late = create_case(boss, NewCase(kind=Kind.CONDITIONS))
    soon = create_case(boss, NewCase(kind=Kind.TRAINING))
    closed = create_case(boss, NewCase(kind=Kind.ABUSE))
    today = dt.date.today()
    Case.objects.filter(pk=late.pk).update(due_on=today - dt.timedelta(days=3))
    Case.objects.filter(pk=soon.pk).update(due_on=today + dt.timedelta(days=2))
    Case.objects.filter(pk=closed.pk).update(due_on=today - dt.timedelta(days=9), status="resolved")
    order = [c.reference for c in list_cases(boss, CaseFilters())]
    assert order == [late.reference, soon.reference, closed.reference]
    overdue = [c.reference for c in list_cases(boss, CaseFilters(overdue=True))]
    assert overdue == [late.reference]


def test_investigator_sees_own_and_takeable_cases_only(
    staff: dict[Role, Actor], case: Case
) -> None:
    boss, ivan = staff[Role.SUPERVISOR], staff[Role.INVESTIGATOR]
    other = create_case(boss, NewCase(kind=Kind.ABUSE))
    step(boss, other, Status.TRIAGE)
    step(boss, other, Status.INVESTIGATING, assignee="olga")
    assert {c.reference for c in list_cases(ivan, CaseFilters())} == {case.reference}
    with pytest.raises(Denied, match="you may not open this case"):
        case_view(ivan, other.reference)
    with pytest.raises(Denied, match="you may not open this case"):
        case_view(ivan, "NZ-2026-999999")  # missing and hidden read the same
    with pytest.raises(NotFound):
        case_view(boss, "NZ-2026-999999")
    with pytest.raises(Denied, match="an analyst may not view cases"):
        list_cases(staff[Role.ANALYST], CaseFilters())


def test_notes_updates_and_legal_hold_are_audited(staff: dict[Role, Actor], case: Case) -> None:
    boss = staff[Role.SUPERVISOR]
    add_note(boss, case.reference, "Called the unit's commander.")
    update_case(boss, case.reference, {"facility": "Military unit 12345", "tags": ["winter"]})
    set_legal_hold(boss, case.reference, True, "prosecutor's request")
    with pytest.raises(BadInput):
        update_case(boss, case.reference, {"status": "resolved"})
    with pytest.raises(BadInput):
        add_note(boss, case.reference, "   ")
    view = case_view(boss, case.reference)
    assert [n.text for n in view.notes] == ["Called the unit's commander."]
    assert [e.action for e in view.history] == [
        "case.create",
        "case.note",
        "case.update",
        "case.update",
    ]
    assert Case.objects.get(pk=case.pk).legal_hold
