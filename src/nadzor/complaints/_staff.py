"""The staff side of the desk: the triage inbox, a complaint, its identity, replies,
closing a complaint that needs no case, and its deadline.

A complaint must be answered within the policy's `answer_days` of registration; the
deadline can be extended once, like a case's. A complaint's text and messages hold health
and family details: every staff read of them is a `complaint.view` entry naming the
complaint and the fields shown, never their values. The identity is read apart
(`nadzor.complaints._identity`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from nadzor.audit.journal import append
from nadzor.cases._errors import BadInput
from nadzor.cases._policy import current_policy
from nadzor.cases.domain import Actor, Operation, extend_due, require
from nadzor.complaints._common import complaint_for, staff_author, subject
from nadzor.complaints._identity import TEXT_FIELDS, record_text_reads
from nadzor.complaints.domain import (
    ComplaintStatus,
    PublicState,
    public_status,
    validate_message,
)
from nadzor.store.models import (
    Complaint,
    ComplaintAttachment,
    ComplaintIdentity,
    ComplaintMessage,
)

__all__ = [
    "ComplaintDetail",
    "close_complaint",
    "complaint_detail",
    "extend_complaint_deadline",
    "list_complaints",
    "mark_read",
    "reply",
    "staff_complaint",
    "unread_messages",
]


@dataclass(frozen=True)
class ComplaintDetail:
    """A complaint as staff see it, without the identity (`view_complaint_identity`)."""

    complaint: Complaint
    messages: list[ComplaintMessage]
    attachments: list[ComplaintAttachment]
    case_reference: str | None
    has_identity: bool
    public_status: PublicState


def unread_messages() -> QuerySet[ComplaintMessage]:
    """The complainants' messages that no staff reply has answered yet."""
    return ComplaintMessage.objects.filter(sender="you", read_at__isnull=True)


def list_complaints(
    actor: Actor, status: str | None = None, *, unread_only: bool = False
) -> QuerySet[Complaint]:
    """The triage inbox: complaints (of one status, if given), oldest first, each with
    `unread`, the number of the complainant's messages not answered yet."""
    require(actor, Operation.COMPLAINT_VIEW)
    rows = Complaint.objects.select_related("case").annotate(
        unread=Count("messages", filter=Q(messages__sender="you", messages__read_at__isnull=True))
    )
    if unread_only:
        rows = rows.filter(unread__gt=0)
    if status:
        allowed = [s.value for s in ComplaintStatus]
        if status not in allowed:
            raise BadInput(f"status {status!r} is not one of {', '.join(allowed)}")
        rows = rows.filter(status=status)
    return rows.order_by("created_at", "pk")


def staff_complaint(actor: Actor, number: object) -> Complaint:
    """The complaint's row, to decide what to do with it; its text is not for showing (a read
    to show goes through `complaint_detail`, which records it)."""
    return complaint_for(actor, number)


def complaint_detail(actor: Actor, number: object) -> ComplaintDetail:
    """The complaint with its messages and files, to show; the read is a `complaint.view`
    audit entry."""
    complaint = complaint_for(actor, number)
    case = complaint.case
    record_text_reads(actor, [complaint], TEXT_FIELDS)
    return ComplaintDetail(
        complaint=complaint,
        messages=list(complaint.messages.select_related("author").order_by("at", "pk")),
        attachments=list(complaint.attachments.order_by("added_at", "pk")),
        case_reference=case.reference if case is not None else None,
        has_identity=ComplaintIdentity.objects.filter(complaint=complaint).exists(),
        public_status=public_status(complaint.status, case.status if case else None),
    )


def reply(actor: Actor, number: object, text: object) -> ComplaintMessage:
    """A message to the complainant on their status page; a new complaint becomes triaged."""
    cleaned = validate_message(text)
    with transaction.atomic():
        complaint = complaint_for(actor, number, Operation.COMPLAINT_REPLY, lock=True)
        now = timezone.now()
        message = ComplaintMessage.objects.create(
            complaint=complaint, sender="staff", author=staff_author(actor), at=now, text=cleaned
        )
        data: dict[str, object] = {"message": message.pk, "from": "staff"}
        answered = unread_messages().filter(complaint=complaint).update(read_at=now)
        if answered:
            data["answered"] = answered
        if complaint.status == ComplaintStatus.NEW:
            complaint.status = ComplaintStatus.TRIAGED.value
            data["status"] = {"from": "new", "to": "triaged"}
        complaint.updated_at = now
        complaint.save(update_fields=["status", "updated_at"])
        append(actor.name, "complaint.message", subject(complaint), data)
    return message


def mark_read(actor: Actor, number: object) -> int:
    """Mark the complainant's messages as seen without a reply (a message that needs none);
    the number marked. Only someone who may reply may do it."""
    with transaction.atomic():
        complaint = complaint_for(actor, number, Operation.COMPLAINT_REPLY, lock=True)
        marked = unread_messages().filter(complaint=complaint).update(read_at=timezone.now())
        if marked:
            append(actor.name, "complaint.read", subject(complaint), {"messages": marked})
    return marked


def close_complaint(actor: Actor, number: object, reason: str) -> Complaint:
    """Close a complaint that needs no case (out of scope, a test, abuse of the desk)."""
    if not reason.strip():
        raise BadInput("closing a complaint needs a reason")
    with transaction.atomic():
        complaint = complaint_for(actor, number, Operation.COMPLAINT_TRIAGE, lock=True)
        if complaint.case is not None:
            raise BadInput(
                f"complaint {complaint.pk} is linked to case {complaint.case.reference}"
                " and follows it: close the case instead"
            )
        if complaint.status == ComplaintStatus.CLOSED:
            raise BadInput(f"complaint {complaint.pk} is already closed")
        before = complaint.status
        complaint.status = ComplaintStatus.CLOSED.value
        complaint.updated_at = timezone.now()
        complaint.save(update_fields=["status", "updated_at"])
        data = {"from": before, "to": complaint.status, "reason": reason.strip()}
        append(actor.name, "complaint.status", subject(complaint), data)
    return complaint


def extend_complaint_deadline(actor: Actor, number: object, days: int, reason: str) -> Complaint:
    """Move the complaint's deadline `days` later, once, with a reason (a supervisor, or the
    investigator assigned to its case)."""
    with transaction.atomic():
        complaint = complaint_for(actor, number, Operation.CASE_EXTEND_DEADLINE, lock=True)
        old = complaint.due_on
        complaint.due_on = extend_due(
            old,
            days,
            reason,
            already_extended=complaint.deadline_extended,
            policy=current_policy(),
        )
        complaint.deadline_extended = True
        complaint.extension_reason = reason.strip()
        complaint.updated_at = timezone.now()
        complaint.save(
            update_fields=["due_on", "deadline_extended", "extension_reason", "updated_at"]
        )
        data = {
            "field": "due_on",
            "from": old.isoformat(),
            "to": complaint.due_on.isoformat(),
            "reason": reason.strip(),
        }
        append(actor.name, "complaint.update", subject(complaint), data)
    return complaint
