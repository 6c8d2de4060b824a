"""The case list: filters as GET parameters, overdue first, then by deadline; paginated.

The filter form works as a plain GET form; with JavaScript, HTMX asks for the table alone
(`HX-Request`) and swaps it in place, keeping the address in the browser's history.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language, pgettext

from nadzor.accounts.services import list_users
from nadzor.cases.domain import (
    OTHER_REGION,
    REGIONS,
    Actor,
    Kind,
    Operation,
    Role,
    Status,
    find_region,
    region_name,
)
from nadzor.cases.services import CaseFilters, list_cases
from nadzor.web.staff._access import is_htmx, render_staff, staff_page
from nadzor.web.staff._deadlines import mark_cases

__all__ = ["PER_PAGE", "assignable_names", "case_list", "region_choices"]

PER_PAGE = 25
_TRUE = ("1", "on", "true", "yes")
_STATUSES = [s.value for s in Status]
_KINDS = [k.value for k in Kind]


def assignable_names() -> list[str]:
    """Active investigators and supervisors: who a case may be assigned to."""
    roles = (Role.INVESTIGATOR.value, Role.SUPERVISOR.value)
    return [u.username for u in list_users() if u.is_active and u.role in roles]


def region_choices() -> list[tuple[str, str]]:
    """The region filter's choices: every federal subject (the value its Russian name, as
    cases store it; the label in the page's language), then "other"."""
    language = (get_language() or "ru").split("-")[0]
    rows = [(r.ru, region_name(r, language)) for r in REGIONS]
    rows.sort(key=lambda row: _alphabetical(row[1]))
    return [*rows, (OTHER_REGION, pgettext("staff", "another place (not in the list)"))]


# Cyrillic letters in the order of the Ukrainian and Russian alphabets: code-point order puts
# Є, І, Ї and Ґ before А.
_ALPHABET = "абгґдеєёжзиіїйклмнопрстуфхцчшщъыьэюя"


def _alphabetical(name: str) -> tuple[int, ...]:
    return tuple(
        _ALPHABET.index(ch) if ch in _ALPHABET else 100 + ord(ch) for ch in name.casefold()
    )


def default_scope(actor: Actor) -> str:
    """An investigator starts on their own cases; everyone else on every case they see."""
    return "mine" if actor.role == Role.INVESTIGATOR else "all"


@staff_page(Operation.CASE_VIEW)
def case_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    asked = {
        name: request.GET.get(name, "").strip()[:200]
        for name in ("status", "kind", "region", "assignee", "q")
    }
    region = find_region(asked["region"])
    if region is not None:  # any of its names chooses it in the list
        asked["region"] = region.ru
    overdue = request.GET.get("overdue", "").lower() in _TRUE
    unread = request.GET.get("unread", "").lower() in _TRUE
    scope = request.GET.get("scope", "")
    if scope not in ("mine", "all"):
        scope = default_scope(actor)
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
        mine=scope == "mine",
        unread=unread,
        q=asked["q"],
    )
    page = Paginator(list_cases(actor, filters), PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = mark_cases(page.object_list)
    context = {
        "page": page,
        "asked": asked,
        "overdue": overdue,
        "unread": unread,
        "scope": scope,
        "errors": errors,
        "filtered": any(asked.values()) or overdue or unread,
    }
    if is_htmx(request):
        return render_staff(request, actor, "nadzor/staff/_cases_table.html", context)
    regions = region_choices()
    context.update(
        statuses=_STATUSES,
        kinds=_KINDS,
        regions=regions,
        region_known=not asked["region"] or asked["region"] in {v for v, _ in regions},
        assignees=assignable_names(),
    )
    return render_staff(request, actor, "nadzor/staff/cases.html", context)
