"""The transparency page: public reports as supervisors published them (no login)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from nadzor.reports.services import published_reports

__all__ = ["transparency"]

_EARLIER = 50


@require_GET
def transparency(request: HttpRequest, number: int | None = None) -> HttpResponse:
    reports = published_reports()
    shown = reports.filter(pk=number).first() if number is not None else reports.first()
    if number is not None and shown is None:
        raise Http404
    earlier = [r for r in reports[: _EARLIER + 1] if shown is None or r.pk != shown.pk][:_EARLIER]
    context = {"shown": shown, "content": shown.content if shown else None, "earlier": earlier}
    return render(request, "nadzor/public/transparency.html", context)
