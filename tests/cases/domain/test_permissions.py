"""Who may do what: every operation x every role x the object's facts, against the spec's table.

Each row gives, per role (intake, investigator, supervisor, analyst, admin), five answers
(Y may, N may not) for these scopes, in order:

    -  no scope (a list, or an operation with no object)
    o  the actor's own case: assigned to them, investigating
    e  someone else's case: assigned to another user, investigating
    u  an unassigned case in triage
    i  an unassigned case, investigating
"""

from __future__ import annotations

import pytest

from nadzor.cases.domain import (
    Actor,
    CaseFilter,
    Denied,
    Operation,
    Role,
    Scope,
    Status,
    may,
    require,
    visible_to,
)

ROLES = (Role.INTAKE, Role.INVESTIGATOR, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN)
ME = "maria"
SCOPES: tuple[Scope | None, ...] = (
    None,
    Scope(assignee=ME, status=Status.INVESTIGATING),
    Scope(assignee="someone.else", status=Status.INVESTIGATING),
    Scope(assignee=None, status=Status.TRIAGE),
    Scope(assignee=None, status=Status.INVESTIGATING),
)
SCOPE_IDS = ("none", "own", "others", "unassigned-triage", "unassigned-investigating")

Op = Operation
# fmt: off
MATRIX: dict[Operation, str] = {
    #                          intake investigator supervisor analyst admin
    #                          -oeui  -oeui        -oeui      -oeui   -oeui
    Op.CASE_VIEW:              "YNNYN  YYNYN        YYYYY      NNNNN   NNNNN",
    Op.CASE_CREATE:            "YYYYY  YYYYY        YYYYY      NNNNN   NNNNN",
    Op.CASE_UPDATE:            "NNNNN  NYNNN        YYYYY      NNNNN   NNNNN",
    Op.CASE_ASSIGN:            "NNNNN  NNNNN        YYYYY      NNNNN   NNNNN",
    Op.CASE_EXTEND_DEADLINE:   "NNNNN  NYNNN        YYYYY      NNNNN   NNNNN",
    Op.CASE_NOTE:              "NNNYN  NYNNN        YYYYY      NNNNN   NNNNN",
    Op.FINDINGS_IMPORT:        "NNNNN  YYYYY        YYYYY      NNNNN   NNNNN",
    Op.CASES_EXPORT:           "NNNNN  NNNNN        YYYYY      YYYYY   NNNNN",
    Op.REPORTS_VIEW:           "NNNNN  NNNNN        YYYYY      YYYYY   NNNNN",
    Op.REPORTS_PUBLISH:        "NNNNN  NNNNN        YYYYY      NNNNN   NNNNN",
    Op.IDENTITY_VIEW:          "NNNNN  NYNNN        YYYYY      NNNNN   NNNNN",
    Op.EVIDENCE_ADD:           "NNNYN  NYNNN        YYYYY      NNNNN   NNNNN",
    Op.EVIDENCE_VIEW:          "NNNNN  NYNNN        YYYYY      NNNNN   NNNNN",
    Op.EVIDENCE_DELETE:        "NNNNN  NNNNN        YYYYY      NNNNN   NNNNN",
    Op.LEGAL_HOLD:             "NNNNN  NNNNN        YYYYY      NNNNN   NNNNN",
    Op.COMPLAINT_VIEW:         "YYYYY  YYYYY        YYYYY      NNNNN   NNNNN",
    Op.COMPLAINT_TRIAGE:       "YYYYY  YYYYY        YYYYY      NNNNN   NNNNN",
    Op.COMPLAINT_REPLY:        "YYYYY  NYNNN        YYYYY      NNNNN   NNNNN",
    Op.COMPLAINT_CREATE:       "YYYYY  YYYYY        YYYYY      NNNNN   NNNNN",
    Op.USERS_MANAGE:           "NNNNN  NNNNN        NNNNN      NNNNN   YYYYY",
    Op.SETTINGS_CHANGE:        "NNNNN  NNNNN        NNNNN      NNNNN   YYYYY",
    Op.AUDIT_VERIFY:           "NNNNN  NNNNN        YYYYY      NNNNN   YYYYY",
    Op.AUDIT_VIEW:             "NNNNN  NYNNN        YYYYY      NNNNN   NNNNN",
    Op.CASE_APPROVE:           "NNNNN  NNNNN        YYYYY      NNNNN   NNNNN",
    # none of these scopes has the identity cleared by a supervisor (see below)
    Op.COMPLAINT_IDENTITY:     "NNNNN  NNNNN        YYYYY      NNNNN   NNNNN",
    Op.IDENTITY_REQUEST:       "NNNNN  NYNNN        NNNNN      NNNNN   NNNNN",
    Op.IDENTITY_DECIDE:        "NNNNN  NNNNN        YYYYY      NNNNN   NNNNN",
}
# fmt: on

CASES = [
    (op, role, scope_id, scope, answer == "Y")
    for op, row in MATRIX.items()
    for role, group in zip(ROLES, row.split(), strict=True)
    for scope_id, scope, answer in zip(SCOPE_IDS, SCOPES, group, strict=True)
]


def test_the_matrix_covers_every_operation() -> None:
    assert set(MATRIX) == set(Operation)
    assert len(CASES) == len(Operation) * 5 * 5


