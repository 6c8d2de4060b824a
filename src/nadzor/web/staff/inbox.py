"""Triage: the inbox of complaints (oldest first) with their possible duplicates, one
complaint with its messages, and the steps taken on complaints.

Every step is a POST form that works without JavaScript (the page is shown again); from the
inbox, HTMX posts it and swaps just that complaint's card. The complainant's contact
details are never on a page until a role allowed to see them presses "show contact
details", and each such view is recorded by the service. An investigator whose case the
complaint is in, but whom no supervisor cleared, asks for it here; a supervisor decides on
the same page (or from the approvals). Every page that shows a complaint's text records
that read (`record_text_reads`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from nadzor.cases.domain import Actor, DomainError, Operation, may
from nadzor.complaints.domain import TEXT_MAX, ComplaintStatus, ErrorCode
from nadzor.complaints.services import (
    InputErrors,
    close_complaint,
    complaint_detail,
    decide_identity_request,
    identity_access,
    link_to_case,
    list_complaints,
    mark_read,
    move_to_case,
    open_case,
    possible_duplicates,
    record_text_reads,
    reply,
    request_complaint_identity,
    scope_of_complaint,
    split_complaint,
    staff_complaint,
    topics_of,
    view_complaint_identity,
)
from nadzor.store.models import Complaint
from nadzor.web.staff._access import is_htmx, redirect_to, render_staff, staff_page
from nadzor.web.staff._deadlines import mark_complaints

__all__ = [
    "close",
    "complaint_page",
    "identity",
    "identity_decision",
    "identity_request",
    "inbox",
    "link",
    "mark_as_read",
    "open_from_complaint",
    "render_complaint",
    "render_inbox",
    "send_reply",
    "split",
]

PER_PAGE = 20
_DUPLICATES_SHOWN = 5
TABS = ("new", "unread", "triaged", "linked", "closed", "all")


def _abilities(actor: Actor, complaint: Complaint) -> dict[str, bool]:
    scope = scope_of_complaint(complaint)
    access = identity_access(complaint)
    identity = may(actor, Operation.COMPLAINT_IDENTITY, scope)
    unlinked = complaint.case_id is None
    open_ = complaint.status != ComplaintStatus.CLOSED
    triage = may(actor, Operation.COMPLAINT_TRIAGE, scope)
    return {
        "open_case": triage and may(actor, Operation.CASE_CREATE) and unlinked and open_,
        "split": triage and may(actor, Operation.CASE_CREATE) and open_,
        "link": triage and open_,
        "close": triage and unlinked and open_,
        "reply": may(actor, Operation.COMPLAINT_REPLY, scope),
        "identity": identity,
        "request_identity": not identity
        and access.requested_by is None
        and may(actor, Operation.IDENTITY_REQUEST, scope),
        "decide_identity": access.requested_by is not None
        and may(actor, Operation.IDENTITY_DECIDE, scope),
    }


def _card(
    actor: Actor, complaint: Complaint, *, error: str = "", posted: dict[str, str] | None = None
) -> dict[str, Any]:
    return {
        "complaint": complaint,
        "duplicates": possible_duplicates(actor, complaint.pk)[:_DUPLICATES_SHOWN],
        "can": _abilities(actor, complaint),
        "error": error,
        "posted": posted or {},
    }


def render_inbox(
    request: HttpRequest,
    actor: Actor,
    *,
    failed: int | None = None,
    error: str = "",
    posted: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    tab = request.GET.get("status", "new")
    if tab not in TABS:
        tab = "new"
    shown = None if tab in ("all", "unread") else tab
    rows = list_complaints(actor, shown, unread_only=tab == "unread").select_related(
        "case__assignee",
        "case__closure_requested_by",
        "identity_granted_to",
        "identity_requested_by",
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    shown = mark_complaints(page.object_list)
    cards = [
        _card(actor, c, **({"error": error, "posted": posted} if c.pk == failed else {}))
        for c in shown
    ]
    record_text_reads(actor, shown)
    context = {"page": page, "cards": cards, "tab": tab, "tabs": TABS}
    return render_staff(request, actor, "nadzor/staff/inbox.html", context, status=status)


@require_GET
@staff_page(Operation.COMPLAINT_VIEW)
def inbox(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render_inbox(request, actor)


def render_complaint(
    request: HttpRequest,
    actor: Actor,
    number: int,
    *,
    failed: str = "",
    error: str = "",
    posted: dict[str, str] | None = None,
    contact: Any = None,
    shown_contact: bool = False,
    status: int = 200,
) -> HttpResponse:
    detail = complaint_detail(actor, number)
    complaint = mark_complaints([detail.complaint])[0]
    can = _abilities(actor, complaint)
    topics = _topics(complaint)
    can["split"] = can["split"] and len(topics) > 1 and any(t["open"] for t in topics)
    # the forms on the page that show their own refusal; any other shows above everything
    forms = {
        name
        for name in ("link", "close", "reply", "split", "request_identity", "decide_identity")
        if can[name]
    }
    context = {
        "identity_request": {
            "by": complaint.identity_requested_by,
            "reason": complaint.identity_request_reason,
        },
        "detail": detail,
        "complaint": complaint,
        "duplicates": possible_duplicates(actor, number),
        "can": can,
        "failed": failed,
        "error": error,
        "error_above": bool(error) and failed not in forms,
        "posted": posted or {},
        "contact": contact,
        "shown_contact": shown_contact,
        "topics": topics,
        "unread": sum(1 for m in detail.messages if m.sender == "you" and m.read_at is None),
    }
    return render_staff(request, actor, "nadzor/staff/complaint.html", context, status=status)


def _topics(complaint: Complaint) -> list[dict[str, Any]]:
    """The complaint's problems, each with the case that deals with it (if any)."""
    cases = {c.kind: c.reference for c in complaint.split_cases.all()}
    if complaint.case is not None:
        cases.setdefault(complaint.case.kind, complaint.case.reference)
    return [
        {
            "category": category,
            "reason": reason,
            "case": cases.get(category),
            "open": category not in cases,
        }
        for category, reason in topics_of(complaint)
    ]


