"""The shapes of the intake API: items, their metadata, clusters and links."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from nadzor.web.api._schemas import PageQuery

__all__ = [
    "ClusterListOut",
    "ClusterOut",
    "ItemDetailOut",
    "ItemKind",
    "ItemListOut",
    "ItemQuery",
    "ItemSummaryOut",
    "JobOut",
    "LinkIn",
    "LinkOut",
    "SuggestionOut",
]


class ItemKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"
    TEXT = "text"
    OTHER = "other"


_SHORT = Annotated[str, Field(max_length=200)]


class ItemQuery(PageQuery):
    q: _SHORT = Field("", description="Words in the text, the note or the file name.")
    source: _SHORT = Field("", description="Words in the source URL, platform or account.")
    date_from: dt.date | None = Field(
        None,
        alias="from",
        description="Published on or after (the day added, when no date was given).",
    )
    date_to: dt.date | None = Field(None, alias="to", description="Published on or before.")
    unit: _SHORT = Field("", description="A military unit number suggested from the item.")
    cluster: _SHORT = Field("", description="The cluster id shared by near-duplicates.")
    kind: ItemKind | None = None


class ItemSummaryOut(BaseModel):
    sha256: str
    size: int
    media_type: str
    kind: ItemKind
    file_name: str
    source_url: str
    platform: str
    account: str
    published_at: dt.datetime | None
    captured_at: dt.datetime | None
    language: str
    note: str
    added_by: str | None
    added_at: dt.datetime
    state: str = Field(description="`queued`, `processed` or `failed`.")
    state_reason: str = Field(description="Why the item failed, when it did.")
    cluster: str
    verification: str = Field(description="unverified, corroborated, verified or disputed.")
    verification_reason: str


class ItemListOut(BaseModel):
    count: int
    limit: int
    offset: int
    items: list[ItemSummaryOut]


class SuggestionOut(BaseModel):
    kind: str = Field(description="`place`, `organisation`, `date` or `unit`.")
    value: str
    source: str = Field(description="`text` or `note`: where the span is.")
    start: int
    end: int
    span: str = Field(description="The words the suggestion came from.")


class JobOut(BaseModel):
    kind: str
    state: str = Field(description="queued, running, done or failed.")
    attempts: int


class LinkOut(BaseModel):
    case: str | None = Field(description="The case reference, for a link to a case.")
    complaint: int | None = Field(description="The complaint number, for a link to one.")
    linked_by: str | None
    linked_at: dt.datetime


class ItemDetailOut(ItemSummaryOut):
    text: str = Field(description="The words of a pasted text or a text file.")
    metadata: dict[str, Any] = Field(
        description="What the decoder read: container, codecs, duration, size, times, device."
    )
    sensitive: dict[str, Any] | None = Field(
        description="Sensitive metadata (a GPS position), only for roles that may see "
        "personal data; null for the others."
    )
    suggestions: list[SuggestionOut]
    jobs: list[JobOut]
    cluster_size: int
    cluster_first: str | None = Field(description="The sha256 of the cluster's first item.")
    cluster_complaints: list[int] = Field(description="Complaints whose text is in the cluster.")
    links: list[LinkOut]


class ClusterOut(BaseModel):
    cluster: str
    copies: int = Field(description="Items in the cluster that match the filters.")
    complaints: int = Field(description="Complaints whose text falls in the cluster.")
    first: ItemSummaryOut = Field(description="The first-seen item of the cluster.")


class ClusterListOut(BaseModel):
    items: list[ClusterOut]


class LinkIn(BaseModel):
    """Exactly one of `case` and `complaint`."""

    model_config = ConfigDict(extra="forbid")

    case: Annotated[str, Field(pattern=r"^NZ-[0-9]{4}-[0-9]{6}$")] | None = None
    complaint: Annotated[int, Field(ge=1, le=2**62)] | None = None
