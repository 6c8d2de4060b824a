"""Request bodies are refused by their declared length before a byte of them is read.

Django checks DATA_UPLOAD_MAX_MEMORY_SIZE only for form fields, and writes uploaded files
to temporary files as they arrive: a 1 GiB multipart POST would be on disk in full before
any view could look at it. This middleware answers 413 from the `Content-Length` header
alone, before the CSRF check or a view parses the body, so an oversized body is never read.

The cap depends on who asks: a signed-in staff member (session or API token) may send one
evidence file; everyone else what the complaint desk accepts at most (every attachment at
its largest); a body that is not multipart, what Django keeps in memory. A request without
`Content-Length` (chunked) has no body for Django: it reads none of it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat

__all__ = ["FORM_OVERHEAD", "cap_for", "refuse_nul", "request_body_limit"]

Handler = Callable[[HttpRequest], HttpResponse]

# room for the form's other fields and the multipart framing around the files
FORM_OVERHEAD = 256 * 1024


def _declared_length(request: HttpRequest) -> int | None:
    raw = request.META.get("CONTENT_LENGTH") or ""
    try:
        length = int(raw)
    except ValueError:
        return None
    return length if length >= 0 else None


def _is_staff(request: HttpRequest) -> bool:
    """Whether the caller is signed in (a session) or sends a valid API token."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        from nadzor.accounts.services import authenticate_token

        return authenticate_token(header[7:].strip()) is not None
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False  # no database look-up for the anonymous public
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_active)


def _per_file(request: HttpRequest, staff: bool) -> int:
    if staff:
        return int(settings.NADZOR_EVIDENCE_MAX_BYTES)
    from nadzor.complaints.services import attachment_limits

    return attachment_limits().max_bytes


def cap_for(request: HttpRequest) -> tuple[int, int]:
    """(the largest body this request may have, the largest file in it)."""
    memory = int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0)
    multipart = request.META.get("CONTENT_TYPE", "").lower().startswith("multipart/")
    if not multipart:
        return memory, memory  # exactly Django's own limit for a body it keeps in memory
    staff = _is_staff(request)
    per_file = _per_file(request, staff)
    if staff:
        return per_file + FORM_OVERHEAD, per_file
    from nadzor.complaints.services import attachment_limits

    return attachment_limits().max_files * per_file + FORM_OVERHEAD, per_file


def request_body_limit(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        length = _declared_length(request)
        if length:
            cap, per_file = cap_for(request)
            if length > cap:
                return _too_large(request, per_file)
        return get_response(request)

    return middleware


def _too_large(request: HttpRequest, per_file: int) -> HttpResponse:
    # The body is left unread: the server drops the connection rather than drain it.
    limit = filesizeformat(per_file)
    if request.path.startswith("/api/"):
        body = {
            "error": {
                "code": "too_large",
                "message": f"the request body is too large: files may have at most {limit} each",
                "field": None,
            }
        }
        response: HttpResponse = JsonResponse(body, status=413)
    else:
        response = render(request, "nadzor/errors/too_large.html", {"limit": limit}, status=413)
    response["Connection"] = "close"
    return response


_PATH = "<path>"
_BODY = "<body>"


def _nul_in(request: HttpRequest) -> str | None:
    """Where a NUL character is in the text a request sends: the path, a query or form
    field (its name), a JSON body; None when nowhere. No field may hold one, and PostgreSQL
    refuses them: left in, one would end as an error page instead of a plain refusal."""
    if "\x00" in request.path_info:
        return _PATH
    found = _nul_field(request.GET)
    if found is not None or request.method not in ("POST", "PUT", "PATCH"):
        return found
    kind = request.META.get("CONTENT_TYPE", "").lower()
    if kind.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        return _nul_field(request.POST)  # the form's fields, not its files
    if kind.startswith("application/json"):
        try:
            body = request.body
        except RequestDataTooBig:
            return None  # the view answers 413 for it
        return _BODY if b"\x00" in body or b"\\u0000" in body.lower() else None
    return None


def _nul_field(values: Any) -> str | None:
    for key in values:
        if "\x00" in key or any("\x00" in value for value in values.getlist(key)):
            return str(key).replace("\x00", "")
    return None


def refuse_nul(get_response: Handler) -> Handler:
    """A NUL character anywhere: a plain 400 page; under /api/ the answers the API documents
    (a path that cannot exist: 404; a field: 422 naming it)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        where = _nul_in(request)
        if where is None:
            return get_response(request)
        if not request.path.startswith("/api/"):
            return render(request, "nadzor/errors/bad_request.html", status=400)
        if where == _PATH:
            body = {"error": {"code": "not_found", "message": "nothing here", "field": None}}
            return JsonResponse(body, status=404)
        field = None if where == _BODY else where
        message = "no field may contain a NUL character"
        body = {
            "error": {
                "code": "invalid",
                "message": f"{field}: {message}" if field else message,
                "field": field,
            }
        }
        return JsonResponse(body, status=422)

    return middleware
