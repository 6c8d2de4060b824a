"""Intake for staff: search items, one item with its metadata, add an item, link it to a
case or complaint, and the clusters of near-duplicates.

The intake services decide everything (roles, the type read from the bytes, the size
limit, content addressing, the audit log); these endpoints only translate. A role that may
not see intake gets 403 before any item is looked up.
"""

from __future__ import annotations

from typing import Annotated

from django.http import HttpRequest
from ninja import File, Form, Path, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status as Reply

from nadzor.cases.domain import Actor
from nadzor.cases.services import BadInput
from nadzor.intake.domain import parse_moment
from nadzor.intake.services import (
    ItemFilters,
    Provenance,
    add_item,
    add_text,
    item_page,
    link_case,
    link_complaint,
    search_items,
    triage_clusters,
)
from nadzor.store.models import IntakeItem, IntakeLink
from nadzor.web.api._app import ApiError
from nadzor.web.api._auth import STAFF_AUTH, actor
from nadzor.web.api._intake_schemas import (
    ClusterListOut,
    ClusterOut,
    ItemDetailOut,
    ItemKind,
    ItemListOut,
    ItemQuery,
    ItemSummaryOut,
    JobOut,
    LinkIn,
    LinkOut,
    SuggestionOut,
)
from nadzor.web.api._schemas import ErrorOut

__all__ = ["router"]

router = Router(auth=STAFF_AUTH, tags=["intake"])

Sha256 = Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", examples=["0" * 64])]

_READ = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
_ONE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
_CLUSTERS_MAX = 200
_KINDS = frozenset(kind.value for kind in ItemKind)


def _filters(query: ItemQuery) -> ItemFilters:
    return ItemFilters(
        text=query.q,
        source=query.source,
        date_from=query.date_from,
        date_to=query.date_to,
        unit=query.unit,
        cluster=query.cluster,
        kind=query.kind.value if query.kind else "",
    )


@router.get(
    "/items",
    operation_id="listIntakeItems",
    response={200: ItemListOut, **_READ},
    summary="Search intake items",
    description="Items matching every filter given, newest first.",
)
def list_items(request: HttpRequest, filters: Query[ItemQuery]) -> ItemListOut:
    rows = search_items(actor(request), _filters(filters))
    page = rows[filters.offset : filters.offset + filters.limit]
    return ItemListOut(
        count=rows.count(),
        limit=filters.limit,
        offset=filters.offset,
        items=[_summary(item) for item in page],
    )


@router.get(
    "/items/{sha256}",
    operation_id="getIntakeItem",
    response={200: ItemDetailOut, **_ONE},
    summary="One intake item",
    description="The item with its metadata, suggestions, background jobs, cluster and "
    "links. The GPS position and other sensitive metadata are given only to roles that may "
    "see personal data (`sensitive` is null for the others). Every view is in the audit log.",
)
def get_item(request: HttpRequest, sha256: Sha256) -> ItemDetailOut:
    return _detail(actor(request), sha256)


@router.post(
    "/items",
    operation_id="addIntakeItem",
    response={
        201: ItemDetailOut,
        200: ItemDetailOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        413: ErrorOut,
        415: ErrorOut,
        422: ErrorOut,
    },
    summary="Add an intake item",
    description="Multipart: a `file`, or a pasted `text`, with where it came from. The type "
    "is read from the bytes, not the name (415 when not accepted); 413 past the size limit. "
    "Items are addressed by the SHA-256 of their bytes: the same bytes again add nothing "
    "(200 with the existing item). Hashing and extraction then run in the background worker.",
)
def add(
    request: HttpRequest,
    file: UploadedFile | None = File(None),  # noqa: B008 (ninja reads parameters so)
    text: str = Form("", max_length=1_000_000),
    source_url: str = Form("", max_length=2000),
    platform: str = Form("", max_length=100),
    account: str = Form("", max_length=200),
    published_at: str = Form("", max_length=40, description="YYYY-MM-DD or ISO 8601."),
    captured_at: str = Form("", max_length=40, description="YYYY-MM-DD or ISO 8601."),
    language: str = Form("", max_length=8),
    note: str = Form("", max_length=5000),
) -> Reply[ItemDetailOut]:
    who = actor(request)
    moments = {}
    for name, value in (("published_at", published_at), ("captured_at", captured_at)):
        try:
            moments[name] = parse_moment(value)
        except ValueError:
            raise ApiError(
                422, "bad_format", f"{name}: give YYYY-MM-DD or ISO 8601", name
            ) from None
    provenance = Provenance(
        source_url=source_url,
        platform=platform,
        account=account,
        published_at=moments["published_at"],
        captured_at=moments["captured_at"],
        language=language,
        note=note,
    )
    if file is None and not text.strip():
        raise ApiError(422, "required", "give a file or a text", "file")
    if file is not None and text.strip():
        raise ApiError(422, "not_allowed", "give a file or a text, not both", "text")
    try:
        if file is not None:
            if not file.size:
                raise ApiError(422, "empty", "the file is empty", "file")
            added = add_item(who, file, provenance, file_name=file.name or "")
        else:
            added = add_text(who, text, provenance)
    except BadInput as exc:
        if exc.__class__ is not BadInput:
            raise
        # a plain BadInput from a file is its refused type (TooLarge, a subclass, is 413)
        if file is None:
            raise ApiError(422, "invalid", str(exc), "text") from None
        raise ApiError(415, "bad_type", str(exc), "file") from None
    return Reply(201 if added.created else 200, _detail(who, added.item.sha256))


