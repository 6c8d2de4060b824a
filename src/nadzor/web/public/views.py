"""Public pages: no account, no cookie before submission except CSRF's, no third-party resource.

The receipt code travels only in POST bodies: the status form sends it, and the status page
carries it in a hidden field of its reply form, so that no session and no cookie are needed
and the code never appears in a URL. It is not logged (the views mark every posted field
as sensitive for Django's error reports) and not stored (the service keeps two hashes).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import pgettext
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods

from nadzor.complaints import services
from nadzor.complaints.domain import CODE_DIGITS, format_code, normalize_code
from nadzor.complaints.services import AlreadyReceivedError, InputErrors, NotFound, PublicStatus
from nadzor.web.public.field_errors import by_field
from nadzor.web.public.forms import (
    CATEGORIES,
    complaint_input,
    describe_limits,
    kept_values,
    reason_groups,
    uploads,
)
from nadzor.web.public.statuses import remedy_words, status_words
from nadzor.web.ratelimit import client_address, not_judged_on_outage, status_lookups

__all__ = ["home", "new_complaint", "reason_field", "receipt", "status", "status_reply"]

_CODE_FIELD = "code"
# the complaint form's one-time value: the same form sent again creates nothing
_NONCE_FIELD = "form_id"
_NONCE_MAX = 64
NBSP = "\u00a0"


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "nadzor/public/home.html")


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()
@sensitive_variables()
def new_complaint(request: HttpRequest) -> HttpResponse:
    limits = services.attachment_limits()
    if request.method != "POST":
        return _complaint_form(request, values={}, errors={})
    values = kept_values(request.POST)
    nonce = request.POST.get(_NONCE_FIELD, "")[:_NONCE_MAX]
    files = request.FILES.getlist("attachments")
    try:
        submitted = services.submit(
            complaint_input(request.POST),
            uploads(files),
            language=_language(request),
            nonce=nonce,
        )
    except AlreadyReceivedError:
        # a reload, a double click or Back: the first sending was stored, its code shown
        # once on that answer; nothing new is created and no code is shown here
        return render(request, "nadzor/public/already_received.html", status=409)
    except InputErrors as exc:
        categories = values["categories"]
        errors = by_field(exc.errors, limits, category=categories[0] if categories else "")
        return _complaint_form(
            request,
            values=values,
            errors=errors,
            files_dropped=bool(files),
            nonce=nonce,
            status=400,
        )
    return _receipt_page(request, submitted.code)


def _receipt_page(request: HttpRequest, code: str, *, status: int = 200) -> HttpResponse:
    status_url = request.build_absolute_uri(reverse("public:status"))
    context = {
        "receipt": _unbroken_halves(format_code(code)),
        "receipt_code": code,
        "status_url": status_url,
    }
    return render(request, "nadzor/public/sent.html", context, status=status)


@require_http_methods(["POST"])
@sensitive_post_parameters()
@sensitive_variables()
def receipt(request: HttpRequest) -> HttpResponse:
    """The receipt page again in another language (`?lang=`), for the code that page posts
    back: the code stays in the body of a POST, never in an address, and is looked up
    nowhere (this only shows the digits it was sent)."""
    code = normalize_code(request.POST.get(_CODE_FIELD, ""))
    if code is None or len(code) != CODE_DIGITS:
        return HttpResponseRedirect(
            f"{reverse('public:status')}?{urlencode({'lang': _language(request)})}"
        )
    return _receipt_page(request, code)


def _unbroken_halves(grouped: str) -> str:
    """`1234 5678 9012 3456` with no-break spaces inside each half, so that a narrow screen
    breaks the code two groups and two groups, never three and one (the code is read back
    with any spaces)."""
    groups = grouped.split(" ")
    half = len(groups) // 2
    return f"{NBSP.join(groups[:half])} {NBSP.join(groups[half:])}"


def _complaint_form(
    request: HttpRequest,
    *,
    values: dict[str, str],
    errors: dict[str, list[str]],
    files_dropped: bool = False,
    nonce: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "categories": CATEGORIES,
        "reason": _reason_context(None, values.get("reasons", []), errors.get("reason")),
        "values": values,
        "nonce": nonce or secrets.token_urlsafe(24),
        "errors": errors,
        "files_dropped": files_dropped,
        "limits": describe_limits(services.attachment_limits()),
    }
    return render(request, "nadzor/public/new.html", context, status=status)


def _reason_context(
    categories: list[str] | None, selected: list[str], errors: list[str] | None = None
) -> dict[str, Any]:
    return {
        "groups": reason_groups(categories),
        "narrowed": categories is not None,
        "selected": selected,
        "errors": errors or [],
    }


@require_GET
def reason_field(request: HttpRequest) -> HttpResponse:
    """The reason selects for the chosen categories (HTMX swaps them in when the choice
    changes; without JavaScript the form shows every group)."""
    known = {str(value) for value, _label, _hint in CATEGORIES}
    chosen = [c for c in request.GET.getlist("category") if c in known]
    context = {"reason": _reason_context(chosen or None, request.GET.getlist("reason"))}
    return render(request, "nadzor/public/_reason_field.html", context)


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()
@sensitive_variables()
def status(request: HttpRequest) -> HttpResponse:
    """The code form (GET); the complaint's status for a code sent by POST."""
    if request.method != "POST":
        return _lookup_form(request)
    code = request.POST.get(_CODE_FIELD, "")
    if not code.strip():
        return _lookup_form(request, code_error=_no_code(), status=400)
    address = client_address(request)
    wait = status_lookups.begin(address)
    if wait:
        return _rate_limited(request, wait)
    with not_judged_on_outage(address):
        found = services.status_of(code)
    if found is None:
        return _not_found(request, code)
    status_lookups.succeeded(address)
    return _status_page(request, code, found)


