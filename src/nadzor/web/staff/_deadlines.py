"""Deadline badges (overdue, near) for the cases and complaints shown in lists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone

from nadzor.cases.domain import DeadlinePolicy, Status, deadline_state
from nadzor.cases.services import current_policy
from nadzor.store.models import Case, Complaint

__all__ = ["mark_cases", "mark_complaints", "policy_and_today"]


def policy_and_today() -> tuple[DeadlinePolicy, dt.date]:
    return current_policy(), timezone.now().date()


def mark_cases(rows: Iterable[Case]) -> list[Case]:
    """The cases, each with `deadline`: `overdue`, `near`, `ok` or `closed`."""
    policy, today = policy_and_today()
    marked = []
    for case in rows:
        state = deadline_state(case.due_on, today, Status(case.status), policy)
        case.deadline = state.value  # type: ignore[attr-defined]
        marked.append(case)
    return marked


def mark_complaints(rows: Iterable[Complaint]) -> list[Complaint]:
    """The complaints, each with `deadline` as for cases; a closed complaint is `closed`, a
    linked one follows its case."""
    policy, today = policy_and_today()
    marked = []
    for complaint in rows:
        if complaint.case_id is not None and complaint.case is not None:
            status, due = Status(complaint.case.status), complaint.case.due_on
        else:
            closed = complaint.status == "closed"
            status = Status.CLOSED_UNFOUNDED if closed else Status.NEW
            due = complaint.due_on
        complaint.deadline = deadline_state(due, today, status, policy).value  # type: ignore[attr-defined]
        marked.append(complaint)
    return marked