def test_operation_names_are_dotted_lowercase() -> None:
    assert Operation.CASE_VIEW.value == "case.view"
    assert Operation.CASE_EXTEND_DEADLINE.value == "case.extend_deadline"
    for op in Operation:
        head, _, tail = op.value.partition(".")
        assert head and tail and op.value == op.value.lower()
        assert op.name.lower() == f"{head}_{tail}"


@pytest.mark.parametrize(
    ("op", "role", "scope_id", "scope", "allowed"),
    CASES,
    ids=[f"{op}-{role}-{sid}" for op, role, sid, _, _ in CASES],
)
def test_may(op: Operation, role: Role, scope_id: str, scope: Scope | None, allowed: bool) -> None:
    actor = Actor(ME, role)
    assert may(actor, op, scope) is allowed
    if allowed:
        require(actor, op, scope)
    else:
        with pytest.raises(Denied) as err:
            require(actor, op, scope)
        message = str(err.value)
        assert "someone.else" not in message and "investigating" not in message
        assert message == message.strip() and "\n" not in message


@pytest.mark.parametrize("status", list(Status))
def test_intake_works_any_case_in_new_or_triage_whoever_has_it(status: Status) -> None:
    intake = Actor(ME, Role.INTAKE)
    early = status in (Status.NEW, Status.TRIAGE)
    for op in (Op.CASE_VIEW, Op.CASE_NOTE, Op.EVIDENCE_ADD):
        for assignee in (None, "someone.else"):
            assert may(intake, op, Scope(assignee=assignee, status=status)) is early


@pytest.mark.parametrize("status", list(Status))
def test_investigator_sees_unassigned_cases_only_in_new_or_triage(status: Status) -> None:
    investigator = Actor(ME, Role.INVESTIGATOR)
    early = status in (Status.NEW, Status.TRIAGE)
    assert may(investigator, Op.CASE_VIEW, Scope(status=status)) is early
    assert may(investigator, Op.CASE_VIEW, Scope(assignee=ME, status=status))
    assert not may(investigator, Op.CASE_VIEW, Scope(assignee="someone.else", status=status))
    # seeing an unassigned case is not working on it
    assert not may(investigator, Op.CASE_UPDATE, Scope(status=status))


def test_a_scope_with_unknown_status_is_not_early() -> None:
    assert not may(Actor(ME, Role.INTAKE), Op.CASE_NOTE, Scope(assignee=None, status=None))
    assert not may(Actor(ME, Role.INVESTIGATOR), Op.CASE_VIEW, Scope(assignee=None, status=None))


def test_denials_state_the_rule() -> None:
    with pytest.raises(Denied) as err:
        require(Actor(ME, Role.ANALYST), Op.CASE_VIEW)
    assert str(err.value) == "an analyst may not view cases"
    with pytest.raises(Denied) as scoped:
        require(Actor(ME, Role.INVESTIGATOR), Op.IDENTITY_VIEW, SCOPES[2])
    assert str(scoped.value) == (
        "an investigator may view personal data only when the case is assigned to them"
    )


# visible_to: the list filter


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.SUPERVISOR, CaseFilter(all=True)),
        (
            Role.INVESTIGATOR,
            CaseFilter(assignee=ME, unassigned_statuses=frozenset({Status.NEW, Status.TRIAGE})),
        ),
        (Role.INTAKE, CaseFilter(statuses=frozenset({Status.NEW, Status.TRIAGE}))),
        (Role.ANALYST, CaseFilter(none=True)),
        (Role.ADMIN, CaseFilter(none=True)),
    ],
)
def test_visible_to(role: Role, expected: CaseFilter) -> None:
    assert visible_to(Actor(ME, role)) == expected


@pytest.mark.parametrize("role", ROLES)
def test_the_list_holds_exactly_the_cases_one_may_view(role: Role) -> None:
    actor = Actor(ME, role)
    rule = visible_to(actor)
    for status in Status:
        for assignee in (None, ME, "someone.else"):
            scope = Scope(assignee=assignee, status=status)
            assert rule.matches(assignee, status) is may(actor, Op.CASE_VIEW, scope)


def test_an_empty_filter_matches_nothing() -> None:
    assert not CaseFilter().matches(None, Status.NEW)
    assert not CaseFilter(all=True, none=True).matches(None, Status.NEW)


def test_a_cleared_identity_opens_only_to_the_investigator_of_the_case() -> None:
    cleared = Scope(assignee=ME, status=Status.INVESTIGATING, identity_cleared=True)
    others = Scope(assignee="someone.else", status=Status.INVESTIGATING, identity_cleared=True)
    investigator = Actor(ME, Role.INVESTIGATOR)
    assert may(investigator, Operation.COMPLAINT_IDENTITY, cleared)
    assert not may(investigator, Operation.COMPLAINT_IDENTITY, others)
    for role in (Role.INTAKE, Role.ANALYST, Role.ADMIN):
        assert not may(Actor(ME, role), Operation.COMPLAINT_IDENTITY, cleared)
    with pytest.raises(Denied, match="only when the case is assigned to them and a supervisor"):
        require(investigator, Operation.COMPLAINT_IDENTITY, Scope(ME, Status.INVESTIGATING))
