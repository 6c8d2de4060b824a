"""The public side of the desk: submit a complaint, see its status, write again.

Nothing here records who is asking: no address, no user agent, no account. The receipt
code is returned once by `submit` and kept nowhere in clear (see `_receipts`). The audit
log records that a complaint or a message arrived, never its text or the identity given.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from django.db import IntegrityError, transaction
from django.utils import timezone

from nadzor.audit.journal import Draft, append, append_many
from nadzor.cases._errors import BadInput, NotFound
from nadzor.cases._policy import current_policy
from nadzor.cases.domain import canonical_region, initial_due
from nadzor.complaints._common import subject
from nadzor.complaints._evidence import files_to_evidence
from nadzor.complaints._files import (
    CheckedFile,
    Upload,
    attachment_limits,
    checked_uploads,
    store_files,
)
from nadzor.complaints._receipts import find, hash_code, lookup_digest
from nadzor.complaints.domain import (
    ComplaintInput,
    FieldError,
    InputErrors,
    Topic,
    echo,
    facility_key,
    format_code,
    new_receipt_code,
    public_status,
    validate,
    validate_message,
)
from nadzor.store.models import (
    Case,
    Complaint,
    ComplaintIdentity,
    ComplaintMessage,
    SubmissionNonce,
)

__all__ = [
    "LANGUAGES",
    "PUBLIC_ACTOR",
    "AlreadyReceivedError",
    "PublicMessage",
    "PublicStatus",
    "Submitted",
    "add_public_message",
    "status_of",
    "submit",
]

PUBLIC_ACTOR = "public"
LANGUAGES = ("ru", "uk", "en")
# The latest calendar date anywhere (UTC+14): a date that is today for the person writing,
# wherever they are, is never refused as being in the future.
_AHEAD = dt.timedelta(hours=14)


class AlreadyReceivedError(Exception):
    """This form was sent before (a reload, a double click, Back): nothing was created."""


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
    # the remedy once the case is resolved (`sent_home`, `kit_issued`...), else ""
    remedy: str = ""


def submit(
    raw: Mapping[str, object],
    files: Sequence[Upload] = (),
    *,
    language: str = "ru",
    nonce: str = "",
) -> Submitted:
    """Check everything (fields and files, all errors at once in `InputErrors`), then store
    the complaint, its identity apart (only when given) and its files, in one transaction.

    `nonce` is the form's one-time value: a form already sent with it raises
    `AlreadyReceivedError` and creates nothing (an empty nonce, as from the API, is not checked).
    """
    if nonce and _nonce_used(nonce):
        raise AlreadyReceivedError()
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
        try:
            with transaction.atomic():
                if nonce:
                    SubmissionNonce.objects.create(digest=_nonce_digest(nonce), at=now)
                complaint = _store(checked, accepted, now, digest, code_hash, language)
        except IntegrityError:
            # the same form sent twice at once: the other request stored it
            if nonce and _nonce_used(nonce):
                raise AlreadyReceivedError() from None
            raise
    return Submitted(code=code, complaint_id=complaint.pk)


def _nonce_digest(nonce: str) -> str:
    return hashlib.sha256(nonce.encode("utf-8", "replace")).hexdigest()


def _nonce_used(nonce: str) -> bool:
    return SubmissionNonce.objects.filter(digest=_nonce_digest(nonce)).exists()


def _store(
    checked: ComplaintInput,
    accepted: Sequence[CheckedFile],
    now: dt.datetime,
    digest: str,
    code_hash: str,
    language: str,
) -> Complaint:
    topics = checked.topics or (Topic(checked.category, checked.reason),)
    complaint = Complaint.objects.create(
        category=checked.category.value,
        reason=checked.reason,
        region=canonical_region(checked.region),
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
        topics=[{"category": t.category.value, "reason": t.reason} for t in topics],
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
    if len(topics) > 1:
        data["topics"] = complaint.topics
    append(PUBLIC_ACTOR, "complaint.create", subject(complaint), data)
    return complaint


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
    remedy = case.remedy if case is not None and case.status == "resolved" else ""
    return PublicStatus(
        status=state.value, updated_at=updated, messages=messages, remedy=remedy or ""
    )


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
            locked = (
                Complaint.objects.select_for_update(of=("self",))
                .select_related("case")
                .get(pk=complaint.pk)
            )
            now = timezone.now()
            message = ComplaintMessage.objects.create(
                complaint=locked, sender="you", author=None, at=now, text=cleaned
            )
            stored = store_files(locked, accepted, message)
            locked.updated_at = now
            locked.save(update_fields=["updated_at"])
            data = {"message": message.pk, "from": "you", "attachments": len(stored)}
            drafts = [Draft(PUBLIC_ACTOR, "complaint.message", subject(locked), data)]
            if locked.case is not None:
                # the case's history says a message came, and its files join the evidence
                case = locked.case
                Case.objects.filter(pk=case.pk).update(updated_at=now)
                drafts.append(
                    Draft(
                        PUBLIC_ACTOR,
                        "complaint.message",
                        f"case:{case.reference}",
                        {**data, "complaint": locked.pk},
                    )
                )
            append_many(drafts)
            if locked.case is not None and stored:
                files_to_evidence(PUBLIC_ACTOR, locked, locked.case, stored)


def _new_code() -> tuple[str, str]:
    """A fresh code and its lookup digest (a code already in use, however unlikely, is
    drawn again; the unique digest column refuses it anyway)."""
    while True:
        code = new_receipt_code()
        digest = lookup_digest(code)
        if not Complaint.objects.filter(lookup_digest=digest).exists():
            return code, digest
