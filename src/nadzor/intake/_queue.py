"""The queue of background work, kept in the store's own database (no other server).

A worker claims the oldest job that is queued, or running under a lease that has run out
(its worker died): on PostgreSQL with `SELECT ... FOR UPDATE SKIP LOCKED`, so workers never
wait on each other's rows; on SQLite every transaction starts IMMEDIATE, so claims are
serialized by its single writer. The worker does the work outside any transaction and
commits the results together with the job's `done` in one transaction, and only while the
claim is still its own; results replace what an earlier attempt may have written, so a job
run twice leaves one set of results.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from nadzor.store.models import IntakeItem, Job

__all__ = [
    "JOB_KINDS",
    "MAX_ATTEMPTS",
    "claim",
    "complete",
    "enqueue",
    "lease",
    "release",
    "settle_item",
]

JOB_KINDS = ("hash", "extract")
MAX_ATTEMPTS = 3


def lease() -> timedelta:
    """How long a claim lasts: longer than the decoder may run (its wall-clock limit)."""
    return timedelta(seconds=int(os.environ.get("NADZOR_WORKER_LEASE_SECONDS", "600")))


def enqueue(item: IntakeItem) -> None:
    """Queue the item's work (once: a job per item and kind); extraction only where there
    are words to read (a text, or a note)."""
    now = timezone.now()
    for kind in JOB_KINDS:
        if kind == "extract" and not (item.text.strip() or item.note.strip()):
            continue
        Job.objects.get_or_create(item=item, kind=kind, defaults={"created_at": now})


def claim(worker: str) -> Job | None:
    """The next job, now running under `worker`'s lease; None when there is none."""
    while True:
        now = timezone.now()
        with transaction.atomic():
            rows = Job.objects.filter(
                Q(state="queued") | Q(state="running", lease_until__lt=now)
            ).order_by("id")
            if connection.vendor == "postgresql":
                rows = rows.select_for_update(skip_locked=True)
            job = rows.select_related("item").first()
            if job is None:
                return None
            if job.attempts >= MAX_ATTEMPTS:
                # it ended its worker every time: give up on it, with a reason
                job.state = "failed"
                job.error = job.error or f"stopped after {job.attempts} attempts"
                job.finished_at = now
                job.save(update_fields=["state", "error", "finished_at"])
                settle_item(job.item)
                continue
            job.state = "running"
            job.worker = worker
            job.attempts += 1
            job.lease_until = now + lease()
            job.save(update_fields=["state", "worker", "attempts", "lease_until"])
            return job


def complete(job: Job, write: Callable[[], None], *, error: str = "") -> bool:
    """Commit the job's results (`write`) and its end together, if the claim is still ours.

    False when another worker has taken the job meanwhile: nothing is written.
    """
    with transaction.atomic():
        rows = Job.objects.filter(pk=job.pk, state="running", worker=job.worker)
        if connection.vendor == "postgresql":
            rows = rows.select_for_update()
        mine = rows.filter(attempts=job.attempts).first()
        if mine is None:
            return False
        write()
        mine.state = "failed" if error else "done"
        mine.error = error
        mine.finished_at = timezone.now()
        mine.lease_until = None
        mine.save(update_fields=["state", "error", "finished_at", "lease_until"])
        settle_item(mine.item)
    return True


def settle_item(item: IntakeItem) -> None:
    """The item is processed (or failed, with its reason) once no job of it is pending."""
    pending = Job.objects.filter(item=item, state__in=("queued", "running")).exists()
    if pending:
        return
    fresh = IntakeItem.objects.get(pk=item.pk)
    failed = Job.objects.filter(item=item, state="failed").first()
    if fresh.state_reason or failed is not None:
        state = "failed"
        reason = fresh.state_reason or (failed.error if failed else "")
    else:
        state, reason = "processed", ""
    IntakeItem.objects.filter(pk=item.pk).update(state=state, state_reason=reason)


def release(job: Job, error: str) -> None:
    """A job that raised: queued again for another attempt, or failed after the last one."""
    with transaction.atomic():
        mine = Job.objects.filter(
            pk=job.pk, state="running", worker=job.worker, attempts=job.attempts
        ).first()
        if mine is None:
            return
        mine.error = error[:500]
        mine.lease_until = None
        if mine.attempts >= MAX_ATTEMPTS:
            mine.state = "failed"
            mine.finished_at = timezone.now()
        else:
            mine.state = "queued"
        mine.save(update_fields=["state", "error", "lease_until", "finished_at"])
        settle_item(mine.item)
