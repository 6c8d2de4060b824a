"""Signing in and out of the staff workspace (Django sessions).

Passwords are checked by `nadzor.accounts.services.check_login`, which records every attempt
as `user.login`. The page gives the same answer for an unknown name and a wrong password, so
it does not tell which names exist. Before a password is hashed the sign-in throttle counts
the attempt (`nadzor.web.login_throttle`): a client that failed too often, or a flood from
everywhere, gets 429 and a time to wait, and no hashing is done for it. No account is locked.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login as start_session
from django.contrib.auth import logout as end_session
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from nadzor.accounts.services import check_login
from nadzor.web.login_throttle import sign_ins
from nadzor.web.ratelimit import client_address
from nadzor.web.staff._access import redirect_to, render_staff, safe_next

__all__ = ["login", "logout"]

# A longer password cannot be anyone's (account passwords have at most 1024 characters);
# cutting it here bounds the hashing work one request can ask for, and it still fails.
_PASSWORD_CHARS = 1025
_NAME_CHARS = 150


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    target = safe_next(request, request.POST.get("next") or request.GET.get("next", ""))
    if request.user.is_authenticated and request.method == "GET":
        return HttpResponseRedirect(target) if target else redirect_to(request, "staff:index")
    context: dict[str, object] = {
        "next": target or "",
        "name": "",
        "errors": {},
        "failed": False,
        "wait_minutes": 0,
    }
    if request.method == "GET":
        return render_staff(request, None, "nadzor/staff/login.html", context)
    name = request.POST.get("name", "")[:_NAME_CHARS]
    password = request.POST.get("password", "")[:_PASSWORD_CHARS]
    context["name"] = name
    errors = {}
    if not name.strip():
        errors["name"] = pgettext("staff", "Enter your user name.")
    if not password:
        errors["password"] = pgettext("staff", "Enter your password.")
    if errors:
        context["errors"] = errors
        return render_staff(request, None, "nadzor/staff/login.html", context, status=400)
    address = client_address(request)
    wait = sign_ins.begin(address)
    if wait:
        context["wait_minutes"] = max(1, (wait + 59) // 60)
        response = render_staff(request, None, "nadzor/staff/login.html", context, status=429)
        response["Retry-After"] = str(wait)
        return response
    try:
        user = check_login(name, password)
    except DatabaseError:
        sign_ins.release(address)
        raise
    if user is None:
        sign_ins.failed()
        context["failed"] = True
        return render_staff(request, None, "nadzor/staff/login.html", context, status=400)
    sign_ins.succeeded(address)
    start_session(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return HttpResponseRedirect(target) if target else redirect_to(request, "staff:index")


@require_POST
@csrf_protect
def logout(request: HttpRequest) -> HttpResponse:
    end_session(request)
    messages.info(request, pgettext("staff", "You are signed out."))
    return redirect_to(request, "staff:login")
