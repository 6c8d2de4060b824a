"""Request middleware: the language from `?lang=` (no cookie), and strict security headers."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from nadzor.web._settings import LANGUAGES

__all__ = ["CONTENT_SECURITY_POLICY", "language_from_query", "pick_language", "security_headers"]

Handler = Callable[[HttpRequest], HttpResponse]

_CODES = [code for code, _ in LANGUAGES]

# Everything comes from this server: no third-party fonts, scripts or analytics, no inline
# script or style, no framing.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)
_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), interest-cohort=()"
# The interactive API docs page loads its own script and styles from this server too.
_DOCS_POLICY = CONTENT_SECURITY_POLICY.replace(
    "style-src 'self'", "style-src 'self' 'unsafe-inline'"
)


def pick_language(request: HttpRequest, codes: Sequence[str] | None = None) -> str:
    """`?lang=` when it names one of `codes` (the site's languages unless given), else the
    browser's Accept-Language, else the first of them (Russian)."""
    codes = _CODES if codes is None else codes
    asked = request.GET.get("lang", "")
    if asked in codes:
        return asked
    for tag, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        primary = tag.split("-")[0].lower()
        if primary in codes:
            return primary
    return codes[0]


def language_from_query(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        code = pick_language(request)
        translation.activate(code)
        request.LANGUAGE_CODE = code  # type: ignore[attr-defined]
        response = get_response(request)
        response.headers.setdefault("Content-Language", code)
        vary = response.headers.get("Vary", "")
        if "Accept-Language" not in vary:
            response.headers["Vary"] = f"{vary}, Accept-Language" if vary else "Accept-Language"
        translation.deactivate()
        return response

    return middleware


def security_headers(get_response: Handler) -> Handler:
    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        docs = request.path.startswith("/api/v1/docs")
        response.headers.setdefault(
            "Content-Security-Policy", _DOCS_POLICY if docs else CONTENT_SECURITY_POLICY
        )
        response.headers.setdefault("Permissions-Policy", _PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if not request.path.startswith("/static/"):
            # Status pages show a complainant's messages: nothing may be kept in caches.
            response.headers["Cache-Control"] = "no-store"
        return response

    return middleware
