"""Every (from, to) pair x every role x whose case it is, against a table written from the spec.

Each row gives, per role (intake, investigator, supervisor, analyst, admin), three outcomes:
the case assigned to the actor, assigned to someone else, and unassigned. The request
carries a reason, no assignee, and a remedy only when the target is `resolved`.

    A  applied              C  closure requested (awaits a supervisor)
    D  Denied               X  InvalidTransition

So a supervisor starting or reopening an unassigned case without naming an assignee gets X:
the step needs an assignee and none is given or kept.
"""

from __future__ import annotations

import pytest

from nadzor.cases.domain import (
    Actor,
    CaseState,
    Denied,
    InvalidTransition,
    Remedy,
    Role,
    Status,
    TransitionRequest,
    decide_transition,
)

NEW, TRI, INV, REM, RES, CLO = (
    Status.NEW,
    Status.TRIAGE,
    Status.INVESTIGATING,
    Status.REMEDY_REQUESTED,
    Status.RESOLVED,
    Status.CLOSED_UNFOUNDED,
)
ROLES = (Role.INTAKE, Role.INVESTIGATOR, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN)
WHOSE = ("own", "other", "unassigned")

# fmt: off
FLOW: dict[tuple[Status, Status], str] = {
    #             intake investigator supervisor analyst admin
    (NEW, NEW):  "XXX    XXX          XXX        DDD     DDD",
    (NEW, TRI):  "AAA    ADA          AAA        DDD     DDD",
    (NEW, INV):  "XXX    XXX          XXX        DDD     DDD",
    (NEW, REM):  "XXX    XXX          XXX        DDD     DDD",
    (NEW, RES):  "XXX    XXX          XXX        DDD     DDD",
    (NEW, CLO):  "XXX    XXX          XXX        DDD     DDD",
    (TRI, NEW):  "XXX    XXX          XXX        DDD     DDD",
    (TRI, TRI):  "XXX    XXX          XXX        DDD     DDD",
    (TRI, INV):  "DDD    ADA          AAX        DDD     DDD",
    (TRI, REM):  "XXX    XXX          XXX        DDD     DDD",
    (TRI, RES):  "XXX    XXX          XXX        DDD     DDD",
    (TRI, CLO):  "DDD    CDD          AAA        DDD     DDD",
    (INV, NEW):  "XXX    XXX          XXX        DDD     DDD",
    (INV, TRI):  "XXX    XXX          XXX        DDD     DDD",
    (INV, INV):  "XXX    XXX          XXX        DDD     DDD",
    (INV, REM):  "DDD    ADD          AAA        DDD     DDD",
    (INV, RES):  "XXX    XXX          XXX        DDD     DDD",
    (INV, CLO):  "DDD    CDD          AAA        DDD     DDD",
    (REM, NEW):  "XXX    XXX          XXX        DDD     DDD",
    (REM, TRI):  "XXX    XXX          XXX        DDD     DDD",
    (REM, INV):  "XXX    XXX          XXX        DDD     DDD",
    (REM, REM):  "XXX    XXX          XXX        DDD     DDD",
    (REM, RES):  "DDD    ADD          AAA        DDD     DDD",
    (REM, CLO):  "DDD    CDD          AAA        DDD     DDD",
    (RES, NEW):  "XXX    XXX          XXX        DDD     DDD",
    (RES, TRI):  "XXX    XXX          XXX        DDD     DDD",
    (RES, INV):  "DDD    DDD          AAX        DDD     DDD",
    (RES, REM):  "XXX    XXX          XXX        DDD     DDD",
    (RES, RES):  "XXX    XXX          XXX        DDD     DDD",
    (RES, CLO):  "XXX    XXX          XXX        DDD     DDD",
    (CLO, NEW):  "XXX    XXX          XXX        DDD     DDD",
    (CLO, TRI):  "XXX    XXX          XXX        DDD     DDD",
    (CLO, INV):  "DDD    DDD          AAX        DDD     DDD",
    (CLO, REM):  "XXX    XXX          XXX        DDD     DDD",
    (CLO, RES):  "XXX    XXX          XXX        DDD     DDD",
    (CLO, CLO):  "XXX    XXX          XXX        DDD     DDD",
}
# fmt: on

CASES = [
    (start, target, role, whose, expected)
    for (start, target), row in FLOW.items()
    for role, group in zip(ROLES, row.split(), strict=True)
    for whose, expected in zip(WHOSE, group, strict=True)
]


def test_the_table_covers_every_pair_of_statuses() -> None:
    assert set(FLOW) == {(a, b) for a in Status for b in Status}
    assert len(CASES) == 6 * 6 * 5 * 3


def state_for(status: Status, whose: str, actor: Actor) -> CaseState:
    assignee = {"own": actor.name, "other": "someone.else", "unassigned": None}[whose]
    return CaseState(status=status, assignee=assignee)


@pytest.mark.parametrize(
    ("start", "target", "role", "whose", "expected"),
    CASES,
    ids=[f"{a}-{b}-{r}-{w}" for a, b, r, w, _ in CASES],
)
def test_flow(start: Status, target: Status, role: Role, whose: str, expected: str) -> None:
    actor = Actor("me", role)
    state = state_for(start, whose, actor)
    remedy = Remedy.DEFERMENT_GRANTED if target is Status.RESOLVED else None
    request = TransitionRequest(target=target, reason="as recorded", remedy=remedy)
    if expected == "D":
        with pytest.raises(Denied):
            decide_transition(actor, state, request)
    elif expected == "X":
        with pytest.raises(InvalidTransition) as err:
            decide_transition(actor, state, request)
        assert type(err.value) is InvalidTransition
    elif expected == "C":
        outcome = decide_transition(actor, state, request)
        assert outcome.effect == "closure_requested"
        assert outcome.state == CaseState(
            status=start, assignee=state.assignee, closure_requested_by=actor.name
        )
    else:
        assert expected == "A"
        outcome = decide_transition(actor, state, request)
        assert outcome.effect == "applied"
        assert outcome.state.status is target
        assert outcome.state.closure_requested_by is None
        # a step keeps the assignee, except an investigator taking a case for themselves
        taken = target is Status.INVESTIGATING and state.assignee is None
        assert outcome.state.assignee == (actor.name if taken else state.assignee)
        assert outcome.state.remedy is remedy
