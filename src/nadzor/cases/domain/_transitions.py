"""The status flow: who may move a case from one status to another, and what the step needs.

Checks run in this order, so that the first refusal is the most useful one:

1. a role that may take no step at all (analyst, admin) is `Denied` whatever it asks;
2. a pair of statuses that the flow does not have is an `InvalidTransition` naming both;
3. a role or assignment that does not allow this step is `Denied`;
4. a blank reason where the step needs one, or a missing (or misplaced) assignee or remedy,
   is an `InvalidTransition`.

A reason is needed where the step is a judgement that others must be able to read later:
closing as unfounded, reopening, and a supervisor's decision on a request. The other steps
say why by themselves (triage, taking a case, asking for a remedy, the remedy given); a
reason given there is recorded all the same.

Some remedies change a person's situation for good and are the kind a superior must sign:
resolving with `sent_home` (`needs_approval`) is, like a closure as unfounded, a request
that takes effect when a supervisor approves it (a supervisor's own step needs no second).

A step that changes the status withdraws any pending request: the request was about the
case as it was.
"""

from __future__ import annotations

from dataclasses import replace
from enum import Enum

from nadzor.cases.domain._errors import Denied, InvalidTransition, who
from nadzor.cases.domain._model import (
    Actor,
    CaseState,
    Remedy,
    Role,
    Status,
    TransitionOutcome,
    TransitionRequest,
)
from nadzor.cases.domain._permissions import Operation, Scope, may

__all__ = [
    "APPROVED_REMEDIES",
    "approve_closure",
    "decide_transition",
    "needs_approval",
    "needs_reason",
    "reject_closure",
]


class _Step(Enum):
    TRIAGE = "triage"
    START = "start"
    REQUEST_REMEDY = "request a remedy"
    RESOLVE = "resolve"
    CLOSE = "close as unfounded"
    REOPEN = "reopen"


# statuses from which a case may be closed as unfounded
_CLOSABLE = frozenset({Status.TRIAGE, Status.INVESTIGATING, Status.REMEDY_REQUESTED})

# the flow of the spec's status table: (from, to) -> step
_S = Status
_STEPS: dict[tuple[Status, Status], _Step] = {
    (_S.NEW, _S.TRIAGE): _Step.TRIAGE,
    (_S.TRIAGE, _S.INVESTIGATING): _Step.START,
    (_S.INVESTIGATING, _S.REMEDY_REQUESTED): _Step.REQUEST_REMEDY,
    (_S.REMEDY_REQUESTED, _S.RESOLVED): _Step.RESOLVE,
    **{(status, _S.CLOSED_UNFOUNDED): _Step.CLOSE for status in sorted(_CLOSABLE)},
    (_S.RESOLVED, _S.INVESTIGATING): _Step.REOPEN,
    (_S.CLOSED_UNFOUNDED, _S.INVESTIGATING): _Step.REOPEN,
}

# remedies that take effect only once a supervisor approves them
APPROVED_REMEDIES = frozenset({Remedy.SENT_HOME})

# steps that need a written reason
_REASONED = frozenset({_Step.CLOSE, _Step.REOPEN})

# roles that may take at least one step
_WORKERS = frozenset({Role.INTAKE, Role.INVESTIGATOR, Role.SUPERVISOR})

_REFUSALS = {
    _Step.TRIAGE: "an investigator may triage only an unassigned case or one assigned to them",
    _Step.START: "only a supervisor, or an investigator taking an unassigned case, may start an investigation",
    _Step.REQUEST_REMEDY: "only the assigned investigator or a supervisor may request a remedy",
    _Step.RESOLVE: "only the assigned investigator or a supervisor may resolve a case",
    _Step.CLOSE: "only the assigned investigator or a supervisor may close a case as unfounded",
    _Step.REOPEN: "only a supervisor may reopen a case",
}


def decide_transition(
    actor: Actor, state: CaseState, request: TransitionRequest
) -> TransitionOutcome:
    """The case after `actor` asks for `request`, or the refusal as a `DomainError`."""
    if actor.role not in _WORKERS:
        raise Denied(f"{who(actor.role)} may not change the status of a case")
    step = _STEPS.get((state.status, request.target))
    if step is None:
        raise InvalidTransition(f"a case cannot go from {state.status} to {request.target}")
    assignee = _given(request.assignee)
    _check_allowed(step, actor, state, assignee)
    _check_request(step, request, assignee)
    if step is _Step.START:
        chosen = actor.name if actor.role == Role.INVESTIGATOR else assignee or state.assignee
        if chosen is None:
            raise InvalidTransition("a case needs an assignee to go to investigating")
        return _applied(state, Status.INVESTIGATING, assignee=chosen)
    if step is _Step.RESOLVE:
        if needs_approval(actor, request.remedy):
            if state.closure_requested_by is not None:
                raise InvalidTransition(
                    "a request on this case already awaits a supervisor's decision"
                )
            pending = replace(
                state,
                closure_requested_by=actor.name,
                pending_remedy=request.remedy,
                pending_remedy_text=_text(request),
            )
            return TransitionOutcome(state=pending, effect="approval_requested")
        return _applied(state, Status.RESOLVED, remedy=request.remedy, remedy_text=_text(request))
    if step is _Step.CLOSE:
        if actor.role == Role.SUPERVISOR:
            return _applied(state, Status.CLOSED_UNFOUNDED)
        if state.closure_requested_by is not None:
            raise InvalidTransition("a request on this case already awaits a supervisor's decision")
        pending = replace(state, closure_requested_by=actor.name, pending_remedy=None)
        return TransitionOutcome(state=pending, effect="closure_requested")
    if step is _Step.REOPEN:
        chosen = assignee or state.assignee
        if chosen is None:
            raise InvalidTransition("a reopened case needs an assignee")
        return _applied(state, Status.INVESTIGATING, assignee=chosen, remedy=None, remedy_text="")
    return _applied(state, request.target)


