"""Limits on the files sent with a complaint or a later message, and the errors they give.

The type of a file is read from its bytes by the services (the evidence sniffer); the
accepted types are the evidence allow-list: PDF, images, audio, video, office documents
without macros and plain text. Executables and archives are refused.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

from nadzor.complaints.domain._errors import ErrorCode, FieldError

__all__ = [
    "ATTACHMENTS_FIELD",
    "AttachmentLimits",
    "clean_file_name",
    "count_error",
    "describe_size",
    "size_error",
    "type_error",
]

_MB = 1024 * 1024
_NAME_LENGTH = 255
ATTACHMENTS_FIELD = "attachments"


@dataclass(frozen=True)
class AttachmentLimits:
    """At most `max_files` files per submission or message, each of at most `max_bytes`,
    and at most `max_per_complaint` files on one complaint in all."""

    max_files: int = 5
    max_bytes: int = 10 * _MB
    max_per_complaint: int = 50

    def __post_init__(self) -> None:
        for name in ("max_files", "max_bytes", "max_per_complaint"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a whole number, at least 1")


def describe_size(max_bytes: int) -> str:
    """`10 MB` for 10 MiB; smaller or uneven limits in KB or bytes."""
    if max_bytes >= _MB and max_bytes % _MB == 0:
        return f"{max_bytes // _MB} MB"
    if max_bytes >= 1024 and max_bytes % 1024 == 0:
        return f"{max_bytes // 1024} KB"
    return f"{max_bytes} bytes"


def count_error(count: int, limits: AttachmentLimits, *, already: int = 0) -> FieldError | None:
    """Too many files in this submission, or on the complaint with those it already has."""
    if count > limits.max_files:
        return FieldError(
            ATTACHMENTS_FIELD,
            f"Too many files: at most {limits.max_files} at a time, not {count}.",
            ErrorCode.TOO_MANY,
        )
    if already + count > limits.max_per_complaint:
        room = max(limits.max_per_complaint - already, 0)
        return FieldError(
            ATTACHMENTS_FIELD,
            f"This complaint can take {room} more file(s): at most"
            f" {limits.max_per_complaint} in all.",
            ErrorCode.TOO_MANY,
        )
    return None


def size_error(name: str, limits: AttachmentLimits) -> FieldError:
    """The file named `name` passed the size limit."""
    return FieldError(
        ATTACHMENTS_FIELD,
        f"The file {_quoted(name)} is too large: at most {describe_size(limits.max_bytes)}"
        " per file.",
        ErrorCode.TOO_LARGE,
    )


def type_error(name: str, media_type: str, accepted: Collection[str]) -> FieldError | None:
    """None when files of `media_type` (read from the bytes; "" for no bytes) are accepted."""
    if media_type == "":
        return FieldError(ATTACHMENTS_FIELD, f"The file {_quoted(name)} is empty.", ErrorCode.EMPTY)
    if media_type in accepted:
        return None
    return FieldError(
        ATTACHMENTS_FIELD,
        f"The file {_quoted(name)} cannot be accepted: send documents (PDF, office files,"
        " plain text), photos, audio or video.",
        ErrorCode.BAD_TYPE,
    )


def clean_file_name(name: str) -> str:
    """The file's own name, for people to read: no folders, no control or format characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    shown = "".join(c for c in base if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))
    return unicodedata.normalize("NFC", shown).strip()[:_NAME_LENGTH]


def _quoted(name: str) -> str:
    shown = clean_file_name(name) or "without a name"
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"“{shown}”" if shown != "without a name" else shown
