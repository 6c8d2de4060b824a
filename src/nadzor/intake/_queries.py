"""Reading items: search, the clusters for triage, one item's page, the clusters listing.

Viewing an item's page and exporting the listing are entries in the audit log (chain of
custody); searching and the triage list show no content beyond what staff entered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from nadzor.audit.journal import append
from nadzor.cases._errors import NotFound
from nadzor.cases.domain import Actor
from nadzor.intake.domain import IntakeOp, may_intake, require_intake, unit_key
from nadzor.store.models import IntakeItem, IntakeLink, IntakeSuggestion, Job, TextPrint

__all__ = [
    "ClusterRow",
    "ItemFilters",
    "ItemPage",
    "cluster_listing",
    "find_item",
    "item_page",
    "item_progress",
    "search_items",
    "triage_clusters",
]


@dataclass(frozen=True)
class ItemFilters:
    text: str = ""
    source: str = ""
    date_from: date | None = None
    date_to: date | None = None
    unit: str = ""
    cluster: str = ""
    kind: str = ""

    @property
    def any(self) -> bool:
        return any((self.text, self.source, self.date_from, self.date_to, self.unit,
                    self.cluster, self.kind))  # fmt: skip


def _day(d: date, end: bool = False) -> datetime:
    moment = datetime.combine(d + timedelta(days=1) if end else d, time())
    return timezone.make_aware(moment, timezone.get_current_timezone())


def search_items(actor: Actor, filters: ItemFilters) -> QuerySet[IntakeItem]:
    """Items matching every filter given, newest first. A date is the published date, or
    the date the item was added when none was given."""
    require_intake(actor, IntakeOp.VIEW)
    rows = IntakeItem.objects.select_related("added_by").order_by("-added_at", "-pk")
    if filters.text.strip():
        words = filters.text.strip()
        rows = rows.filter(
            Q(text__icontains=words) | Q(note__icontains=words) | Q(file_name__icontains=words)
        )
    if filters.source.strip():
        words = filters.source.strip()
        rows = rows.filter(
            Q(source_url__icontains=words)
            | Q(platform__icontains=words)
            | Q(account__icontains=words)
        )
    dated = Q(published_at__isnull=False)
    if filters.date_from:
        start = _day(filters.date_from)
        rows = rows.filter((dated & Q(published_at__gte=start)) | (~dated & Q(added_at__gte=start)))
    if filters.date_to:
        end = _day(filters.date_to, end=True)
        rows = rows.filter((dated & Q(published_at__lt=end)) | (~dated & Q(added_at__lt=end)))
    if filters.unit.strip():
        digits = unit_key(filters.unit.strip().split()[-1].replace("в/ч", ""))
        hits = IntakeSuggestion.objects.filter(kind="unit", value=digits).values("item_id")
        rows = rows.filter(pk__in=hits)
    if filters.cluster.strip():
        rows = rows.filter(cluster=filters.cluster.strip())
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    return rows


@dataclass(frozen=True)
class ClusterRow:
    cluster: str
    first: IntakeItem
    copies: int
    complaints: int


def triage_clusters(actor: Actor, filters: ItemFilters, limit: int = 50) -> list[ClusterRow]:
    """Clusters of the matching items, the largest first: first-seen item and copy count."""
    rows = search_items(actor, filters)
    groups = list(
        rows.order_by()
        .values("cluster")
        .annotate(copies=Count("pk"), first=Min("added_at"))
        .order_by("-copies", "-first")[:limit]
    )
    names = [g["cluster"] for g in groups]
    firsts = {
        item.cluster: item
        for item in IntakeItem.objects.filter(cluster__in=names).order_by("-added_at", "-pk")
    }
    complaints = dict(
        TextPrint.objects.filter(cluster__in=names, complaint__isnull=False)
        .values("cluster")
        .annotate(n=Count("pk"))
        .values_list("cluster", "n")
    )
    return [
        ClusterRow(g["cluster"], firsts[g["cluster"]], g["copies"], complaints.get(g["cluster"], 0))
        for g in groups
    ]


def find_item(actor: Actor, sha256: str, op: IntakeOp = IntakeOp.VIEW) -> IntakeItem:
    require_intake(actor, op)
    item = (
        IntakeItem.objects.select_related("added_by", "verified_by")
        .filter(sha256=sha256.strip().lower())
        .first()
    )
    if item is None:
        raise NotFound(f"no intake item {sha256.strip()}")
    return item


@dataclass
class ItemPage:
    item: IntakeItem
    metadata: dict[str, Any]
    sensitive: dict[str, Any] | None  # None: not for this reader
    suggestions: list[IntakeSuggestion]
    jobs: list[Job]
    cluster_size: int
    cluster_first: IntakeItem | None
    cluster_complaints: list[int]
    links: list[IntakeLink] = field(default_factory=list)


def item_page(actor: Actor, sha256: str) -> ItemPage:
    """Everything about one item; the view is recorded in the audit log."""
    item = find_item(actor, sha256)
    meta = getattr(item, "metadata", None)
    plain = json.loads(meta.plain) if meta else {}
    secret = json.loads(meta.sensitive) if meta else {}
    shows_sensitive = may_intake(actor, IntakeOp.SENSITIVE)
    members = IntakeItem.objects.filter(cluster=item.cluster)
    page = ItemPage(
        item=item,
        metadata=plain,
        sensitive=secret if shows_sensitive else None,
        suggestions=list(item.suggestions.order_by("source", "start", "kind")),
        jobs=list(item.jobs.order_by("kind")),
        cluster_size=members.count(),
        cluster_first=members.order_by("added_at", "pk").first(),
        cluster_complaints=sorted(
            TextPrint.objects.filter(cluster=item.cluster, complaint__isnull=False).values_list(
                "complaint_id", flat=True
            )
        ),
        links=list(item.links.select_related("case", "complaint", "linked_by").order_by("pk")),
    )
    append(
        actor.name,
        "intake.view",
        f"intake:{item.sha256}",
        {"sensitive_shown": bool(shows_sensitive and secret)},
    )
    return page


@dataclass(frozen=True)
class Progress:
    """The background work on one item: its state and its jobs."""

    state: str
    jobs: list[Job]

    @property
    def working(self) -> bool:
        """True while the worker has something left to do for the item."""
        unfinished = any(job.state in ("queued", "running") for job in self.jobs)
        return unfinished or self.state == "queued"


def item_progress(actor: Actor, sha256: str) -> Progress:
    """The state of the item's work, for a page that watches it: no content, so no audit
    entry (the page that shows the item recorded the view)."""
    item = find_item(actor, sha256)
    return Progress(item.state, list(item.jobs.order_by("kind")))


CLUSTER_COLUMNS = ("sha256", "file_name", "kind", "cluster", "status")


def cluster_listing(actor: Actor) -> list[dict[str, str]]:
    """Every item with its cluster and status (`processed`, or why not); audited."""
    require_intake(actor, IntakeOp.EXPORT)
    rows = [
        {
            "sha256": item.sha256,
            "file_name": item.file_name,
            "kind": item.kind,
            "cluster": item.cluster,
            "status": _status(item.state, item.state_reason),
        }
        for item in IntakeItem.objects.order_by("added_at", "pk")
    ]
    append(actor.name, "intake.export", "intake:clusters", {"rows": len(rows)})
    return rows


def _status(state: str, reason: str) -> str:
    if state == "processed":
        return "processed"
    if state == "failed":
        return f"failed: {reason}" if reason else "failed"
    return "queued: waiting for the worker"
