"""What an actor sees of a case and what they may do with it, decided once for every edge.

The HTML case page, the API's case and `nadzor cases show` each ask `visible_parts` which
parts to show and `allowed_steps` / `may_decide` which steps to offer; none of them looks at
a role itself. Both read only the permission table and the status flow.
"""

from __future__ import annotations

from enum import StrEnum

from nadzor.cases.domain._errors import DomainError
from nadzor.cases.domain._model import Actor, CaseState, Remedy, Status, TransitionRequest
from nadzor.cases.domain._permissions import Operation, Scope, may
from nadzor.cases.domain._transitions import decide_transition

__all__ = ["Part", "allowed_steps", "may_decide", "scope_of_state", "visible_parts"]


class Part(StrEnum):
    """A part of a case as it is shown."""

    FINDINGS = "findings"
    NOTES = "notes"
    # the complaints linked to the case (or split into it), with the start of each text
    COMPLAINTS = "complaints"
    EVIDENCE = "evidence"
    HISTORY = "history"
    # the people of the case with their personal data, shown on request (and audited)
    IDENTITY = "identity"


# the operation each part needs, on the case
_NEEDS = {
    Part.FINDINGS: Operation.CASE_VIEW,
    Part.NOTES: Operation.CASE_VIEW,
    Part.COMPLAINTS: Operation.COMPLAINT_VIEW,
    Part.EVIDENCE: Operation.EVIDENCE_VIEW,
    Part.HISTORY: Operation.AUDIT_VIEW,
    Part.IDENTITY: Operation.IDENTITY_VIEW,
}


def scope_of_state(state: CaseState) -> Scope:
    """The facts of the case that the permission table reads."""
    return Scope(assignee=state.assignee, status=state.status)


def visible_parts(actor: Actor, state: CaseState) -> frozenset[Part]:
    """The parts of the case the actor sees (none when they may not open it)."""
    scope = scope_of_state(state)
    if not may(actor, Operation.CASE_VIEW, scope):
        return frozenset()
    return frozenset(part for part, op in _NEEDS.items() if may(actor, op, scope))


def allowed_steps(actor: Actor, state: CaseState) -> tuple[Status, ...]:
    """The statuses the actor may move the case to (or ask a supervisor to), in the order
    of the flow: each is tried on the state with `decide_transition`."""
    if not may(actor, Operation.CASE_VIEW, scope_of_state(state)):
        return ()
    return tuple(target for target in Status if _allowed(actor, state, target))


def may_decide(actor: Actor, state: CaseState) -> bool:
    """Whether a request on the case awaits this actor's decision."""
    return state.closure_requested_by is not None and may(
        actor, Operation.CASE_APPROVE, scope_of_state(state)
    )


def _allowed(actor: Actor, state: CaseState, target: Status) -> bool:
    probe = TransitionRequest(
        target,
        reason="?",  # a probe: whether a reason is needed is asked apart
        assignee=actor.name
        if target is Status.INVESTIGATING
        and may(actor, Operation.CASE_ASSIGN, scope_of_state(state))
        else None,
        remedy=Remedy.OTHER if target is Status.RESOLVED else None,
        remedy_text="?" if target is Status.RESOLVED else "",
    )
    try:
        decide_transition(actor, state, probe)
    except DomainError:
        return False
    return True
