"""Figures for the dashboard and reports: counts of cases and complaints, nothing personal.

Every count is of cases that can be listed with the same filter in the case list, so a
figure can always be traced to the cases behind it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from nadzor.cases._policy import current_policy
from nadzor.cases.domain import Actor, Kind, Operation, Status, canonical_region, require
from nadzor.store.models import Case, Complaint, ComplaintMessage

__all__ = ["Figures", "RegionRow", "Trend", "figures"]

#: The span of a trend: the last four weeks against the four before them.
TREND_DAYS = 28


@dataclass(frozen=True)
class Trend:
    """How many came in the last `TREND_DAYS` days, and in the same span before."""

    recent: int
    before: int

    @property
    def change(self) -> int:
        return self.recent - self.before

    @property
    def direction(self) -> str:
        """`up`, `down` or `same`: for a word and a mark on the page."""
        return "up" if self.change > 0 else "down" if self.change < 0 else "same"


@dataclass(frozen=True)
class RegionRow:
    region: str
    total: int
    open: int
    overdue: int


@dataclass(frozen=True)
class Figures:
    """Counts only: what an analyst may see."""

    total: int
    open: int
    overdue: int
    near: int
    by_status: list[tuple[str, int]]
    by_kind: list[tuple[str, int]]
    by_region: list[RegionRow]
    complaints_new: int
    closure_requests: int
    # the complainants' messages no staff reply has answered yet
    unread_messages: int = 0
    # cases opened and complaints received: the last four weeks against the four before
    new_cases: Trend = Trend(0, 0)
    new_complaints: Trend = Trend(0, 0)


def figures(actor: Actor) -> Figures:
    """The counts of every case and complaint (aggregates; `reports.view`)."""
    require(actor, Operation.REPORTS_VIEW)
    policy, today = current_policy(), timezone.now().date()
    open_statuses = [s.value for s in Status if s.is_open]
    is_open = Q(status__in=open_statuses)
    overdue = is_open & Q(due_on__lt=today)
    near = is_open & Q(due_on__gte=today, due_on__lte=today + timedelta(days=policy.near_days))
    totals = Case.objects.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=is_open),
        overdue=Count("pk", filter=overdue),
        near=Count("pk", filter=near),
        closures=Count("pk", filter=Q(closure_requested_by__isnull=False)),
    )
    statuses = Counter(dict(Case.objects.values_list("status").annotate(n=Count("pk"))))
    kinds = Counter(dict(Case.objects.values_list("kind").annotate(n=Count("pk"))))
    # every spelling of a federal subject is counted under its one name
    folded: dict[str, list[int]] = {}
    for row in Case.objects.values("region").annotate(
        total=Count("pk"), open=Count("pk", filter=is_open), overdue=Count("pk", filter=overdue)
    ):
        counts = folded.setdefault(canonical_region(row["region"] or ""), [0, 0, 0])
        counts[0] += row["total"]
        counts[1] += row["open"]
        counts[2] += row["overdue"]
    regions = [RegionRow(name, *counts) for name, counts in folded.items()]
    regions.sort(key=lambda r: (-r.overdue, -r.open, -r.total, r.region))
    return Figures(
        total=totals["total"],
        open=totals["open"],
        overdue=totals["overdue"],
        near=totals["near"],
        by_status=[(s.value, statuses.get(s.value, 0)) for s in Status],
        by_kind=[(k.value, kinds.get(k.value, 0)) for k in Kind],
        by_region=regions,
        complaints_new=Complaint.objects.filter(status="new").count(),
        closure_requests=totals["closures"],
        unread_messages=ComplaintMessage.objects.filter(sender="you", read_at__isnull=True).count(),
        new_cases=_trend(Case.objects.values("created_at")),
        new_complaints=_trend(Complaint.objects.values("created_at")),
    )


def _trend(rows: QuerySet[Any, dict[str, Any]]) -> Trend:
    now = timezone.now()
    recent_from = now - timedelta(days=TREND_DAYS)
    before_from = recent_from - timedelta(days=TREND_DAYS)
    counts = rows.aggregate(
        recent=Count("pk", filter=Q(created_at__gte=recent_from, created_at__lte=now)),
        before=Count("pk", filter=Q(created_at__gte=before_from, created_at__lt=recent_from)),
    )
    return Trend(counts["recent"], counts["before"])
