"""The public side of the desk: submit a complaint, see its status, write again.

Nothing here records who is asking: no address, no user agent, no account. The receipt
code is returned once by `submit` and kept nowhere in clear (see `_receipts`). The audit
log records that a complaint or a message arrived, never its text or the identity given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from django.db import transaction
from django.utils import timezone

from nadzor.audit.journal import append
from nadzor.cases._errors import BadInput, NotFound
from nadzor.cases._policy import current_policy
from nadzor.cases.domain import initial_due
from nadzor.complaints._common import subject
from nadzor.complaints._files import Upload, attachment_limits, checked_uploads, store_files
from nadzor.complaints._receipts import find, hash_code, lookup_digest
from nadzor.complaints.domain import (
    FieldError,
    InputErrors,
    echo,
    facility_key,
    format_code,
    new_receipt_code,
    public_status,
    validate,
    validate_message,
)
from nadzor.store.models import Complaint, ComplaintIdentity, ComplaintMessage

__all__ = [
    "LANGUAGES",
    "PUBLIC_ACTOR",
    "PublicMessage",
    "PublicStatus",
    "Submitted",
    "add_public_message",
    "status_of",
    "submit",
]

PUBLIC_ACTOR = "public"
LANGUAGES = ("ru", "en")
# The latest calendar date anywhere (UTC+14): a date that is today for the person writing,
# wherever they are, is never refused as being in the future.
_AHEAD = dt.timedelta(hours=14)


@dataclass(frozen=True)
class Submitted:
    """The receipt: `code` (16 digits) is shown once and kept nowhere; it is left out of
    this object's repr so that it cannot end up in a log by accident."""

    code: str = field(repr=False)
    complaint_id: int

    @property
    def formatted(self) -> str:
        """The code in groups of four: `1234 5678 9012 3456`."""
        return format_code(self.code)


class PublicMessage(NamedTuple):
    sender: Literal["staff", "you"]  # the API's `from`
    at: dt.datetime
    text: str


@dataclass(frozen=True)
class PublicStatus:
    """What the status page shows: staff messages never name their author."""

    status: str
    updated_at: dt.datetime
    messages: tuple[PublicMessage, ...]


def submit(
    raw: Mapping[str, object], files: Sequence[Upload] = (), *, language: str = "ru"
) -> Submitted:
    """Check everything (fields and files, all errors at once in `InputErrors`), then store
    the complaint, its identity apart (only when given) and its files, in one transaction."""
    if language not in LANGUAGES:
        raise BadInput(f"language must be one of {', '.join(LANGUAGES)}")
    now = timezone.now()
    errors: list[FieldError] = []
    checked = None
    try:
        checked = validate(raw, today=(now + _AHEAD).date())
    except InputErrors as exc:
        errors.extend(exc.errors)
    with checked_uploads(files, attachment_limits()) as (accepted, file_errors):
        errors.extend(file_errors)
        if errors or checked is None:
            raise InputErrors(errors, echo(raw))
        code, digest = _new_code()
        code_hash = hash_code(code)
        with transaction.atomic():
            complaint = Complaint.objects.create(
                category=checked.category.value,
                reason=checked.reason,
                region=checked.region,
                facility=checked.facility,
                facility_key=facility_key(checked.facility)[:200],
                text=checked.text,
                occurred_on=checked.occurred_on,
                status="new",
                created_at=now,
                updated_at=now,
                due_on=initial_due(now.date(), current_policy(), from_findings=False),
                lookup_digest=digest,
                code_hash=code_hash,
                language=language,
            )
            if checked.contact is not None:
                contact = checked.contact
                ComplaintIdentity.objects.create(
                    complaint=complaint,
                    name=contact.name,
                    phone=contact.phone,
                    email=contact.email,
                    other=contact.other,
                )
            stored = store_files(complaint, accepted)
            data = {
                "id": complaint.pk,
                "category": complaint.category,
                "reason": complaint.reason,
                "region": complaint.region,
                "has_identity": checked.contact is not None,
                "attachments": len(stored),
            }
            append(PUBLIC_ACTOR, "complaint.create", subject(complaint), data)
    return Submitted(code=code, complaint_id=complaint.pk)


def status_of(code: str) -> PublicStatus | None:
    """The complaint's public status, or None for a wrong or unknown code (same time)."""
    complaint = find(code)
    if complaint is None:
        return None
    case = complaint.case
    updated = complaint.updated_at
    if case is not None and case.updated_at > updated:
        updated = case.updated_at
    messages = tuple(
        PublicMessage("staff" if m.sender == "staff" else "you", m.at, m.text)
        for m in complaint.messages.order_by("at", "pk")
    )
    state = public_status(complaint.status, case.status if case is not None else None)
    return PublicStatus(status=state.value, updated_at=updated, messages=messages)


def add_public_message(code: str, text: object, files: Sequence[Upload] = ()) -> None:
    """The complainant writes again or adds files (text may be empty when files come).

    NotFound (the same for a wrong or an unknown code) before any file is read; then
    `InputErrors` for the text and the files, all at once.
    """
    complaint = find(code)
    if complaint is None:
        raise NotFound("no complaint has this receipt code")
    errors: list[FieldError] = []
    cleaned = ""
    try:
        cleaned = validate_message(text, required=not files)
    except InputErrors as exc:
        errors.extend(exc.errors)
    already = complaint.attachments.count()
    with checked_uploads(files, attachment_limits(), already=already) as (accepted, file_errors):
        errors.extend(file_errors)
        if errors:
            raise InputErrors(errors, {"text": text} if isinstance(text, str) else {})
        with transaction.atomic():
            locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
            now = timezone.now()
            message = ComplaintMessage.objects.create(
                complaint=locked, sender="you", author=None, at=now, text=cleaned
            )
            stored = store_files(locked, accepted, message)
            locked.updated_at = now
            locked.save(update_fields=["updated_at"])
            data = {"message": message.pk, "from": "you", "attachments": len(stored)}
            append(PUBLIC_ACTOR, "complaint.message", subject(locked), data)


def _new_code() -> tuple[str, str]:
    """A fresh code and its lookup digest (a code already in use, however unlikely, is
    drawn again; the unique digest column refuses it anyway)."""
    while True:
        code = new_receipt_code()
        digest = lookup_digest(code)
        if not Complaint.objects.filter(lookup_digest=digest).exists():
            return code, digest
