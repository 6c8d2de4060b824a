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

import itertools
import os
from collections.abc import Callable, Sequence
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from nadzor.store.models import IntakeItem, Job

__all__ = [
    "JOB_KINDS",
    "MAX_ATTEMPTS",
    "claim",
    "claim_batch",
    "complete",
    "complete_batch",
    "enqueue",
    "give_back",
    "lease",
    "release",
    "settle_item",
    "settle_items",
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
    jobs = claim_batch(worker, 1)
    return jobs[0] if jobs else None


def claim_batch(worker: str, limit: int) -> list[Job]:
    """Up to `limit` jobs in one transaction, now running under `worker`'s lease; none when
    the queue is empty.

    A job tried before (its worker died, or it raised) is claimed alone: a file that ends
    its worker then spends its own attempts only, never those of the jobs claimed with it.
    """
    while True:
        now = timezone.now()
        with transaction.atomic():
            rows = Job.objects.filter(
                Q(state="queued") | Q(state="running", lease_until__lt=now)
            ).order_by("id")
            if connection.vendor == "postgresql":
                rows = rows.select_for_update(skip_locked=True, of=("self",))
            jobs = list(rows.select_related("item")[: max(limit, 1)])
            if not jobs:
                return []
            if jobs[0].attempts:
                jobs = jobs[:1]
            else:
                jobs = list(itertools.takewhile(lambda job: job.attempts == 0, jobs))
            job = jobs[0]
            if job.attempts >= MAX_ATTEMPTS:
                # it ended its worker every time: give up on it, with a reason
                job.state = "failed"
                job.error = job.error or f"stopped after {job.attempts} attempts"
                job.finished_at = now
                job.save(update_fields=["state", "error", "finished_at"])
                settle_item(job.item)
                continue
            until = now + lease()
            Job.objects.filter(pk__in=[job.pk for job in jobs]).update(
                state="running", worker=worker, attempts=F("attempts") + 1, lease_until=until
            )
            for job in jobs:
                job.state, job.worker, job.lease_until = "running", worker, until
                job.attempts += 1
            return jobs


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


def complete_batch(
    done: Sequence[tuple[Job, Callable[[], None] | None]],
    *,
    finish: Callable[[list[Job]], object] | None = None,
) -> list[bool | Exception]:
    """Commit many jobs' results and ends in one transaction, each only if its claim is
    still ours; for each job: True (written), False (not ours any more: nothing written),
    or the exception its `write` raised (its writes undone, the others' kept; the caller
    releases it). A job whose `write` is None has nothing to write alone: `finish`, given
    the jobs still ours, writes for the batch as a whole (texts placed together); if it
    raises, the whole transaction is undone and the error raised.
    """
    if not done:
        return []
    outcomes: list[bool | Exception] = []
    with transaction.atomic():
        rows = Job.objects.filter(pk__in=[job.pk for job, _write in done], state="running")
        if connection.vendor == "postgresql":
            rows = rows.select_for_update()
        mine = {
            (pk, name, attempts)
            for pk, name, attempts in rows.values_list("pk", "worker", "attempts")
        }
        finished: list[Job] = []
        for job, write in done:
            if (job.pk, job.worker, job.attempts) not in mine:
                outcomes.append(False)
                continue
            try:
                if write is not None:
                    with transaction.atomic():  # a savepoint: a failure undoes this job's only
                        write()
            except Exception as exc:  # a bug or bad data: recorded on the job by the caller
                outcomes.append(exc)
                continue
            finished.append(job)
            outcomes.append(True)
        if finish is not None:
            finish(finished)
        Job.objects.filter(pk__in=[job.pk for job in finished]).update(
            state="done", error="", finished_at=timezone.now(), lease_until=None
        )
        settle_items(sorted({job.item_id for job in finished}))
    return outcomes


def give_back(jobs: Sequence[Job]) -> None:
    """Jobs claimed but not started (the batch ran short of its lease): queued again, the
    attempt not counted."""
    with transaction.atomic():
        for job in jobs:
            Job.objects.filter(
                pk=job.pk, state="running", worker=job.worker, attempts=job.attempts
            ).update(state="queued", attempts=F("attempts") - 1, lease_until=None)


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


def settle_items(ids: Sequence[int]) -> None:
    """`settle_item` for many items, with a few queries for them all."""
    pending = set(
        Job.objects.filter(item_id__in=ids, state__in=("queued", "running")).values_list(
            "item_id", flat=True
        )
    )
    todo = [pk for pk in ids if pk not in pending]
    if not todo:
        return
    reasons = dict(IntakeItem.objects.filter(pk__in=todo).values_list("pk", "state_reason"))
    failed: dict[int, str] = {}
    rows = Job.objects.filter(item_id__in=todo, state="failed").order_by("pk")
    for pk, error in rows.values_list("item_id", "error"):
        failed.setdefault(pk, error)
    fine = [pk for pk in todo if not reasons.get(pk) and pk not in failed]
    IntakeItem.objects.filter(pk__in=fine).update(state="processed", state_reason="")
    for pk in todo:
        if pk not in fine:
            reason = reasons.get(pk) or failed.get(pk, "")
            IntakeItem.objects.filter(pk=pk).update(state="failed", state_reason=reason)


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
