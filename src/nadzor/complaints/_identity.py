"""Reading a complainant's identity, asking a supervisor for it, the decision, and the
audit entries for every staff read of a complaint's text.

The rules are the domain's (`complaint.identity` in the permission table and
`nadzor.complaints.domain.IdentityAccess`); these services load, store and audit. Every
entry names the complaint and the fields read, never their values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from nadzor.audit.journal import Draft, append, append_many
from nadzor.cases._access import staff_user
from nadzor.cases.domain import Actor, Operation, Role, require
from nadzor.complaints._common import complaint_for, identity_access, scope_of_complaint, subject
from nadzor.complaints.domain import Contact, decide_identity, request_identity
from nadzor.store.models import Complaint, ComplaintIdentity

__all__ = [
    "TEXT_FIELDS",
    "decide_identity_request",
    "identity_requests",
    "record_text_reads",
    "request_complaint_identity",
    "view_complaint_identity",
]

# what a staff read of a whole complaint shows: its text and the messages exchanged
TEXT_FIELDS = ("text", "messages")


def view_complaint_identity(actor: Actor, number: object) -> ComplaintIdentity | None:
    """The complainant's identity (None when they gave none); audited every time."""
    with transaction.atomic():
        complaint = complaint_for(actor, number, Operation.COMPLAINT_IDENTITY)
        identity = ComplaintIdentity.objects.filter(complaint=complaint).first()
        given = (
            Contact(identity.name, identity.phone, identity.email, identity.other).fields_given()
            if identity is not None
            else []
        )
        append(
            actor.name,
            "identity.view",
            subject(complaint),
            {"complaint": complaint.pk, "fields": given},
        )
    return identity


def record_text_reads(
    actor: Actor, complaints: Iterable[Complaint], fields: Sequence[str] = ("text",)
) -> None:
    """One `complaint.view` entry per complaint whose `fields` a staff member is shown."""
    drafts = [
        Draft(
            actor.name,
            "complaint.view",
            subject(complaint),
            {"complaint": complaint.pk, "fields": list(fields)},
        )
        for complaint in complaints
    ]
    with transaction.atomic():
        append_many(drafts)


def request_complaint_identity(actor: Actor, number: object, reason: str) -> Complaint:
    """The assigned investigator asks a supervisor to let them read the identity."""
    with transaction.atomic():
        complaint = complaint_for(actor, number, Operation.IDENTITY_REQUEST, lock=True)
        after = request_identity(
            actor, identity_access(complaint), scope_of_complaint(complaint), reason
        )
        complaint.identity_requested_by = staff_user(after.requested_by, roles=(Role.INVESTIGATOR,))
        complaint.identity_request_reason = reason.strip()
        complaint.updated_at = timezone.now()
        complaint.save(
            update_fields=["identity_requested_by", "identity_request_reason", "updated_at"]
        )
        append(
            actor.name,
            "identity.request",
            subject(complaint),
            {"complaint": complaint.pk, "reason": reason.strip()},
        )
    return complaint


def decide_identity_request(
    actor: Actor, number: object, *, approve: bool, reason: str
) -> Complaint:
    """A supervisor approves or rejects the pending request to read the identity."""
    with transaction.atomic():
        complaint = complaint_for(actor, number, Operation.IDENTITY_DECIDE, lock=True)
        before = identity_access(complaint)
        after = decide_identity(
            actor, before, scope_of_complaint(complaint), approve=approve, reason=reason
        )
        if after.granted_to != before.granted_to:
            complaint.identity_granted_to = staff_user(after.granted_to, roles=(Role.INVESTIGATOR,))
        complaint.identity_requested_by = None
        complaint.identity_request_reason = ""
        complaint.updated_at = timezone.now()
        complaint.save(
            update_fields=[
                "identity_granted_to",
                "identity_requested_by",
                "identity_request_reason",
                "updated_at",
            ]
        )
        append(
            actor.name,
            "identity.decision",
            subject(complaint),
            {
                "complaint": complaint.pk,
                "decision": "approve" if approve else "reject",
                "for": before.requested_by,
                "reason": reason.strip(),
            },
        )
    return complaint


def identity_requests(actor: Actor) -> QuerySet[Complaint]:
    """The requests to read an identity that await a supervisor, oldest first."""
    require(actor, Operation.IDENTITY_DECIDE)
    return (
        Complaint.objects.select_related("case", "identity_requested_by")
        .filter(identity_requested_by__isnull=False)
        .order_by("updated_at", "pk")
    )
