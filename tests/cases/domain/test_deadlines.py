"""Deadlines: the first one, the one extension, and how urgent a case is today."""

from __future__ import annotations

import datetime as dt

import pytest

from nadzor.cases.domain import (
    DeadlinePolicy,
    DeadlineState,
    DomainError,
    InvalidDeadline,
    InvalidTransition,
    Status,
    deadline_state,
    extend_due,
    initial_due,
    urgency_key,
)

D = dt.date
DEFAULT = DeadlinePolicy()


def test_the_spec_defaults() -> None:
    spec = DeadlinePolicy(answer_days=30, extension_max_days=30, findings_days=30, near_days=7)
    assert spec == DEFAULT


@pytest.mark.parametrize(
    ("registered", "due"),
    [
        (D(2026, 1, 1), D(2026, 1, 31)),
        (D(2026, 1, 31), D(2026, 3, 2)),  # February has 28 days in 2026
        (D(2028, 1, 31), D(2028, 3, 1)),  # ... and 29 in 2028
        (D(2028, 2, 29), D(2028, 3, 30)),  # registered on a leap day
        (D(2028, 1, 30), D(2028, 2, 29)),  # due on a leap day
        (D(2026, 4, 30), D(2026, 5, 30)),
        (D(2026, 12, 15), D(2027, 1, 14)),  # across the year end
    ],
)
def test_initial_due_is_thirty_calendar_days_later(registered: dt.date, due: dt.date) -> None:
    assert initial_due(registered, DEFAULT, from_findings=False) == due
    assert initial_due(registered, DEFAULT, from_findings=True) == due


def test_complaints_and_findings_follow_their_own_setting() -> None:
    policy = DeadlinePolicy(answer_days=15, findings_days=45)
    assert initial_due(D(2026, 3, 1), policy, from_findings=False) == D(2026, 3, 16)
    assert initial_due(D(2026, 3, 1), policy, from_findings=True) == D(2026, 4, 15)


@pytest.mark.parametrize(
    ("due", "days", "extended"),
    [
        (D(2026, 1, 31), 30, D(2026, 3, 2)),
        (D(2028, 1, 31), 29, D(2028, 2, 29)),
        (D(2028, 2, 29), 1, D(2028, 3, 1)),
        (D(2026, 12, 31), 1, D(2027, 1, 1)),
    ],
)
def test_extension(due: dt.date, days: int, extended: dt.date) -> None:
    assert (
        extend_due(due, days, "awaiting the medical board", already_extended=False, policy=DEFAULT)
        == extended
    )


def test_a_deadline_is_extended_once_only() -> None:
    with pytest.raises(InvalidDeadline) as err:
        extend_due(D(2026, 3, 1), 5, "reason", already_extended=True, policy=DEFAULT)
    assert str(err.value) == "a deadline can be extended only once"


@pytest.mark.parametrize("days", [0, -1, 31, 365, True])
def test_extension_limits(days: int) -> None:
    with pytest.raises(InvalidDeadline) as err:
        extend_due(D(2026, 3, 1), days, "reason", already_extended=False, policy=DEFAULT)
    assert str(err.value) == "a deadline can be extended by 1 to 30 days"


def test_extension_limit_follows_the_policy() -> None:
    policy = DeadlinePolicy(extension_max_days=10)
    assert extend_due(D(2026, 3, 1), 10, "r", already_extended=False, policy=policy) == D(
        2026, 3, 11
    )
    with pytest.raises(InvalidDeadline, match="by 1 to 10 days"):
        extend_due(D(2026, 3, 1), 11, "r", already_extended=False, policy=policy)
    with pytest.raises(InvalidDeadline, match="cannot be extended"):
        extend_due(
            D(2026, 3, 1),
            1,
            "r",
            already_extended=False,
            policy=DeadlinePolicy(extension_max_days=0),
        )


@pytest.mark.parametrize("reason", ["", "  ", "\n"])
def test_an_extension_needs_a_written_reason(reason: str) -> None:
    with pytest.raises(InvalidDeadline, match="written reason"):
        extend_due(D(2026, 3, 1), 5, reason, already_extended=False, policy=DEFAULT)


def test_a_deadline_error_is_a_domain_error() -> None:
    assert issubclass(InvalidDeadline, InvalidTransition)
    assert issubclass(InvalidDeadline, DomainError)


@pytest.mark.parametrize(
    "fields",
    [{"answer_days": 0}, {"findings_days": -1}, {"near_days": -1}, {"extension_max_days": -5}],
)
def test_a_policy_with_impossible_days_is_refused(fields: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="whole number of days"):
        DeadlinePolicy(**fields)


TODAY = D(2026, 2, 27)


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (D(2026, 1, 31), DeadlineState.OVERDUE),
        (D(2026, 2, 26), DeadlineState.OVERDUE),  # yesterday
        (D(2026, 2, 27), DeadlineState.NEAR),  # today: not yet overdue
        (D(2026, 3, 6), DeadlineState.NEAR),  # 7 days away
        (D(2026, 3, 7), DeadlineState.OK),  # 8 days away
        (D(2026, 12, 31), DeadlineState.OK),
    ],
)
def test_deadline_state_of_an_open_case(due: dt.date, expected: DeadlineState) -> None:
    for status in (Status.NEW, Status.TRIAGE, Status.INVESTIGATING, Status.REMEDY_REQUESTED):
        assert deadline_state(due, TODAY, status, DEFAULT) is expected


@pytest.mark.parametrize("status", [Status.RESOLVED, Status.CLOSED_UNFOUNDED])
def test_a_closed_case_is_never_overdue(status: Status) -> None:
    for due in (D(2020, 1, 1), TODAY, D(2030, 1, 1)):
        assert deadline_state(due, TODAY, status, DEFAULT) is DeadlineState.CLOSED


def test_near_follows_the_policy() -> None:
    policy = DeadlinePolicy(near_days=0)
    assert deadline_state(TODAY, TODAY, Status.NEW, policy) is DeadlineState.NEAR
    assert deadline_state(D(2026, 2, 28), TODAY, Status.NEW, policy) is DeadlineState.OK


def test_urgency_order() -> None:
    cases = {
        "closed long overdue": (D(2026, 1, 1), Status.RESOLVED),
        "far": (D(2026, 6, 1), Status.TRIAGE),
        "near": (D(2026, 3, 2), Status.INVESTIGATING),
        "closed soon": (D(2026, 3, 1), Status.CLOSED_UNFOUNDED),
        "overdue": (D(2026, 2, 20), Status.NEW),
        "very overdue": (D(2025, 12, 31), Status.REMEDY_REQUESTED),
        "due today": (TODAY, Status.TRIAGE),
        "nearer": (D(2026, 2, 28), Status.NEW),
    }
    order = sorted(cases, key=lambda name: urgency_key(*cases[name][:1], TODAY, cases[name][1]))
    assert order == [
        "very overdue",
        "overdue",
        "due today",
        "nearer",
        "near",
        "far",
        "closed long overdue",
        "closed soon",
    ]
