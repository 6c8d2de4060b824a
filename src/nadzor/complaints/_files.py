"""Files sent to the desk: counted, streamed to temporary files, typed from their bytes.

Every file is checked before anything is stored, and every problem is reported at once.
The bytes go to the evidence store (content-addressed, never overwritten) only when the
whole submission is accepted; a refused file leaves nothing behind.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import BinaryIO, NamedTuple

from django.conf import settings
from django.utils import timezone

from nadzor.cases._blobs import Staged, TooLarge, staged
from nadzor.cases._sniff import ACCEPTED_TYPES, detect_named
from nadzor.complaints.domain import (
    AttachmentLimits,
    FieldError,
    clean_file_name,
    count_error,
    size_error,
    type_error,
)
from nadzor.store.models import Complaint, ComplaintAttachment, ComplaintMessage

__all__ = ["CheckedFile", "Upload", "attachment_limits", "checked_uploads", "store_files"]


class Upload(NamedTuple):
    """A file as sent: the name the sender's device gave it, and its bytes."""

    name: str
    stream: BinaryIO


@dataclass(frozen=True)
class CheckedFile:
    staged: Staged
    media_type: str
    name: str


def attachment_limits() -> AttachmentLimits:
    """The limits in force: the domain's defaults, the size per file from the setting
    NADZOR_COMPLAINT_MAX_BYTES when the deployment sets it."""
    max_bytes = getattr(settings, "NADZOR_COMPLAINT_MAX_BYTES", None)
    if isinstance(max_bytes, int) and not isinstance(max_bytes, bool) and max_bytes > 0:
        return AttachmentLimits(max_bytes=max_bytes)
    return AttachmentLimits()


@contextlib.contextmanager
def checked_uploads(
    files: Sequence[Upload], limits: AttachmentLimits, *, already: int = 0
) -> Iterator[tuple[list[CheckedFile], list[FieldError]]]:
    """The accepted files, staged, and the errors of the others; the staged files are
    removed on exit (those stored meanwhile stay in the store). Too many files: nothing read."""
    too_many = count_error(len(files), limits, already=already)
    if too_many is not None:
        yield [], [too_many]
        return
    accepted: list[CheckedFile] = []
    errors: list[FieldError] = []
    with contextlib.ExitStack() as stack:
        for upload in files:
            try:
                upload_file = stack.enter_context(staged(upload.stream, limits.max_bytes))
            except TooLarge:
                errors.append(size_error(upload.name, limits))
                continue
            media_type = detect_named(upload_file.path, upload.name)
            refused = type_error(upload.name, media_type, ACCEPTED_TYPES)
            if refused is not None:
                errors.append(refused)
                continue
            accepted.append(CheckedFile(upload_file, media_type, clean_file_name(upload.name)))
        yield accepted, errors


def store_files(
    complaint: Complaint, files: Sequence[CheckedFile], message: ComplaintMessage | None = None
) -> list[ComplaintAttachment]:
    """Store the bytes and record them on the complaint (in the caller's transaction)."""
    now = timezone.now()
    rows = []
    for checked in files:
        blob = checked.staged.store()
        rows.append(
            ComplaintAttachment.objects.create(
                complaint=complaint,
                message=message,
                sha256=blob.sha256,
                size=blob.size,
                media_type=checked.media_type,
                original_name=checked.name,
                added_at=now,
            )
        )
    return rows
