"""The intake vocabulary: kinds of item, processing states, verification statuses.

Everything here is immutable and free of I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["ItemKind", "ItemState", "Span", "Verification", "kind_of"]


class ItemKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"
    TEXT = "text"
    OTHER = "other"


class ItemState(StrEnum):
    """Where an item's background work stands; `failed` carries a reason on the item."""

    QUEUED = "queued"
    PROCESSED = "processed"
    FAILED = "failed"


class Verification(StrEnum):
    UNVERIFIED = "unverified"
    CORROBORATED = "corroborated"
    VERIFIED = "verified"
    DISPUTED = "disputed"


@dataclass(frozen=True)
class Span:
    """A suggestion found in a text: what it is, its value and where it came from."""

    kind: str  # place, organisation, date, unit
    value: str
    start: int
    end: int


def kind_of(media_type: str) -> ItemKind:
    """The kind of item a sniffed media type makes."""
    head = media_type.split("/", 1)[0]
    if head in ("image", "video", "audio"):
        return ItemKind(head)
    if media_type == "text/plain":
        return ItemKind.TEXT
    return ItemKind.OTHER
