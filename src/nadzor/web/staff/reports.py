"""The reports page: filters, figures with charts, downloads, the list behind each figure,
and the supervisor's publish step.

Supervisors see the cases or complaints behind a figure; analysts see the same list in its
aggregate-only form: the count, and counts by status and region (no reference, no text).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from nadzor.cases.domain import Actor, Operation, may, visible_to
from nadzor.cases.services import BadInput
from nadzor.reports.services import (
    FORMATS,
    ReportOptions,
    build_report,
    figure_title,
    items,
    make_report,
    measure,
    measured_findings,
    parse_options,
    publish_report,
    render,
    render_body,
    sum_of,
)
from nadzor.web.staff._access import forbidden, redirect_to, render_staff, staff_page

__all__ = ["download", "figure_list", "publish", "reports_page"]

_PER_PAGE = 100
_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


_PERIOD_WRONG = pgettext_lazy(
    "report",
    "Give the period as two dates, the second not before the first, at most three years apart.",
)


def _default_period() -> tuple[str, str]:
    today = timezone.now().date()
    return (today - dt.timedelta(days=27)).isoformat(), today.isoformat()


def _options(request: HttpRequest, *, public: bool = False) -> tuple[ReportOptions | None, str]:
    first, last = _default_period()
    try:
        opts = parse_options(
            request.GET.get("from") or first,
            request.GET.get("to") or last,
            request.GET.get("region", ""),
            public=public,
        )
    except BadInput:
        return None, str(_PERIOD_WRONG)
    return opts, ""


def _lang(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", "ru")


@require_GET
@staff_page(Operation.REPORTS_VIEW)
def reports_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    opts, error = _options(request)
    context: dict[str, Any] = {
        "error": error,
        "asked": {k: request.GET.get(k, "") for k in ("from", "to", "region")},
        "formats": FORMATS,
        "can_publish": may(actor, Operation.REPORTS_PUBLISH),
    }
    if opts is not None:
        context["asked"] = {**context["asked"], **opts.query()}
        report = build_report(opts)
        context["body"] = render_body(
            report, base=reverse("staff:report_list"), lang=_lang(request)
        )
        context["query"] = opts.query()
    return render_staff(
        request, actor, "nadzor/staff/reports.html", context, status=400 if error else 200
    )


@require_GET
@staff_page(Operation.REPORTS_VIEW)
def download(request: HttpRequest, actor: Actor) -> HttpResponse:
    fmt = request.GET.get("format", "")
    public = request.GET.get("public") == "1"
    opts, error = _options(request, public=public)
    if opts is None or fmt not in FORMATS:
        return HttpResponse(
            error or pgettext("report", "Unknown format."), status=400, content_type="text/plain"
        )
    report = make_report(opts)
    data = render(report, fmt, lang=_lang(request), base=reverse("staff:report_list"))
    response = HttpResponse(data, content_type=_TYPES[fmt])
    kind = "public-report" if public else "report"
    name = f"{kind}-{opts.start.isoformat()}-{opts.end.isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@staff_page(Operation.REPORTS_VIEW)
def publish(request: HttpRequest, actor: Actor) -> HttpResponse:
    if not may(actor, Operation.REPORTS_PUBLISH):
        return forbidden(request, actor)
    first, last = request.POST.get("from", ""), request.POST.get("to", "")
    try:
        opts = parse_options(first, last, request.POST.get("region", ""), public=True)
    except BadInput:
        messages.error(request, _PERIOD_WRONG)
        return redirect_to(request, "staff:reports")
    publish_report(actor, opts)
    messages.success(request, pgettext("report", "The public report is published."))
    return redirect_to(request, "staff:reports", **opts.query())


@require_GET
@staff_page(Operation.REPORTS_VIEW)
def figure_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The cases or complaints a figure counts: their count equals the figure."""
    opts, error = _options(request)
    try:
        if opts is None:
            raise BadInput(error)
        m = measure(request.GET.get("m", ""))
        dim, value = request.GET.get("dim", ""), request.GET.get("value", "")
        rows = items(opts, m, dim, value)
        count = rows.count()
        # a figure of cases with sums owed: the sum of the listed cases' amounts
        owed = sum_of(opts, m, dim, value) if m.key == "owed" else None
    except BadInput:
        refusal = {"error": error or pgettext("report", "There is no such figure in the report.")}
        return render_staff(request, actor, "nadzor/staff/report_list.html", refusal, status=400)
    full = may(actor, Operation.CASE_VIEW) and visible_to(actor).all
    if m.subject == "complaint":
        full = full and may(actor, Operation.COMPLAINT_VIEW)
    context: dict[str, Any] = {
        "count": count,
        "subject": m.subject,
        "figure": figure_title(m.key, dim, value),
        "back": {**opts.query()},
        "full": full,
        "owed": owed,
    }
    if full:
        ordered = rows.order_by("-created_at", "-pk")
        if m.subject == "case":
            ordered = ordered.select_related("assignee")
        page = Paginator(ordered, _PER_PAGE).get_page(request.GET.get("page"))
        if owed is not None:
            shown = [case.pk for case in page.object_list]
            per_case = dict(
                measured_findings(opts, m, dim, value)
                .filter(case__in=shown)
                .values_list("case")
                .annotate(s=Sum("amount"))
                .order_by()
            )
            for case in page.object_list:
                case.owed = per_case.get(case.pk, 0)
        context["page"] = page
        context["page_params"] = {
            k: request.GET.get(k, "") for k in ("m", "dim", "value", "from", "to", "region")
        }
    else:
        context["by_status"] = list(
            rows.values_list("status").annotate(n=Count("pk")).order_by("-n", "status")
        )
        # complaints' regions are typed by the public: their aggregate form groups by category
        second = "region" if m.subject == "case" else "category"
        context["second"] = second
        context["by_second"] = list(
            rows.values_list(second).annotate(n=Count("pk")).order_by("-n", second)
        )
    return render_staff(request, actor, "nadzor/staff/report_list.html", context)
