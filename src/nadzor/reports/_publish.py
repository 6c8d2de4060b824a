"""Publishing a public report: a supervisor's step, audited; the published figures are frozen."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from nadzor.audit.journal import append
from nadzor.cases.domain import Actor, Operation, require
from nadzor.reports._options import ReportOptions
from nadzor.reports._public import public_report
from nadzor.store.models import PublishedReport

__all__ = ["publish_report", "published_reports"]


def publish_report(actor: Actor, opts: ReportOptions) -> PublishedReport:
    """Make the public report for `opts` and publish it (supervisors only)."""
    require(actor, Operation.REPORTS_PUBLISH)
    public = ReportOptions(opts.start, opts.end, opts.region, True, opts.k)
    report = public_report(public)
    content = report.as_json()
    with transaction.atomic():
        entry = append(
            actor.name,
            "report.publish",
            f"report:{public.start.isoformat()}..{public.end.isoformat()}",
            {"from": public.start.isoformat(), "to": public.end.isoformat(),
             "region": public.region, "k": public.k, "audit_head": report.audit_head},
        )  # fmt: skip
        return PublishedReport.objects.create(
            published_at=timezone.now(),
            published_by=actor.name,
            period_from=public.start,
            period_to=public.end,
            region=public.region,
            audit_head=report.audit_head,
            content={**content, "publish_seq": entry.seq},
        )


def published_reports() -> QuerySet[PublishedReport]:
    """Every published report, newest first."""
    return PublishedReport.objects.order_by("-published_at", "-pk")
