"""Who is asking: the login requirement, the role checks, and pages that reveal nothing.

Every staff view is wrapped in `staff_page`: an anonymous visitor is sent to the login page
(and back afterwards); a signed-in user becomes a domain `Actor`, and a role the page is not
for gets a plain 403 page. A `Denied` raised by a service while the page is built (a case
the actor may not open, or one that does not exist) gets the same page, so a refusal says
nothing about whether the object exists.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Concatenate
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from nadzor.cases.domain import Actor, Denied, Operation, Scope, Status, may
from nadzor.cases.services import NotFound, actor_of
from nadzor.intake.domain import IntakeOp, may_intake

__all__ = [
    "StaffView",
    "can_approve",
    "forbidden",
    "is_htmx",
    "nav_for",
    "not_found",
    "page_url",
    "redirect_to",
    "render_staff",
    "safe_next",
    "staff_page",
]

StaffView = Callable[Concatenate[HttpRequest, Actor, ...], HttpResponse]
Check = Callable[[Actor], bool]


def can_approve(actor: Actor) -> bool:
    """Whether the actor decides requests that await a supervisor (the permission table's
    `case.approve`, which `approve_closure` asks too)."""
    return may(actor, Operation.CASE_APPROVE)


def allows(op: Operation) -> Check:
    """A page for the roles that may do `op` at all (on some object, or on the list)."""

    def check(actor: Actor) -> bool:
        return may(actor, op) or _may_on_some(actor, op)

    return check


def _may_on_some(actor: Actor, op: Operation) -> bool:
    """Whether `op` is allowed on at least one kind of object (own or early cases)."""
    return any(
        may(actor, op, Scope(assignee=assignee, status=status))
        for status in Status
        for assignee in (None, actor.name)
    )


def nav_for(actor: Actor) -> dict[str, bool]:
    """Which sections the actor's navigation shows: only the pages they may open."""
    return {
        "dashboard": may(actor, Operation.REPORTS_VIEW),
        "inbox": may(actor, Operation.COMPLAINT_VIEW),
        "cases": may(actor, Operation.CASE_VIEW),
        "approvals": can_approve(actor),
        "intake": may_intake(actor, IntakeOp.VIEW),
        "users": may(actor, Operation.USERS_MANAGE),
    }


def lang_of(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", "ru")


def page_url(request: HttpRequest, name: str, *args: Any, **params: Any) -> str:
    """The URL of view `name` with the page's `?lang=` (and other non-empty parameters)."""
    query = {"lang": lang_of(request), **{k: v for k, v in params.items() if v not in (None, "")}}
    return f"{reverse(name, args=args)}?{urlencode(query)}"


def redirect_to(request: HttpRequest, name: str, *args: Any, **params: Any) -> HttpResponse:
    return HttpResponseRedirect(page_url(request, name, *args, **params))


def safe_next(request: HttpRequest, candidate: str) -> str | None:
    """`candidate` when it is a staff page of this site, else None (no open redirects)."""
    if not candidate or not candidate.startswith("/staff/") or candidate.startswith("//"):
        return None
    if not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return candidate


def is_htmx(request: HttpRequest) -> bool:
    """A request made by HTMX for part of a page (not a history restore, which wants it all)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render_staff(
    request: HttpRequest,
    actor: Actor | None,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    full = {"actor": actor, "nav": nav_for(actor) if actor else {}, **(context or {})}
    return render(request, template, full, status=status)


def forbidden(request: HttpRequest, actor: Actor | None) -> HttpResponse:
    """The same plain page for every refusal: no object, no rule, no hint."""
    return render_staff(request, actor, "nadzor/staff/forbidden.html", status=403)


def not_found(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render_staff(request, actor, "nadzor/staff/not_found.html", status=404)


def _to_login(request: HttpRequest) -> HttpResponse:
    params = {"lang": lang_of(request)}
    if request.method == "GET":
        params["next"] = request.get_full_path()
    target = f"{reverse('staff:login')}?{urlencode(params)}"
    if is_htmx(request):
        # HTMX would swap the login page into a fragment: send the whole window there.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return HttpResponseRedirect(target)


def staff_page(
    check: Check | Operation | None = None,
) -> Callable[[StaffView], Callable[..., HttpResponse]]:
    """Wrap a view `view(request, actor, ...)`: login required, then `check` on the role."""
    allowed: Check | None = allows(check) if isinstance(check, Operation) else check

    def wrap(view: StaffView) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return _to_login(request)
            try:
                actor = actor_of(user)  # type: ignore[arg-type]
            except ValueError:  # an account without a nadzor role
                return forbidden(request, None)
            if allowed is not None and not allowed(actor):
                return forbidden(request, actor)
            try:
                return view(request, actor, *args, **kwargs)
            except Denied:
                return forbidden(request, actor)
            except NotFound:
                return not_found(request, actor)

        return inner

    return wrap
