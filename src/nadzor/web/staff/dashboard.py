"""The landing page of each role, the dashboard's figures, and the administrator's page.

- supervisor: the dashboard (counts by status, kind and region, overdue first) and the
  most urgent open cases;
- analyst: the same counts only: no case, no reference, no personal data;
- intake: the triage inbox; investigator: the case list;
- admin: the users and how accounts are managed; no case content.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from nadzor.accounts.services import list_users
from nadzor.cases.domain import Actor, Operation, Role, Status, may
from nadzor.cases.services import CaseFilters, list_cases
from nadzor.complaints.services import identity_requests
from nadzor.reports.services import figures
from nadzor.web.staff._access import can_approve, redirect_to, render_staff, staff_page
from nadzor.web.staff._deadlines import mark_cases

__all__ = ["index"]

_URGENT = 10


@staff_page()
def index(request: HttpRequest, actor: Actor) -> HttpResponse:
    if may(actor, Operation.REPORTS_VIEW):
        context: dict[str, object] = {"figures": figures(actor)}
        if may(actor, Operation.CASE_VIEW):
            urgent = [
                case
                for case in list_cases(actor, CaseFilters())[: _URGENT * 2]
                if Status(case.status).is_open
            ][:_URGENT]
            context["urgent"] = mark_cases(urgent)
        context["can_approve"] = can_approve(actor)
        if may(actor, Operation.IDENTITY_DECIDE):
            context["identity_requests"] = identity_requests(actor).count()
        return render_staff(request, actor, "nadzor/staff/dashboard.html", context)
    if actor.role == Role.INTAKE:
        return redirect_to(request, "staff:inbox")
    if may(actor, Operation.CASE_VIEW):
        return redirect_to(request, "staff:cases")
    if may(actor, Operation.USERS_MANAGE):
        context = {"users": list_users(), "now_utc": timezone.now()}
        return render_staff(request, actor, "nadzor/staff/admin.html", context)
    return render_staff(request, actor, "nadzor/staff/forbidden.html", status=403)
