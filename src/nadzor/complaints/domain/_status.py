"""What the complainant sees: a small public vocabulary of where the complaint stands.

Internal steps stay internal: a complaint that is new is `received`; once staff have looked
at it, or while its case is being triaged, it is `in_review`; after that it follows its
case (`investigating`, `remedy_requested`, `resolved`); a closed complaint, or a case
closed as unfounded, is `closed`.
"""

from __future__ import annotations

from enum import StrEnum

from nadzor.cases.domain import Status
from nadzor.complaints.domain._model import ComplaintStatus

__all__ = ["PublicState", "public_status"]


class PublicState(StrEnum):
    RECEIVED = "received"
    IN_REVIEW = "in_review"
    INVESTIGATING = "investigating"
    REMEDY_REQUESTED = "remedy_requested"
    RESOLVED = "resolved"
    CLOSED = "closed"


_BY_CASE = {
    Status.NEW: PublicState.IN_REVIEW,
    Status.TRIAGE: PublicState.IN_REVIEW,
    Status.INVESTIGATING: PublicState.INVESTIGATING,
    Status.REMEDY_REQUESTED: PublicState.REMEDY_REQUESTED,
    Status.RESOLVED: PublicState.RESOLVED,
    Status.CLOSED_UNFOUNDED: PublicState.CLOSED,
}


def public_status(
    complaint_status: ComplaintStatus | str, case_status: Status | str | None
) -> PublicState:
    """The public status of a complaint in `complaint_status` whose case (if linked) is in
    `case_status`; ValueError for a status that does not exist."""
    complaint = ComplaintStatus(complaint_status)
    if complaint is ComplaintStatus.NEW:
        return PublicState.RECEIVED
    if complaint is ComplaintStatus.CLOSED:
        return PublicState.CLOSED
    if complaint is ComplaintStatus.LINKED and case_status is not None:
        return _BY_CASE[Status(case_status)]
    return PublicState.IN_REVIEW
