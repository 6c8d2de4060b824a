"""Error pages that say what happened in plain words, in the page's language."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

__all__ = [
    "api_not_found",
    "csrf_failure",
    "forbidden",
    "not_found",
    "server_error",
]


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "nadzor/errors/csrf.html", status=403)


def api_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Unknown paths under /api/v1/ answer in the API's error shape, not with an HTML page."""
    from django.http import JsonResponse

    body = {"error": {"code": "not_found", "message": "no such API endpoint", "field": None}}
    return JsonResponse(body, status=404)


# Django's own pages for these are English and bare; a person gets the site's page in the
# language of the request (the API's answers are shaped by `api_errors` before these run).


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "nadzor/errors/not_found.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "nadzor/errors/forbidden.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        return render(request, "nadzor/errors/server_error.html", status=500)
    except Exception:  # the page itself failed (the database may be down): plain words
        from django.utils.html import escape
        from django.utils.translation import gettext

        text = escape(
            gettext("The server could not finish this request. Please try again in a few minutes.")
        )
        return HttpResponse(f"<!doctype html><p>{text}</p>", status=500)