@router.post(
    "/items/{sha256}/links",
    operation_id="linkIntakeItem",
    response={201: LinkOut, 200: LinkOut, **_ONE},
    summary="Link an item to a case or a complaint",
    description='`{"case": "NZ-2026-000001"}` or `{"complaint": 12}`. A case the caller may '
    "not open gives 403. A link that exists already gives 200.",
)
def link(request: HttpRequest, sha256: Sha256, payload: LinkIn) -> Reply[LinkOut]:
    who = actor(request)
    if (payload.case is None) == (payload.complaint is None):
        raise ApiError(422, "required", "give either `case` or `complaint`", "case")
    if payload.case is not None:
        created = link_case(who, sha256, payload.case)
        found = IntakeItem.objects.get(sha256=sha256).links.get(case__reference=payload.case)
    else:
        assert payload.complaint is not None
        created = link_complaint(who, sha256, payload.complaint)
        found = IntakeItem.objects.get(sha256=sha256).links.get(complaint_id=payload.complaint)
    return Reply(201 if created else 200, _link(found))


@router.get(
    "/clusters",
    operation_id="listIntakeClusters",
    response={200: ClusterListOut, **_READ},
    summary="Clusters of near-duplicates",
    description="The clusters of the items matching the filters, the largest first (at most "
    f"{_CLUSTERS_MAX}), each with its first-seen item, the count of copies and of complaints "
    "whose text falls in it.",
)
def clusters(request: HttpRequest, filters: Query[ItemQuery]) -> ClusterListOut:
    rows = triage_clusters(actor(request), _filters(filters), limit=_CLUSTERS_MAX)
    return ClusterListOut(
        items=[
            ClusterOut(
                cluster=row.cluster,
                copies=row.copies,
                complaints=row.complaints,
                first=_summary(row.first),
            )
            for row in rows
        ]
    )


def _summary(item: IntakeItem) -> ItemSummaryOut:
    return ItemSummaryOut(
        sha256=item.sha256,
        size=item.size,
        media_type=item.media_type,
        kind=ItemKind(item.kind) if item.kind in _KINDS else ItemKind.OTHER,
        file_name=item.file_name,
        source_url=item.source_url,
        platform=item.platform,
        account=item.account,
        published_at=item.published_at,
        captured_at=item.captured_at,
        language=item.language,
        note=item.note,
        added_by=item.added_by.username if item.added_by else None,
        added_at=item.added_at,
        state=item.state,
        state_reason=item.state_reason,
        cluster=item.cluster,
        verification=item.verification,
        verification_reason=item.verification_reason,
    )


def _link(found: IntakeLink) -> LinkOut:
    return LinkOut(
        case=found.case.reference if found.case else None,
        complaint=found.complaint_id,
        linked_by=found.linked_by.username if found.linked_by else None,
        linked_at=found.linked_at,
    )


def _detail(who: Actor, sha256: str) -> ItemDetailOut:
    page = item_page(who, sha256)
    item = page.item
    suggestions = []
    for s in page.suggestions:
        where = item.text if s.source == "text" else item.note
        suggestions.append(
            SuggestionOut(
                kind=s.kind,
                value=s.value,
                source=s.source,
                start=s.start,
                end=s.end,
                span=where[s.start : s.end],
            )
        )
    return ItemDetailOut(
        **_summary(item).model_dump(),
        text=item.text,
        metadata=page.metadata,
        sensitive=page.sensitive,
        suggestions=suggestions,
        jobs=[JobOut(kind=j.kind, state=j.state, attempts=j.attempts) for j in page.jobs],
        cluster_size=page.cluster_size,
        cluster_first=page.cluster_first.sha256 if page.cluster_first else None,
        cluster_complaints=page.cluster_complaints,
        links=[_link(found) for found in page.links],
    )
