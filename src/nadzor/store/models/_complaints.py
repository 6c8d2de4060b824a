"""Complaints from the public desk, with the complainant's identity kept in a table apart.

The receipt code is never stored: `lookup_digest` (HMAC-SHA256 of the code with the server
secret) finds the complaint and `code_hash` (Argon2) confirms the code. No table here
records an IP address or a user agent.
"""

from __future__ import annotations

from django.db import models

from nadzor.complaints.domain import Category, ComplaintStatus
from nadzor.store.models._cases import Case
from nadzor.store.models._users import User

CATEGORY_CHOICES = [(c.value, c.value.replace("_", " ")) for c in Category]
COMPLAINT_STATUS_CHOICES = [(s.value, s.value) for s in ComplaintStatus]
SENDER_CHOICES = [("staff", "staff"), ("you", "you")]


class Complaint(models.Model):
    category = models.CharField(max_length=20, choices=CATEGORY_CHOICES)
    # the call-up reason or the missing item; empty for the other categories
    reason = models.CharField(max_length=20, blank=True)
    region = models.CharField(max_length=200, blank=True)
    facility = models.CharField(max_length=200, blank=True)
    # the facility as duplicate detection compares it (`В/Ч 12345` -> `вч12345`)
    facility_key = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    occurred_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=COMPLAINT_STATUS_CHOICES, default="new")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    due_on = models.DateField()
    deadline_extended = models.BooleanField(default=False)
    extension_reason = models.TextField(blank=True)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    lookup_digest = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=200)
    language = models.CharField(max_length=8, default="ru")
    # every problem reported: [{"category": ..., "reason": ...}], the first one being
    # `category` and `reason` (several when one complaint reports several problems)
    topics = models.JSONField(default=list, blank=True)
    # who may read the identity besides a supervisor (nadzor.complaints.domain.IdentityAccess):
    # a supervisor linked the complaint to its case, or approved an investigator's request
    linked_by_supervisor = models.BooleanField(default=False, db_default=False)
    identity_granted_to = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    identity_requested_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    identity_request_reason = models.TextField(blank=True, default="", db_default="")

    class Meta:
        db_table = "nadzor_complaint"
        indexes = [
            models.Index(fields=["status", "created_at"], name="complaint_status_created"),
            models.Index(fields=["created_at"], name="complaint_created"),
            models.Index(fields=["facility_key", "created_at"], name="complaint_facility"),
        ]


class ComplaintIdentity(models.Model):
    """Who wrote and how to reach them: only when given, shown only to roles that need it."""

    complaint = models.OneToOneField(Complaint, on_delete=models.CASCADE, related_name="identity")
    name = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=200, blank=True)
    other = models.CharField(max_length=200, blank=True)

    class Meta:
        db_table = "nadzor_complaint_identity"


class ComplaintMessage(models.Model):
    """A message on the status page: from staff (author kept, never shown) or the complainant."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=5, choices=SENDER_CHOICES)
    author = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()
    text = models.TextField(blank=True)
    # when staff answered after this message of the complainant (None: not yet, unread);
    # always None for staff messages
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "nadzor_complaint_message"
        indexes = [
            models.Index(fields=["complaint", "at"], name="complaint_message_at"),
            models.Index(
                fields=["complaint"],
                condition=models.Q(sender="you", read_at__isnull=True),
                name="complaint_message_unread",
            ),
        ]


class ComplaintAttachment(models.Model):
    """A file sent with the complaint (`message` None) or with a later message; the bytes
    live content-addressed in the evidence store."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        ComplaintMessage,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField()
    media_type = models.CharField(max_length=100)
    original_name = models.CharField(max_length=255, blank=True)
    added_at = models.DateTimeField()

    class Meta:
        db_table = "nadzor_complaint_attachment"


class SubmissionNonce(models.Model):
    """A complaint form that was sent: the SHA-256 of its one-time value, so that the same
    form sent again (a reload, a double click, Back) creates nothing. It names no
    complaint: nothing here links a browser to what it sent."""

    digest = models.CharField(max_length=64, unique=True)
    at = models.DateTimeField()

    class Meta:
        db_table = "nadzor_submission_nonce"
