"""Error pages that say what happened in plain words, in the page's language."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

__all__ = ["api_not_found", "csrf_failure"]


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "nadzor/errors/csrf.html", status=403)


def api_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Unknown paths under /api/v1/ answer in the API's error shape, not with an HTML page."""
    from django.http import JsonResponse

    body = {"error": {"code": "not_found", "message": "no such API endpoint", "field": None}}
    return JsonResponse(body, status=404)