@require_GET
@staff_page(Operation.COMPLAINT_VIEW)
def complaint_page(request: HttpRequest, actor: Actor, number: int) -> HttpResponse:
    return render_complaint(request, actor, number)


def _after(request: HttpRequest, actor: Actor, number: int, notice: str) -> HttpResponse:
    """Where a step that succeeded leads: the swapped card, the inbox, or the complaint."""
    if is_htmx(request) and request.POST.get("back") == "inbox":
        complaint = mark_complaints([staff_complaint(actor, number)])[0]
        record_text_reads(actor, [complaint])
        card = _card(actor, complaint)
        return render_staff(
            request, actor, "nadzor/staff/_inbox_card.html", {"card": card, "notice": notice}
        )
    messages.success(request, notice)
    if request.POST.get("back") == "inbox":
        return redirect_to(request, "staff:inbox")
    return redirect_to(request, "staff:complaint", number)


def _failed(
    request: HttpRequest,
    actor: Actor,
    number: int,
    form: str,
    error: str,
    posted: dict[str, str],
) -> HttpResponse:
    """A refused step: the message beside the form, with what was typed."""
    if request.POST.get("back") == "inbox":
        if is_htmx(request):
            complaint = mark_complaints([staff_complaint(actor, number)])[0]
            record_text_reads(actor, [complaint])
            card = _card(actor, complaint, error=error, posted=posted)
            # 200: HTMX swaps only successful answers, and this one is a page part to show
            return render_staff(request, actor, "nadzor/staff/_inbox_card.html", {"card": card})
        return render_inbox(request, actor, failed=number, error=error, posted=posted, status=422)
    return render_complaint(
        request, actor, number, failed=form, error=error, posted=posted, status=422
    )


@require_POST
@staff_page(Operation.COMPLAINT_VIEW)
def open_from_complaint(request: HttpRequest, actor: Actor, number: int) -> HttpResponse:
    try:
        case = open_case(actor, number)
    except DomainError as exc:
        return _failed(request, actor, number, "open", pgettext("staff", str(exc)), {})
    notice = pgettext("staff", "Case %(reference)s was opened for complaint %(number)s.") % {
        "reference": case.reference,
        "number": number,
    }
    return _after(request, actor, number, notice)


@require_POST
@staff_page(Operation.COMPLAINT_VIEW)
def link(request: HttpRequest, actor: Actor, number: int) -> HttpResponse:
    """Link the complaint to a case by reference, or move it there if it is linked already."""
    posted = {"reference": request.POST.get("reference", "")[:40]}
    reference = posted["reference"].strip().upper()
    try:
        if not reference:
            raise DomainError(
                pgettext("staff", "Give the reference of the case, like NZ-2026-000123.")
            )
        linked = staff_complaint(actor, number).case_id is not None
        if linked:
            move_to_case(actor, number, reference)
        else:
            link_to_case(actor, number, reference)
    except DomainError as exc:
        return _failed(request, actor, number, "link", pgettext("staff", str(exc)), posted)
    if linked:
        notice = pgettext("staff", "The complaint was moved to case %(reference)s.") % {
            "reference": reference
        }
    else:
        notice = pgettext("staff", "The complaint was linked to case %(reference)s.") % {
            "reference": reference
        }
    return _after(request, actor, number, notice)


