"""Deadlines: when a case is due, its one extension, and how urgent it is today.

A complaint (or a staff entry) must be answered within `answer_days` of registration; a
case from screening findings is due `findings_days` after it was created. A deadline may
be extended once, by 1 to `extension_max_days` days, with a written reason. Days are
calendar days, so month ends and leap days need no special rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from nadzor.cases.domain._errors import InvalidDeadline
from nadzor.cases.domain._model import Status

__all__ = [
    "DeadlinePolicy",
    "DeadlineState",
    "deadline_state",
    "extend_due",
    "initial_due",
    "urgency_key",
]


@dataclass(frozen=True)
class DeadlinePolicy:
    """A deployment's deadlines in calendar days (the spec's defaults)."""

    answer_days: int = 30
    extension_max_days: int = 30
    findings_days: int = 30
    near_days: int = 7

    def __post_init__(self) -> None:
        for name, least in (
            ("answer_days", 1),
            ("extension_max_days", 0),
            ("findings_days", 1),
            ("near_days", 0),
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < least:
                raise ValueError(f"{name} must be a whole number of days, at least {least}")


class DeadlineState(StrEnum):
    OVERDUE = "overdue"
    NEAR = "near"
    OK = "ok"
    CLOSED = "closed"


def initial_due(registered_on: dt.date, policy: DeadlinePolicy, *, from_findings: bool) -> dt.date:
    """The first deadline of a case registered (or created from findings) on that day."""
    days = policy.findings_days if from_findings else policy.answer_days
    return registered_on + dt.timedelta(days=days)


def extend_due(
    current_due: dt.date,
    days: int,
    reason: str,
    *,
    already_extended: bool,
    policy: DeadlinePolicy,
) -> dt.date:
    """The deadline moved `days` later; raises `InvalidDeadline` when the policy forbids it."""
    if already_extended:
        raise InvalidDeadline("a deadline can be extended only once")
    if policy.extension_max_days == 0:
        raise InvalidDeadline("deadlines cannot be extended here")
    if isinstance(days, bool) or not 1 <= days <= policy.extension_max_days:
        raise InvalidDeadline(
            f"a deadline can be extended by 1 to {policy.extension_max_days} days"
        )
    if not reason.strip():
        raise InvalidDeadline("extending a deadline needs a written reason")
    return current_due + dt.timedelta(days=days)


def deadline_state(
    due: dt.date, today: dt.date, status: Status, policy: DeadlinePolicy
) -> DeadlineState:
    """CLOSED for a resolved or closed case (never overdue); else OVERDUE once `due` has
    passed, NEAR when it is at most `near_days` away (the due day itself included), OK."""
    if not status.is_open:
        return DeadlineState.CLOSED
    if due < today:
        return DeadlineState.OVERDUE
    if (due - today).days <= policy.near_days:
        return DeadlineState.NEAR
    return DeadlineState.OK


def urgency_key(due: dt.date, today: dt.date, status: Status) -> tuple[int, dt.date]:
    """A sort key: open overdue cases first, then the other open ones, then closed ones;
    by due date within each group.

    Near cases need no group of their own: among open cases that are not overdue, the
    earliest due dates, which are the near ones, come first.
    """
    if not status.is_open:
        return (2, due)
    if due < today:
        return (0, due)
    return (1, due)
