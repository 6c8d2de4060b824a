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

from django.conf import settings
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
        return memory + FORM_OVERHEAD, memory
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


def _holds_nul(request: HttpRequest) -> bool:
    """A NUL character anywhere a text value comes from: the path, the query, the form
    fields (not the files), a JSON body. No field may hold one, and PostgreSQL refuses
    them: left in, one would end as an error page instead of a plain refusal."""
    if "\x00" in request.path_info:
        return True
    for values in (request.GET,):
        if any("\x00" in key or any("\x00" in v for v in values.getlist(key)) for key in values):
            return True
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    kind = request.META.get("CONTENT_TYPE", "").lower()
    if kind.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        form = request.POST
        return any("\x00" in key or any("\x00" in v for v in form.getlist(key)) for key in form)
    if kind.startswith("application/json"):
        body = request.body
        return b"\x00" in body or b"\\u0000" in body.lower()
    return False


def refuse_nul(get_response: Handler) -> Handler:
    """400 for a request with a NUL character in any text it sends (see `_holds_nul`)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if not _holds_nul(request):
            return get_response(request)
        if request.path.startswith("/api/"):
            body = {
                "error": {
                    "code": "bad_request",
                    "message": "the request holds a NUL character, which no field may contain",
                    "field": None,
                }
            }
            return JsonResponse(body, status=400)
        return render(request, "nadzor/errors/bad_request.html", status=400)

    return middleware
