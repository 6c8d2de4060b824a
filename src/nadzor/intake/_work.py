"""The background work on an item: `hash` (metadata, perceptual hashes or a text's MinHash,
the viewing copy, the cluster) and `extract` (suggestions from the item's text and note).

A worker claims jobs in batches (`NADZOR_WORKER_BATCH`, one transaction for the claim);
each job computes outside any transaction and the batch's results are written by
`complete_batch` in one transaction, each only while its claim is still the worker's;
every write replaces what an earlier attempt wrote, so a job done twice leaves one result.
"""

from __future__ import annotations

import json
import os
import socket
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from nadzor.intake._clusters import (
    lock,
    picture_index,
    place_picture,
    sign_complaints,
)
from nadzor.intake._files import intake_root, original_path, view_path
from nadzor.intake._queue import claim_batch, complete_batch, give_back, lease, release
from nadzor.intake._sandbox import Decoder, Limits, Probed
from nadzor.intake._texts import PendingText, place_texts, text_index
from nadzor.store.models import IntakeHash, IntakeItem, IntakeMetadata, IntakeSuggestion, Job

__all__ = ["WorkReport", "batch_size", "run_job", "run_jobs", "work", "worker_name"]


@dataclass
class WorkReport:
    done: int = 0
    failed: int = 0
    complaints: int = 0


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass
class _Done:
    """A job's results, computed outside any transaction, waiting to be written; `scratch`
    is removed once they are (the viewing copy is moved into place by `write`)."""

    job: Job
    write: Callable[[], None]
    scratch: Path | None = None
    text: PendingText | None = None  # a text, placed with the batch's other texts


def _hash(job: Job) -> _Done:
    item = job.item
    if item.kind == "text":
        from nadzor.intake._minhash import signature

        return _Done(job, lambda: None, text=PendingText(item, signature(item.text)))
    if item.kind not in ("image", "video", "audio"):
        return _Done(job, lambda: _write_probe(item, Probed(), None))
    scratch = intake_root() / "tmp" / f"view-{uuid.uuid4().hex}.jpg"
    scratch.parent.mkdir(parents=True, exist_ok=True)
    try:
        found = _decoder().probe(item.kind, original_path(item.sha256), scratch)
    except BaseException:
        scratch.unlink(missing_ok=True)
        raise
    view = scratch if scratch.exists() and scratch.stat().st_size else None
    return _Done(job, lambda: _write_probe(item, found, view), scratch)


_DECODERS: list[Decoder] = []


def _decoder() -> Decoder:
    """The worker's decoding child, started on first use and kept for the next files."""
    if not _DECODERS:
        _DECODERS.append(Decoder())
    return _DECODERS[0]


def _write_probe(item: IntakeItem, found: Probed, view: Path | None) -> None:
    lock()  # before the hashes are written: the picture index reads them in id order
    plain = dict(found.metadata)
    if found.warning:
        plain["warning"] = found.warning
    IntakeMetadata.objects.update_or_create(
        item=item,
        defaults={
            "plain": json.dumps(plain, ensure_ascii=False, default=str),
            "sensitive": json.dumps(found.sensitive, ensure_ascii=False, default=str),
        },
    )
    IntakeHash.objects.filter(item=item).delete()
    IntakeItem.objects.filter(pk=item.pk).update(state_reason=found.error)
    if found.error:
        return
    if view is not None:
        target = view_path(item.sha256)
        target.parent.mkdir(parents=True, exist_ok=True)
        view.replace(target)
    if found.hashes and item.kind in ("image", "video"):
        IntakeHash.objects.bulk_create(
            IntakeHash(item=item, kind=item.kind, position=i, pdq=h)
            for i, h in enumerate(found.hashes)
        )
        place_picture(item, found.hashes)