def _reply_error(exc: InputErrors) -> str:
    codes = {code for codes in exc.codes().values() for code in codes}
    if ErrorCode.REQUIRED in codes:
        return pgettext("staff", "Write the reply.")
    if ErrorCode.TOO_LONG in codes:
        return pgettext("staff", "The reply is too long: at most %(max)s characters.") % {
            "max": TEXT_MAX
        }
    return pgettext("staff", str(exc))


@require_POST
@staff_page(Operation.COMPLAINT_VIEW)
def send_reply(request: HttpRequest, actor: Actor, number: int) -> HttpResponse:
    posted = {"text": request.POST.get("text", "")}
    try:
        reply(actor, number, posted["text"])
    except InputErrors as exc:
        return _failed(request, actor, number, "reply", _reply_error(exc), posted)
    except DomainError as exc:
        return _failed(request, actor, number, "reply", pgettext("staff", str(exc)), posted)
    notice = pgettext("staff", "The reply was sent; the person sees it on their status page.")
    return _after(request, actor, number, notice)


@require_POST
@staff_page(Operation.COMPLAINT_VIEW)
def close(request: HttpRequest, actor: Actor, number: int) -> HttpResponse:
    posted = {"reason": request.POST.get("reason", "")}
    try:
        close_complaint(actor, number, posted["reason"])
    except DomainError as exc:
        return _failed(request, actor, number, "close", pgettext("staff", str(exc)), posted)
    return _after(
        request, actor, number, pgettext("staff", "The complaint was closed without a case.")
    )


@require_POST
@staff_page(Operation.COMPLAINT_VIEW)
def identity(request: HttpRequest, actor: Actor, number: int) -> HttpResponse:
    """The complainant's contact details, shown once on this answer (recorded by the service)."""
    contact = view_complaint_identity(actor, number)
    return render_complaint(request, actor, number, contact=contact, shown_contact=True)


@require_POST
@staff_page(Operation.COMPLAINT_VIEW)
def identity_request(request: HttpRequest, actor: Actor, number: int) -> HttpResponse:
    """The assigned investigator asks a supervisor to see who wrote the complaint."""
    posted = {"reason": request.POST.get("reason", "")}
    try:
        request_complaint_identity(actor, number, posted["reason"])
    except DomainError as exc:
        return _failed(
            request, actor, number, "request_identity", pgettext("staff", str(exc)), posted
        )
    notice = pgettext("staff", "The request was sent; a supervisor will decide.")
    return _after(request, actor, number, notice)


@require_POST
@staff_page(Operation.COMPLAINT_VIEW)
def identity_decision(request: HttpRequest, actor: Actor, number: int) -> HttpResponse:
    """A supervisor lets the investigator who asked see who wrote the complaint, or not."""
    posted = {
        "decision": request.POST.get("decision", ""),
        "reason": request.POST.get("reason", ""),
    }
    try:
        if posted["decision"] not in ("approve", "reject"):
            raise DomainError(pgettext("staff", "Choose to approve or to reject the request."))
        decide_identity_request(
            actor, number, approve=posted["decision"] == "approve", reason=posted["reason"]
        )
    except DomainError as exc:
        return _failed(
            request, actor, number, "decide_identity", pgettext("staff", str(exc)), posted
        )
    if posted["decision"] == "approve":
        notice = pgettext("staff", "The investigator may now see the contact details.")
    else:
        notice = pgettext("staff", "The request was rejected.")
    return _after(request, actor, number, notice)


@require_POST
@staff_page(Operation.COMPLAINT_VIEW)
def split(request: HttpRequest, actor: Actor, number: int) -> HttpResponse:
    """A case for each problem of the complaint that is ticked (and has none yet)."""
    chosen = request.POST.getlist("category")
    try:
        made = split_complaint(actor, number, chosen)
    except DomainError as exc:
        return _failed(request, actor, number, "split", pgettext("staff", str(exc)), {})
    notice = pgettext("staff", "Cases opened: %(references)s.") % {
        "references": ", ".join(case.reference for case in made)
    }
    return _after(request, actor, number, notice)


@require_POST
@staff_page(Operation.COMPLAINT_VIEW)
def mark_as_read(request: HttpRequest, actor: Actor, number: int) -> HttpResponse:
    """The complainant's messages were read and need no reply."""
    try:
        mark_read(actor, number)
    except DomainError as exc:
        return _failed(request, actor, number, "read", pgettext("staff", str(exc)), {})
    return _after(request, actor, number, pgettext("staff", "The messages were marked as read."))
