"""Complaints for staff: the triage inbox and one complaint, without the complainant's
identity (that is shown apart, to the roles that need it, and every view is audited).

These operations share the path `/complaints` with the public desk, so they are added to
its router with staff authentication of their own.
"""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import Path, Query
from pydantic import Field

from nadzor.complaints.domain import ComplaintStatus, public_status
from nadzor.complaints.services import complaint_detail, list_complaints, possible_duplicates
from nadzor.store.models import Complaint
from nadzor.web.api._auth import STAFF_AUTH, actor
from nadzor.web.api._public import router
from nadzor.web.api._schemas import (
    AttachmentOut,
    ComplaintDetailOut,
    ComplaintListOut,
    ComplaintSummaryOut,
    DuplicateOut,
    ErrorOut,
    PageQuery,
    StaffMessageOut,
)

__all__ = ["router"]

_TAGS = ["complaints"]
# complaint numbers are database keys: positive, within every database's integer range
ComplaintId = Annotated[int, Path(ge=1, le=2**31 - 1, examples=[1])]


class ComplaintQuery(PageQuery):
    status: ComplaintStatus | None = Field(None, description="Only complaints in this status.")


@router.get(
    "",
    operation_id="listComplaints",
    auth=STAFF_AUTH,
    tags=_TAGS,
    response={200: ComplaintListOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="The triage inbox",
    description="Complaints, oldest first; `status=new` for those nobody has looked at yet.",
)
def inbox(request: HttpRequest, filters: Query[ComplaintQuery]) -> ComplaintListOut:
    rows = list_complaints(actor(request), filters.status.value if filters.status else None)
    page = rows[filters.offset : filters.offset + filters.limit]
    return ComplaintListOut(
        count=rows.count(),
        limit=filters.limit,
        offset=filters.offset,
        items=[ComplaintSummaryOut(**_summary(c)) for c in page],
    )


@router.get(
    "/{id}",
    operation_id="getComplaint",
    auth=STAFF_AUTH,
    tags=_TAGS,
    by_alias=True,
    response={200: ComplaintDetailOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="One complaint",
    description="The complaint, its messages, attachment metadata and possible duplicates; "
    "`has_identity` says whether the complainant left a name or contact.",
)
def one(request: HttpRequest, id: ComplaintId) -> ComplaintDetailOut:
    who = actor(request)
    detail = complaint_detail(who, id)
    complaint = detail.complaint
    duplicates = possible_duplicates(who, id)
    return ComplaintDetailOut(
        **_summary(complaint),
        text=complaint.text,
        updated_at=complaint.updated_at,
        has_identity=detail.has_identity,
        messages=[
            StaffMessageOut(sender="staff" if m.sender == "staff" else "you", at=m.at, text=m.text)
            for m in detail.messages
        ],
        attachments=[
            AttachmentOut(
                sha256=a.sha256, size=a.size, media_type=a.media_type, added_at=a.added_at
            )
            for a in detail.attachments
        ],
        possible_duplicates=[
            DuplicateOut(id=d.complaint.pk, score=d.score, why=list(d.why)) for d in duplicates
        ],
    )


def _summary(complaint: Complaint) -> dict[str, object]:
    case = complaint.case
    return {
        "id": complaint.pk,
        "category": complaint.category,
        "reason": complaint.reason,
        "region": complaint.region,
        "facility": complaint.facility,
        "occurred_on": complaint.occurred_on,
        "status": complaint.status,
        "public_status": public_status(complaint.status, case.status if case else None),
        "created_at": complaint.created_at,
        "due_on": complaint.due_on,
        "case": case.reference if case is not None else None,
    }
