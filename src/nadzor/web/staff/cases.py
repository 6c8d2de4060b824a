"""The case list: filters as GET parameters, overdue first, then by deadline; paginated.

The filter form works as a plain GET form; with JavaScript, HTMX asks for the table alone
(`HX-Request`) and swaps it in place, keeping the address in the browser's history.
"""

from __future__ import annotations

import time

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils.translation import pgettext

from nadzor.accounts.services import list_users
from nadzor.cases.domain import Actor, Kind, Operation, Role, Status
from nadzor.cases.services import CaseFilters, list_cases, visible_cases
from nadzor.web.staff._access import is_htmx, render_staff, staff_page
from nadzor.web.staff._deadlines import mark_cases

__all__ = ["PER_PAGE", "assignable_names", "case_list"]

PER_PAGE = 25
_TRUE = ("1", "on", "true", "yes")
_STATUSES = [s.value for s in Status]
_KINDS = [k.value for k in Kind]


def assignable_names() -> list[str]:
    """Active investigators and supervisors: who a case may be assigned to."""
    roles = (Role.INVESTIGATOR.value, Role.SUPERVISOR.value)
    return [u.username for u in list_users() if u.is_active and u.role in roles]


@staff_page(Operation.CASE_VIEW)
def case_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    asked = {
        name: request.GET.get(name, "").strip()[:200]
        for name in ("status", "kind", "region", "assignee")
    }
    overdue = request.GET.get("overdue", "").lower() in _TRUE
    errors = {}
    if asked["status"] and asked["status"] not in _STATUSES:
        errors["status"] = pgettext("staff", "Choose a status from the list.")
    if asked["kind"] and asked["kind"] not in _KINDS:
        errors["kind"] = pgettext("staff", "Choose a kind from the list.")
    filters = CaseFilters(
        status=None if "status" in errors else asked["status"] or None,
        kind=None if "kind" in errors else asked["kind"] or None,
        region=asked["region"] or None,
        assignee=asked["assignee"] or None,
        overdue=overdue,
    )
    page = Paginator(list_cases(actor, filters), PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = mark_cases(page.object_list)
    context = {
        "page": page,
        "asked": asked,
        "overdue": overdue,
        "errors": errors,
        "filtered": any(asked.values()) or overdue,
    }
    if is_htmx(request):
        return render_staff(request, actor, "nadzor/staff/_cases_table.html", context)
    context.update(
        statuses=_STATUSES,
        kinds=_KINDS,
        regions=_regions(actor),
        assignees=assignable_names(),
    )
    return render_staff(request, actor, "nadzor/staff/cases.html", context)


# The region filter's choices: a scan of every visible case, so kept for a minute per
# process and per person (each sees different cases). A region new within the minute can
# still be typed into the filter.
_REGIONS_TTL = 60.0
_regions_seen: dict[Actor, tuple[float, list[str]]] = {}


def _regions(actor: Actor) -> list[str]:
    now = time.monotonic()
    cached = _regions_seen.get(actor)
    if cached and now - cached[0] < _REGIONS_TTL:
        return cached[1]
    rows = visible_cases(actor).order_by("region").values_list("region", flat=True).distinct()
    regions = [region for region in rows if region]
    if len(_regions_seen) > 1000:
        _regions_seen.clear()
    _regions_seen[actor] = (now, regions)
    return regions
