"""What each step needs and leaves behind: reason, assignee, remedy, closure, reopening."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from nadzor.cases.domain import (
    Actor,
    CaseState,
    Denied,
    DomainError,
    InvalidTransition,
    Remedy,
    Role,
    Status,
    TransitionOutcome,
    TransitionRequest,
    approve_closure,
    decide_transition,
    needs_approval,
    needs_reason,
    reject_closure,
)

SUPERVISOR = Actor("sofia", Role.SUPERVISOR)
INVESTIGATOR = Actor("ivan", Role.INVESTIGATOR)
OTHER_INVESTIGATOR = Actor("olga", Role.INVESTIGATOR)
INTAKE = Actor("irina", Role.INTAKE)

# one valid step per row, taken by someone allowed to take it
STEPS = [
    (INTAKE, CaseState(Status.NEW), TransitionRequest(Status.TRIAGE, "r")),
    (SUPERVISOR, CaseState(Status.TRIAGE), TransitionRequest(Status.INVESTIGATING, "r", "ivan")),
    (INVESTIGATOR, CaseState(Status.TRIAGE), TransitionRequest(Status.INVESTIGATING, "r")),
    (
        INVESTIGATOR,
        CaseState(Status.INVESTIGATING, "ivan"),
        TransitionRequest(Status.REMEDY_REQUESTED, "r"),
    ),
    (
        INVESTIGATOR,
        CaseState(Status.REMEDY_REQUESTED, "ivan"),
        TransitionRequest(Status.RESOLVED, "r", remedy=Remedy.DISCHARGED),
    ),
    (SUPERVISOR, CaseState(Status.TRIAGE), TransitionRequest(Status.CLOSED_UNFOUNDED, "r")),
    (
        INVESTIGATOR,
        CaseState(Status.INVESTIGATING, "ivan"),
        TransitionRequest(Status.CLOSED_UNFOUNDED, "r"),
    ),
    (
        SUPERVISOR,
        CaseState(Status.RESOLVED, "ivan", remedy=Remedy.KIT_ISSUED),
        TransitionRequest(Status.INVESTIGATING, "r"),
    ),
]


def step(
    actor: Actor,
    state: CaseState,
    *,
    target: Status,
    assignee: str | None = None,
    remedy: Remedy | None = None,
    remedy_text: str = "",
) -> TransitionOutcome:
    request = TransitionRequest(target, "checked the register", assignee, remedy, remedy_text)
    return decide_transition(actor, state, request)


Decision = Callable[[Actor, CaseState, str], TransitionOutcome]


# the steps that are a judgement others must read later
REASONED = {Status.CLOSED_UNFOUNDED}


@pytest.mark.parametrize(("actor", "state", "request_"), STEPS)
@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_a_reason_is_needed_only_to_close_or_reopen(
    actor: Actor, state: CaseState, request_: TransitionRequest, reason: str
) -> None:
    decide_transition(actor, state, request_)  # the step itself is allowed
    blank = TransitionRequest(
        request_.target, reason, request_.assignee, request_.remedy, request_.remedy_text
    )
    reopen = not state.status.is_open
    if request_.target in REASONED or reopen:
        assert needs_reason(request_.target, state)
        with pytest.raises(InvalidTransition, match="a reason is required"):
            decide_transition(actor, state, blank)
    else:
        assert not needs_reason(request_.target, state)
        assert decide_transition(actor, state, blank) == decide_transition(actor, state, request_)


def test_sent_home_by_an_investigator_waits_for_a_supervisor() -> None:
    state = CaseState(Status.REMEDY_REQUESTED, "ivan")
    asked = step(INVESTIGATOR, state, target=Status.RESOLVED, remedy=Remedy.SENT_HOME)
    assert asked.effect == "approval_requested"
    assert asked.state == CaseState(
        Status.REMEDY_REQUESTED,
        "ivan",
        closure_requested_by="ivan",
        pending_remedy=Remedy.SENT_HOME,
    )
    with pytest.raises(InvalidTransition, match="already awaits"):
        step(INVESTIGATOR, asked.state, target=Status.CLOSED_UNFOUNDED)
    with pytest.raises(Denied, match="only a supervisor may approve resolving a case"):
        approve_closure(INVESTIGATOR, asked.state, "ok")
    approved = approve_closure(SUPERVISOR, asked.state, "the commissariat confirmed it")
    assert approved.state == CaseState(Status.RESOLVED, "ivan", remedy=Remedy.SENT_HOME)
    rejected = reject_closure(SUPERVISOR, asked.state, "no document yet")
    assert rejected.state == CaseState(Status.REMEDY_REQUESTED, "ivan")
    # a supervisor's own step needs no second one
    own = step(SUPERVISOR, state, target=Status.RESOLVED, remedy=Remedy.SENT_HOME)
    assert (own.effect, own.state.status) == ("applied", Status.RESOLVED)
    assert needs_approval(INVESTIGATOR, Remedy.SENT_HOME)
    assert not needs_approval(INVESTIGATOR, Remedy.KIT_ISSUED)


def test_messages_are_plain_sentences() -> None:
    with pytest.raises(InvalidTransition) as err:
        step(SUPERVISOR, CaseState(Status.NEW), target=Status.RESOLVED, remedy=Remedy.OTHER)
    assert str(err.value) == "a case cannot go from new to resolved"
    with pytest.raises(Denied) as denied:
        step(INVESTIGATOR, CaseState(Status.RESOLVED, "ivan"), target=Status.INVESTIGATING)
    assert str(denied.value) == "only a supervisor may reopen a case"
    with pytest.raises(Denied) as analyst:
        step(Actor("ann", Role.ANALYST), CaseState(Status.NEW), target=Status.RESOLVED)
    assert str(analyst.value) == "an analyst may not change the status of a case"
    assert issubclass(Denied, DomainError)
    assert issubclass(InvalidTransition, DomainError)


def test_a_role_that_may_do_the_step_hears_about_the_pair_first() -> None:
    # an invalid pair is InvalidTransition even for an investigator not on the case
    with pytest.raises(InvalidTransition, match="from investigating to resolved"):
        step(OTHER_INVESTIGATOR, CaseState(Status.INVESTIGATING, "ivan"), target=Status.RESOLVED)


# starting an investigation: the assignee


def test_supervisor_assigns_anyone_when_starting() -> None:
    outcome = step(
        SUPERVISOR, CaseState(Status.TRIAGE), target=Status.INVESTIGATING, assignee="olga"
    )
    assert outcome.state == CaseState(Status.INVESTIGATING, assignee="olga")
    reassigned = step(
        SUPERVISOR, CaseState(Status.TRIAGE, "ivan"), target=Status.INVESTIGATING, assignee="olga"
    )
    assert reassigned.state.assignee == "olga"


@pytest.mark.parametrize("assignee", [None, "", "  "])
def test_supervisor_must_name_an_assignee_for_an_unassigned_case(assignee: str | None) -> None:
    with pytest.raises(InvalidTransition, match="needs an assignee"):
        step(SUPERVISOR, CaseState(Status.TRIAGE), target=Status.INVESTIGATING, assignee=assignee)


@pytest.mark.parametrize("assignee", [None, "", "ivan"])
def test_investigator_takes_an_unassigned_case_for_himself(assignee: str | None) -> None:
    outcome = step(
        INVESTIGATOR, CaseState(Status.TRIAGE), target=Status.INVESTIGATING, assignee=assignee
    )
    assert outcome == TransitionOutcome(CaseState(Status.INVESTIGATING, "ivan"), "applied")


def test_investigator_cannot_assign_someone_else() -> None:
    with pytest.raises(Denied, match="only for themselves"):
        step(INVESTIGATOR, CaseState(Status.TRIAGE), target=Status.INVESTIGATING, assignee="olga")


def test_investigator_cannot_take_a_case_assigned_to_someone_else() -> None:
    with pytest.raises(Denied, match="only an unassigned case"):
        step(OTHER_INVESTIGATOR, CaseState(Status.TRIAGE, "ivan"), target=Status.INVESTIGATING)


def test_an_assignee_is_given_only_on_the_way_to_investigating() -> None:
    with pytest.raises(InvalidTransition, match="only when a case goes to investigating"):
        step(SUPERVISOR, CaseState(Status.NEW), target=Status.TRIAGE, assignee="ivan")


# resolving: the remedy


def test_resolving_needs_a_remedy() -> None:
    with pytest.raises(InvalidTransition, match="only with a remedy"):
        step(INVESTIGATOR, CaseState(Status.REMEDY_REQUESTED, "ivan"), target=Status.RESOLVED)


@pytest.mark.parametrize("text", ["", "   "])
def test_remedy_other_needs_a_description(text: str) -> None:
    with pytest.raises(InvalidTransition, match="needs a description"):
        step(
            SUPERVISOR,
            CaseState(Status.REMEDY_REQUESTED, "ivan"),
            target=Status.RESOLVED,
            remedy=Remedy.OTHER,
            remedy_text=text,
        )


@pytest.mark.parametrize(
    ("remedy", "text", "kept"),
    [
        (Remedy.OTHER, "  transferred to a unit near home ", "transferred to a unit near home"),
        (Remedy.DEFERMENT_GRANTED, "", ""),
        (Remedy.KIT_ISSUED, "winter uniform issued", "winter uniform issued"),
    ],
)
def test_resolved_case_keeps_its_remedy(remedy: Remedy, text: str, kept: str) -> None:
    state = CaseState(Status.REMEDY_REQUESTED, "ivan")
    outcome = step(INVESTIGATOR, state, target=Status.RESOLVED, remedy=remedy, remedy_text=text)
    assert outcome.state == CaseState(Status.RESOLVED, "ivan", remedy=remedy, remedy_text=kept)


@pytest.mark.parametrize(
    ("remedy", "text"), [(Remedy.SENT_HOME, ""), (None, "details"), (Remedy.OTHER, "x")]
)
def test_a_remedy_is_given_only_when_resolving(remedy: Remedy | None, text: str) -> None:
    with pytest.raises(InvalidTransition, match="only when a case is resolved"):
        step(
            INVESTIGATOR,
            CaseState(Status.INVESTIGATING, "ivan"),
            target=Status.REMEDY_REQUESTED,
            remedy=remedy,
            remedy_text=text,
        )


# closing as unfounded


def pending(status: Status = Status.INVESTIGATING) -> CaseState:
    return CaseState(status, "ivan", closure_requested_by="ivan")


def test_investigator_requests_closure_and_the_case_stays_open() -> None:
    outcome = step(
        INVESTIGATOR, CaseState(Status.REMEDY_REQUESTED, "ivan"), target=Status.CLOSED_UNFOUNDED
    )
    assert outcome == TransitionOutcome(pending(Status.REMEDY_REQUESTED), "closure_requested")


def test_a_second_closure_request_is_refused() -> None:
    with pytest.raises(InvalidTransition, match="already awaits a supervisor"):
        step(INVESTIGATOR, pending(), target=Status.CLOSED_UNFOUNDED)


def test_supervisor_closes_at_once_even_with_a_request_pending() -> None:
    outcome = step(SUPERVISOR, pending(), target=Status.CLOSED_UNFOUNDED)
    assert outcome == TransitionOutcome(CaseState(Status.CLOSED_UNFOUNDED, "ivan"), "applied")


@pytest.mark.parametrize("status", [Status.TRIAGE, Status.INVESTIGATING, Status.REMEDY_REQUESTED])
def test_supervisor_approves_a_closure_request(status: Status) -> None:
    outcome = approve_closure(SUPERVISOR, pending(status), "no call-up papers were served")
    assert outcome == TransitionOutcome(CaseState(Status.CLOSED_UNFOUNDED, "ivan"), "applied")


def test_supervisor_rejects_a_closure_request() -> None:
    outcome = reject_closure(SUPERVISOR, pending(), "the medical board was never held")
    assert outcome == TransitionOutcome(CaseState(Status.INVESTIGATING, "ivan"), "applied")


@pytest.mark.parametrize("decide", [approve_closure, reject_closure])
@pytest.mark.parametrize("role", [Role.INTAKE, Role.INVESTIGATOR, Role.ANALYST, Role.ADMIN])
def test_only_a_supervisor_decides_on_closure(decide: Decision, role: Role) -> None:
    with pytest.raises(Denied, match="only a supervisor may"):
        decide(Actor("ivan", role), pending(), "reason")


@pytest.mark.parametrize("decide", [approve_closure, reject_closure])
def test_a_closure_decision_needs_a_pending_request_and_a_reason(decide: Decision) -> None:
    with pytest.raises(InvalidTransition, match="no closure of this case awaits"):
        decide(SUPERVISOR, CaseState(Status.INVESTIGATING, "ivan"), "reason")
    with pytest.raises(InvalidTransition, match="a reason is required"):
        decide(SUPERVISOR, pending(), " ")
    closed = CaseState(Status.CLOSED_UNFOUNDED, "ivan", closure_requested_by="ivan")
    with pytest.raises(InvalidTransition, match="cannot go from closed_unfounded"):
        decide(SUPERVISOR, closed, "reason")


def test_a_step_that_moves_the_case_withdraws_a_pending_closure_request() -> None:
    outcome = step(INVESTIGATOR, pending(), target=Status.REMEDY_REQUESTED)
    assert outcome.state == CaseState(Status.REMEDY_REQUESTED, "ivan")
    with pytest.raises(InvalidTransition, match="no closure of this case awaits"):
        approve_closure(SUPERVISOR, outcome.state, "reason")


def test_another_investigator_cannot_request_closure() -> None:
    with pytest.raises(Denied, match="only the assigned investigator or a supervisor"):
        step(OTHER_INVESTIGATOR, pending(), target=Status.CLOSED_UNFOUNDED)


# reopening


@pytest.mark.parametrize("status", [Status.RESOLVED, Status.CLOSED_UNFOUNDED])
def test_reopening_keeps_the_assignee_and_clears_the_remedy(status: Status) -> None:
    state = CaseState(status, "ivan", remedy=Remedy.OTHER, remedy_text="moved")
    outcome = step(SUPERVISOR, state, target=Status.INVESTIGATING)
    assert outcome == TransitionOutcome(CaseState(Status.INVESTIGATING, "ivan"), "applied")
    reassigned = step(SUPERVISOR, state, target=Status.INVESTIGATING, assignee="olga")
    assert reassigned.state == CaseState(Status.INVESTIGATING, "olga")


def test_reopening_an_unassigned_case_needs_an_assignee() -> None:
    with pytest.raises(InvalidTransition, match="needs an assignee"):
        step(SUPERVISOR, CaseState(Status.CLOSED_UNFOUNDED), target=Status.INVESTIGATING)
    outcome = step(
        SUPERVISOR, CaseState(Status.CLOSED_UNFOUNDED), target=Status.INVESTIGATING, assignee="olga"
    )
    assert outcome.state == CaseState(Status.INVESTIGATING, "olga")
