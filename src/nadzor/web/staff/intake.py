"""Intake pages: the triage of clusters with search and the add form, one item's page, its
viewing copy and original, and the steps on an item (verification, links).

Every form is a plain POST that works without JavaScript. The original is sent as an
attachment with `nosniff`, so no browser renders a file brought by staff as a page here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from nadzor.cases.domain import Actor, Denied, DomainError
from nadzor.cases.services import BadInput, NotFound, TooLarge
from nadzor.intake._files import MAX_BYTES
from nadzor.intake.domain import IntakeOp, Verification, may_intake, parse_moment
from nadzor.intake.services import (
    ItemFilters,
    Progress,
    Provenance,
    add_item,
    add_text,
    item_page,
    item_progress,
    link_case,
    link_complaint,
    open_original,
    set_verification,
    triage_clusters,
    view_path,
)
from nadzor.web.staff._access import not_found, redirect_to, render_staff, staff_page
from nadzor.web.staff._intake_words import META_LABELS, failure, label

__all__ = ["add", "index", "item", "link", "original", "progress", "verify", "viewing_copy"]

# How often the item page asks for the state of its background work while it runs.
_POLL_SECONDS = 3
_REFRESH_SECONDS = 15  # without JavaScript: the whole page, less often

_FIELDS = ("source_url", "platform", "account", "published_at", "captured_at", "language", "note")


def _viewer(actor: Actor) -> bool:
    return may_intake(actor, IntakeOp.VIEW)


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if text.strip() else None
    except ValueError:
        return None


def _filters(request: HttpRequest) -> ItemFilters:
    get = request.GET
    return ItemFilters(
        text=get.get("q", ""),
        source=get.get("source", ""),
        date_from=_day(get.get("from", "")),
        date_to=_day(get.get("to", "")),
        unit=get.get("unit", ""),
        cluster=get.get("cluster", ""),
        kind=get.get("kind", "")
        if get.get("kind", "") in ("image", "video", "audio", "text", "other")
        else "",
    )


def _render_index(
    request: HttpRequest, actor: Actor, *, error: str = "", posted: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:  # fmt: skip
    filters = _filters(request)
    rows = [
        {
            "cluster": row.cluster,
            "first": row.first,
            "copies": row.copies,
            "complaints": row.complaints,
            "kind": label(row.first.kind),
            "state": label(row.first.state),
        }
        for row in triage_clusters(actor, filters)
    ]
    context: dict[str, Any] = {
        "rows": rows,
        "filters": request.GET,
        "searched": filters.any,
        "kinds": [(k, label(k)) for k in ("image", "video", "audio", "text", "other")],
        "can_add": may_intake(actor, IntakeOp.ADD),
        "error": error,
        "posted": posted or {},
        "limit": filesizeformat(MAX_BYTES),
    }
    return render_staff(request, actor, "nadzor/staff/intake.html", context, status=status)


@require_GET
@staff_page(_viewer)
def index(request: HttpRequest, actor: Actor) -> HttpResponse:
    return _render_index(request, actor)


def _refusal(exc: DomainError) -> str:
    text = str(exc)
    if isinstance(exc, TooLarge):
        return pgettext("intake", "The file is too large: at most %(limit)s.") % {
            "limit": filesizeformat(MAX_BYTES)
        }
    if "not accepted" in text:
        return pgettext(
            "intake",
            "Files of this type are not accepted: add video, images, audio, PDF, office"
            " documents or plain text.",
        )
    if text == "the file is empty" or text == "the text is empty":
        return pgettext("intake", "The file or the text is empty.")
    if isinstance(exc, Denied):
        return pgettext("intake", "Your role may not add material.")
    return pgettext("intake", "The material could not be added.")


@require_POST
@staff_page(_viewer)
def add(request: HttpRequest, actor: Actor) -> HttpResponse:
    posted = {name: request.POST.get(name, "") for name in (*_FIELDS, "text")}
    try:
        moments = {}
        for name in ("published_at", "captured_at"):
            try:
                moments[name] = parse_moment(posted[name])
            except ValueError:
                error = pgettext("intake", "Enter dates as YYYY-MM-DD.")
                return _render_index(request, actor, error=error, posted=posted, status=422)
        provenance = Provenance(
            source_url=posted["source_url"],
            platform=posted["platform"],
            account=posted["account"],
            published_at=moments["published_at"],
            captured_at=moments["captured_at"],
            language=posted["language"][:8],
            note=posted["note"],
        )
        sent = request.FILES.get("file")
        if sent is not None:
            added = add_item(actor, sent, provenance, file_name=sent.name or "")
        elif posted["text"].strip():
            added = add_text(actor, posted["text"], provenance)
        else:
            error = pgettext("intake", "Choose a file or paste a text.")
            return _render_index(request, actor, error=error, posted=posted, status=422)
    except DomainError as exc:
        return _render_index(request, actor, error=_refusal(exc), posted=posted, status=422)
    if added.created:
        messages.success(
            request, pgettext("intake", "Added. Hashing and extraction run in the background.")
        )
    else:
        messages.info(
            request, pgettext("intake", "These exact bytes are already here; nothing was added.")
        )
    return redirect_to(request, "staff:intake_item", added.item.sha256)


def _render_item(
    request: HttpRequest, actor: Actor, sha256: str, *, failed: str = "", error: str = "",
    status: int = 200,
) -> HttpResponse:  # fmt: skip
    page = item_page(actor, sha256)
    it = page.item
    text = it.text
    marks = []
    for suggestion in page.suggestions:
        source = text if suggestion.source == "text" else it.note
        marks.append(
            {
                "kind": label(suggestion.kind),
                "value": suggestion.value,
                "span": source[suggestion.start : suggestion.end],
                "before": source[max(0, suggestion.start - 40) : suggestion.start],
                "after": source[suggestion.end : suggestion.end + 40],
                "where": suggestion.source,
            }
        )
    context: dict[str, Any] = {
        "page": page,
        "it": it,
        "kind": label(it.kind),
        "state": label(it.state),
        "failure": failure(it.state_reason) if it.state == "failed" else "",
        "verification": label(it.verification),
        "metadata": [
            (str(META_LABELS.get(k, k)), ", ".join(v) if isinstance(v, list) else v)
            for k, v in page.metadata.items()
        ],
        "gps": (page.sensitive or {}).get("gps"),
        "sees_sensitive": page.sensitive is not None,
        **_progress_context(it.sha256, it.state, page.jobs),
        "marks": marks,
        "has_view": view_path(it.sha256).is_file(),
        "statuses": [(v.value, label(v.value)) for v in Verification],
        "can_verify": may_intake(actor, IntakeOp.VERIFY),
        "can_link": may_intake(actor, IntakeOp.LINK),
        "failed": failed,
        "error": error,
    }
    return render_staff(request, actor, "nadzor/staff/intake_item.html", context, status=status)


def _progress_context(sha256: str, state: str, jobs: list[Any]) -> dict[str, Any]:
    working = Progress(state, jobs).working
    return {
        "sha256": sha256,
        "jobs": [
            {
                "kind": label(j.kind),
                "state": label(j.state),
                "code": j.state,
                "attempts": j.attempts,
            }
            for j in jobs
        ],
        "working": working,
        "poll_seconds": _POLL_SECONDS,
        "refresh_seconds": _REFRESH_SECONDS,
    }


@require_GET
@staff_page(_viewer)
def item(request: HttpRequest, actor: Actor, sha256: str) -> HttpResponse:
    return _render_item(request, actor, sha256)


@require_GET
@staff_page(_viewer)
def progress(request: HttpRequest, actor: Actor, sha256: str) -> HttpResponse:
    """The item page's "background work" section alone, which the page polls while the
    work runs; once it is done the section comes without polling, with a link to reload."""
    state = item_progress(actor, sha256)
    context = {**_progress_context(sha256, state.state, state.jobs), "polled": True}
    return render_staff(request, actor, "nadzor/staff/_intake_progress.html", context)


@require_GET
@staff_page(_viewer)
def viewing_copy(request: HttpRequest, actor: Actor, sha256: str) -> HttpResponse:
    """The small JPEG made from the pixels alone (no metadata)."""
    path = view_path(sha256)
    if not path.is_file():
        return not_found(request, actor)
    response = FileResponse(path.open("rb"), content_type="image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@staff_page(_viewer)
def original(request: HttpRequest, actor: Actor, sha256: str) -> HttpResponse:
    """The original bytes as an attachment; every download is in the audit log."""
    it, handle = open_original(actor, sha256)
    name = it.file_name or (f"{it.sha256}.txt" if it.kind == "text" else it.sha256)
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=it.media_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@staff_page(_viewer)
def verify(request: HttpRequest, actor: Actor, sha256: str) -> HttpResponse:
    try:
        set_verification(
            actor, sha256, request.POST.get("status", ""), request.POST.get("reason", "")
        )
    except BadInput:
        error = pgettext("intake", "Choose a status and give the reason for it.")
        return _render_item(request, actor, sha256, failed="verify", error=error, status=422)
    messages.success(request, pgettext("intake", "The verification status was saved."))
    return redirect_to(request, "staff:intake_item", sha256)


@require_POST
@staff_page(_viewer)
def link(request: HttpRequest, actor: Actor, sha256: str) -> HttpResponse:
    target = request.POST.get("target", "").strip()
    try:
        if target.upper().startswith("NZ-"):
            created = link_case(actor, sha256, target.upper())
        elif target.lstrip("#").isdigit():
            created = link_complaint(actor, sha256, int(target.lstrip("#")))
        else:
            raise BadInput("unknown target")
    except (BadInput, NotFound, Denied):
        error = pgettext(
            "intake",
            "Enter a case reference you may open (NZ-2026-000001) or a complaint number.",
        )
        return _render_item(request, actor, sha256, failed="link", error=error, status=422)
    if created:
        messages.success(request, pgettext("intake", "The link was added."))
    else:
        messages.info(request, pgettext("intake", "This link exists already."))
    return redirect_to(request, "staff:intake_item", sha256)
