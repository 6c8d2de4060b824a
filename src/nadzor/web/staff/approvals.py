"""The supervisor's approvals: the closures as unfounded (and remedies needing approval)
that investigators have requested, and their requests to see who wrote a complaint."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from nadzor.cases.domain import Actor, Denied
from nadzor.cases.services import CaseFilters, list_cases
from nadzor.complaints.services import identity_requests
from nadzor.web.staff._access import can_approve, render_staff, staff_page
from nadzor.web.staff._deadlines import mark_cases

__all__ = ["approvals", "render_approvals"]


def render_approvals(
    request: HttpRequest,
    actor: Actor,
    *,
    failed: str = "",
    error: str = "",
    posted: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The pending closure requests, most urgent first; `failed` names the case whose
    decision was refused with `error`."""
    if not can_approve(actor):
        raise Denied("only a supervisor decides closures")
    pending = list_cases(actor, CaseFilters()).filter(closure_requested_by__isnull=False)
    rows = mark_cases(pending.select_related("closure_requested_by"))
    context = {
        "pending": rows,
        "identity_pending": list(identity_requests(actor)),
        "failed": failed,
        "error": error,
        "posted": posted or {},
    }
    return render_staff(request, actor, "nadzor/staff/approvals.html", context, status=status)


@require_GET
@staff_page(can_approve)
def approvals(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render_approvals(request, actor)