def _extract(job: Job) -> _Done:
    from nadzor.intake._extract import extract

    item = job.item
    parts = [("text", item.text), ("note", item.note)]
    spans = [(source, span) for source, words in parts for span in extract(words)]

    def write() -> None:
        IntakeSuggestion.objects.filter(item=item).delete()
        IntakeSuggestion.objects.bulk_create(
            IntakeSuggestion(
                item=item,
                kind=span.kind,
                value=span.value,
                start=span.start,
                end=span.end,
                source=source,
            )
            for source, span in spans
        )

    return _Done(job, write)


_HANDLERS: dict[str, Callable[[Job], _Done]] = {"hash": _hash, "extract": _extract}


def _failed(job: Job, exc: Exception) -> None:
    """A bug or a lost database: recorded on the job, not a crash."""
    release(job, f"{type(exc).__name__}: {exc}")


def run_jobs(jobs: Sequence[Job], *, budget: float | None = None) -> list[bool]:
    """Do claimed jobs and write their results in one transaction; for each, whether it
    was done (False: it failed, or its results were not ours to write any more).

    Jobs not started within `budget` seconds (the claim's lease less the longest a file
    may take) are given back to the queue, unattempted, and reported False.
    """
    started = time.monotonic()
    ready: list[_Done] = []
    ok: dict[int, bool] = {}
    try:
        for n, job in enumerate(jobs):
            if n and budget is not None and time.monotonic() - started > budget:
                give_back(jobs[n:])
                break
            try:
                ready.append(_HANDLERS[job.kind](job))
            except Exception as exc:
                _failed(job, exc)
        # the texts of the jobs still ours are placed together, once the others are written
        texts = {done.job.pk: done.text for done in ready if done.text is not None}
        writes = [(done.job, done.write if done.text is None else None) for done in ready]

        def finish(ours: list[Job]) -> None:
            place_texts([texts[job.pk] for job in ours if job.pk in texts])

        try:
            outcomes = complete_batch(writes, finish=finish)
        except Exception as exc:  # the whole batch's transaction failed: each job retried
            outcomes = [exc] * len(ready)
    finally:
        for done in ready:
            if done.scratch is not None:
                done.scratch.unlink(missing_ok=True)
    for done, outcome in zip(ready, outcomes, strict=True):
        if isinstance(outcome, Exception):
            _failed(done.job, outcome)
        ok[done.job.pk] = outcome is True
    return [ok.get(job.pk, False) for job in jobs]


def run_job(job: Job) -> bool:
    """Do one claimed job; False when its results were not ours to write any more."""
    return run_jobs([job])[0]


def batch_size() -> int:
    """Jobs a worker claims (and writes) at once: one transaction for many."""
    return max(1, int(os.environ.get("NADZOR_WORKER_BATCH", "25")))


def work(
    *,
    until_idle: bool,
    poll_seconds: float = 2.0,
    on_job: Callable[[Job], None] | None = None,
) -> WorkReport:
    """Work the queue; with `until_idle`, return once it is empty."""
    name = worker_name()
    report = WorkReport()
    # complaints' texts join the text clusters when the queue runs dry (and at the start),
    # not before every job: finding the unsigned ones costs a look at every complaint
    report.complaints += sign_complaints_now()
    # the stored pictures' hashes and texts' bands, held in memory for this run and brought
    # up to date from the rows added since, instead of read again for every new one
    with picture_index(), text_index():
        while True:
            jobs = claim_batch(name, batch_size())
            if not jobs:
                signed = sign_complaints_now()
                report.complaints += signed
                if signed:
                    continue
                if until_idle:
                    return report
                time.sleep(poll_seconds)
                continue
            budget = lease().total_seconds() - Limits().seconds
            for job, done in zip(jobs, run_jobs(jobs, budget=budget), strict=True):
                if done:
                    report.done += 1
                else:
                    report.failed += 1
                if on_job is not None:
                    on_job(job)


def sign_complaints_now() -> int:
    from django.db import transaction

    with transaction.atomic():
        return sign_complaints()