@require_http_methods(["GET", "POST"])
@sensitive_post_parameters()
@sensitive_variables()
def status_reply(request: HttpRequest) -> HttpResponse:
    """A message or files from the complainant, posted from the status page with the code."""
    if request.method != "POST":
        return HttpResponseRedirect(
            f"{reverse('public:status')}?{urlencode({'lang': _language(request)})}"
        )
    code = request.POST.get(_CODE_FIELD, "")
    if not code.strip():
        return _lookup_form(request, code_error=_no_code(), status=400)
    address = client_address(request)
    wait = status_lookups.begin(address)
    if wait:
        return _rate_limited(request, wait)
    text = request.POST.get("text", "")
    files = request.FILES.getlist("attachments")
    try:
        with not_judged_on_outage(address):
            services.add_public_message(code, text, uploads(files))
    except NotFound:
        return _not_found(request, code)
    except InputErrors as exc:
        status_lookups.succeeded(address)  # the code was right; the message was not
        found = services.status_of(code)
        if found is None:  # the complaint went away meanwhile
            return _not_found(request, code)
        errors = by_field(exc.errors, services.attachment_limits())
        return _status_page(
            request,
            code,
            found,
            reply={"text": text},
            reply_errors=errors,
            files_dropped=bool(files),
            status=400,
        )
    status_lookups.succeeded(address)
    found = services.status_of(code)
    if found is None:
        return _not_found(request, code)
    return _status_page(request, code, found, sent=True)


def _lookup_form(
    request: HttpRequest, *, code: str = "", code_error: str = "", status: int = 200
) -> HttpResponse:
    context = {"code": code, "code_error": code_error}
    return render(request, "nadzor/public/status_lookup.html", context, status=status)


def _not_found(request: HttpRequest, code: str) -> HttpResponse:
    """The one answer for a wrong, an unknown or a malformed code."""
    message = pgettext(
        "public desk",
        "No complaint was found with this code. Check that all 16 digits are typed correctly.",
    )
    return _lookup_form(request, code=code, code_error=message, status=404)


def _no_code() -> str:
    return pgettext("public desk", "Type the receipt code you were given: 16 digits.")


def _status_page(
    request: HttpRequest,
    code: str,
    found: PublicStatus,
    *,
    reply: dict[str, str] | None = None,
    reply_errors: dict[str, list[str]] | None = None,
    files_dropped: bool = False,
    sent: bool = False,
    status: int = 200,
) -> HttpResponse:
    title, meaning = status_words(found.status)
    context = {
        "code": code,
        "status": found,
        "status_title": title,
        "status_meaning": meaning,
        "remedy": remedy_words(found.remedy),
        "messages_list": found.messages,
        "reply": reply or {},
        "errors": reply_errors or {},
        "files_dropped": files_dropped,
        "sent": sent,
        "limits": describe_limits(services.attachment_limits()),
    }
    return render(request, "nadzor/public/status.html", context, status=status)


def _rate_limited(request: HttpRequest, wait: int) -> HttpResponse:
    minutes = max(1, -(-wait // 60))
    response = render(request, "nadzor/public/rate_limited.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _language(request: HttpRequest) -> str:
    return str(getattr(request, "LANGUAGE_CODE", "ru"))