def needs_approval(actor: Actor, remedy: Remedy | None) -> bool:
    """Whether resolving with `remedy` by `actor` waits for a supervisor's approval."""
    return remedy in APPROVED_REMEDIES and actor.role != Role.SUPERVISOR


def needs_reason(target: Status, state: CaseState) -> bool:
    """Whether the step to `target` from `state` asks for a written reason."""
    return _STEPS.get((state.status, target)) in _REASONED


def approve_closure(actor: Actor, state: CaseState, reason: str) -> TransitionOutcome:
    """A supervisor approves the pending request: the case is closed as unfounded, or
    resolved with the remedy that was asked for."""
    _check_decision(actor, state, reason, "approve")
    if state.pending_remedy is not None:
        return _applied(
            state,
            Status.RESOLVED,
            remedy=state.pending_remedy,
            remedy_text=state.pending_remedy_text,
        )
    return _applied(state, Status.CLOSED_UNFOUNDED)


def reject_closure(actor: Actor, state: CaseState, reason: str) -> TransitionOutcome:
    """A supervisor rejects the pending request: the case stays as it is, request gone."""
    _check_decision(actor, state, reason, "reject")
    after = replace(state, closure_requested_by=None, pending_remedy=None, pending_remedy_text="")
    return TransitionOutcome(state=after, effect="applied")


def _check_allowed(step: _Step, actor: Actor, state: CaseState, assignee: str | None) -> None:
    """Raise `Denied` unless the actor's role and assignment allow this step."""
    if actor.role == Role.SUPERVISOR:
        return
    mine = state.assignee == actor.name
    if actor.role == Role.INTAKE:
        if step is _Step.TRIAGE:
            return
        raise Denied(_REFUSALS[step])
    # an investigator
    if step is _Step.TRIAGE and (state.assignee is None or mine):
        return
    if step is _Step.START:
        if state.assignee is not None and not mine:
            raise Denied("an investigator may take only an unassigned case")
        if assignee is not None and assignee != actor.name:
            raise Denied(
                "an investigator may take a case only for themselves; a supervisor assigns cases to others"
            )
        return
    if step in (_Step.REQUEST_REMEDY, _Step.RESOLVE, _Step.CLOSE) and mine:
        return
    raise Denied(_REFUSALS[step])


def _check_request(step: _Step, request: TransitionRequest, assignee: str | None) -> None:
    """Raise `InvalidTransition` for a blank reason where the step needs one, or a missing
    or misplaced detail."""
    if step in _REASONED:
        _check_reason(request.reason)
    if assignee is not None and step not in (_Step.START, _Step.REOPEN):
        raise InvalidTransition("an assignee can be given only when a case goes to investigating")
    if step is not _Step.RESOLVE:
        if request.remedy is not None or request.remedy_text.strip():
            raise InvalidTransition("a remedy can be given only when a case is resolved")
        return
    if request.remedy is None:
        raise InvalidTransition("a case can be resolved only with a remedy")
    if request.remedy == Remedy.OTHER and not request.remedy_text.strip():
        raise InvalidTransition("the remedy 'other' needs a description")


def _check_decision(actor: Actor, state: CaseState, reason: str, verb: str) -> None:
    resolving = state.pending_remedy is not None
    if not may(actor, Operation.CASE_APPROVE, Scope(state.assignee, state.status)):
        what = "resolving a case" if resolving else "closing a case as unfounded"
        raise Denied(f"only a supervisor may {verb} {what}")
    if state.closure_requested_by is None:
        raise InvalidTransition(f"no closure of this case awaits a decision to {verb}")
    if resolving and state.status is not Status.REMEDY_REQUESTED:
        raise InvalidTransition(f"a case cannot go from {state.status} to {Status.RESOLVED}")
    if not resolving and state.status not in _CLOSABLE:
        raise InvalidTransition(
            f"a case cannot go from {state.status} to {Status.CLOSED_UNFOUNDED}"
        )
    _check_reason(reason)


def _check_reason(reason: str) -> None:
    if not reason.strip():
        raise InvalidTransition("a reason is required: every change of status records why")


def _given(name: str | None) -> str | None:
    """An assignee's name, with a blank one taken as not given."""
    return name if name is not None and name.strip() else None


def _text(request: TransitionRequest) -> str:
    return request.remedy_text.strip()


def _applied(
    state: CaseState,
    status: Status,
    *,
    assignee: str | None = None,
    remedy: Remedy | None = None,
    remedy_text: str | None = None,
) -> TransitionOutcome:
    """The state moved to `status`, with the closure request withdrawn.

    `assignee` None keeps the current one; `remedy` and `remedy_text` are set when the
    target is resolved and cleared otherwise.
    """
    after = replace(
        state,
        status=status,
        assignee=state.assignee if assignee is None else assignee,
        closure_requested_by=None,
        pending_remedy=None,
        pending_remedy_text="",
        remedy=remedy if status == Status.RESOLVED else None,
        remedy_text=(remedy_text or "") if status == Status.RESOLVED else "",
    )
    return TransitionOutcome(state=after, effect="applied")
