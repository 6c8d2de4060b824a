"""The record of each findings import, so that a report can say what was screened in a period.

Called by the findings import once its cases are written; it knows the import only through
the few facts it reads, so the import and the reports stay apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from django.db.models import QuerySet
from django.utils import timezone

from nadzor.cases.domain import Actor
from nadzor.store.models import ScreeningRun

__all__ = ["record_screening_run", "runs_between"]


class _Row(Protocol):
    @property
    def record_id(self) -> str: ...
    @property
    def rulebook(self) -> str: ...


class _Counts(Protocol):
    @property
    def source(self) -> str: ...
    @property
    def findings_read(self) -> int: ...
    @property
    def findings_added(self) -> int: ...
    @property
    def cases_created(self) -> int: ...
    @property
    def cases_joined(self) -> int: ...


def record_screening_run(
    path: Path,
    rows: Sequence[_Row],
    counts: _Counts,
    actor: Actor | None,
    started: dt.datetime,
    judged_on: dt.date | None = None,
) -> ScreeningRun:
    """Store one import: rulebooks named in the file, source, judgment day and counts."""
    rulebooks = sorted({row.rulebook for row in rows if row.rulebook})
    return ScreeningRun.objects.create(
        source=counts.source,
        file_name=path.name,
        rulebooks=";".join(rulebooks),
        judged_on=judged_on,
        started_at=started,
        finished_at=timezone.now(),
        actor=actor.name if actor else "system",
        records_with_findings=len({row.record_id for row in rows}),
        findings_read=counts.findings_read,
        findings_added=counts.findings_added,
        cases_created=counts.cases_created,
        cases_joined=counts.cases_joined,
    )


def runs_between(start: dt.datetime, end: dt.datetime) -> QuerySet[ScreeningRun]:
    """The imports that finished in [start, end), oldest first."""
    return ScreeningRun.objects.filter(finished_at__gte=start, finished_at__lt=end).order_by(
        "finished_at", "pk"
    )
