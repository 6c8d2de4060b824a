"""What an actor sees of a case and may do with it: `visible_parts`, `allowed_steps` and
`may_decide`, the one answer every page, endpoint and command gives."""

from __future__ import annotations

from nadzor.cases.domain import (
    Actor,
    CaseState,
    Part,
    Role,
    Status,
    allowed_steps,
    may_decide,
    visible_parts,
)

IVAN = Actor("ivan", Role.INVESTIGATOR)
OLGA = Actor("olga", Role.INVESTIGATOR)
IRA = Actor("ira", Role.INTAKE)
SOFIA = Actor("sofia", Role.SUPERVISOR)
EVERYTHING = frozenset(Part)


def test_the_assigned_investigator_sees_everything_and_works_the_case() -> None:
    state = CaseState(Status.INVESTIGATING, assignee="ivan")
    assert visible_parts(IVAN, state) == EVERYTHING
    assert allowed_steps(IVAN, state) == (Status.REMEDY_REQUESTED, Status.CLOSED_UNFOUNDED)
    assert not may_decide(IVAN, state)


def test_another_investigator_sees_nothing_of_a_case_that_is_not_his() -> None:
    state = CaseState(Status.INVESTIGATING, assignee="ivan")
    assert visible_parts(OLGA, state) == frozenset()
    assert allowed_steps(OLGA, state) == ()


def test_an_unassigned_case_in_triage_is_open_to_take_without_its_files_or_people() -> None:
    state = CaseState(Status.TRIAGE)
    assert visible_parts(OLGA, state) == {Part.FINDINGS, Part.NOTES, Part.COMPLAINTS}
    assert allowed_steps(OLGA, state) == (Status.INVESTIGATING,)
    assert visible_parts(IRA, state) == {Part.FINDINGS, Part.NOTES, Part.COMPLAINTS}
    assert allowed_steps(IRA, state) == ()


def test_intake_loses_sight_of_a_case_once_it_is_investigated() -> None:
    assert visible_parts(IRA, CaseState(Status.INVESTIGATING)) == frozenset()
    assert allowed_steps(IRA, CaseState(Status.NEW)) == (Status.TRIAGE,)


def test_a_supervisor_sees_everything_and_decides_pending_requests() -> None:
    pending = CaseState(Status.INVESTIGATING, assignee="ivan", closure_requested_by="ivan")
    assert visible_parts(SOFIA, pending) == EVERYTHING
    assert may_decide(SOFIA, pending)
    assert not may_decide(IVAN, pending)
    assert not may_decide(SOFIA, CaseState(Status.INVESTIGATING, assignee="ivan"))
    assert allowed_steps(SOFIA, CaseState(Status.RESOLVED, assignee="ivan")) == (
        Status.INVESTIGATING,
    )


def test_analysts_and_administrators_see_no_case() -> None:
    state = CaseState(Status.TRIAGE)
    for role in (Role.ANALYST, Role.ADMIN):
        assert visible_parts(Actor("x", role), state) == frozenset()
        assert allowed_steps(Actor("x", role), state) == ()
