"""The background work on an item: `hash` (metadata, perceptual hashes or a text's MinHash,
the viewing copy, the cluster) and `extract` (suggestions from the item's text and note).

Each job computes outside any transaction and hands its results to `complete`, which writes
them only while the claim is still the worker's; every write replaces what an earlier
attempt wrote, so a job done twice leaves one result.
"""

from __future__ import annotations

import json
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nadzor.intake._clusters import place_picture, place_text, sign_complaints
from nadzor.intake._files import intake_root, original_path, view_path
from nadzor.intake._queue import claim, complete, release
from nadzor.intake._sandbox import Decoder, Probed
from nadzor.store.models import IntakeHash, IntakeItem, IntakeMetadata, IntakeSuggestion, Job

__all__ = ["WorkReport", "run_job", "work", "worker_name"]


@dataclass
class WorkReport:
    done: int = 0
    failed: int = 0
    complaints: int = 0


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def _hash(job: Job) -> bool:
    item = job.item
    if item.kind == "text":
        from nadzor.intake._minhash import signature

        sig = signature(item.text)
        return complete(job, lambda: _write_text(item, sig))
    if item.kind not in ("image", "video", "audio"):
        return complete(job, lambda: _write_probe(item, Probed(), None))
    scratch = intake_root() / "tmp" / f"view-{uuid.uuid4().hex}.jpg"
    scratch.parent.mkdir(parents=True, exist_ok=True)
    try:
        found = _decoder().probe(item.kind, original_path(item.sha256), scratch)
        view = scratch if scratch.exists() and scratch.stat().st_size else None
        return complete(job, lambda: _write_probe(item, found, view))
    finally:
        scratch.unlink(missing_ok=True)


_DECODERS: list[Decoder] = []


def _decoder() -> Decoder:
    """The worker's decoding child, started on first use and kept for the next files."""
    if not _DECODERS:
        _DECODERS.append(Decoder())
    return _DECODERS[0]


def _write_text(item: IntakeItem, sig: bytes) -> None:
    IntakeMetadata.objects.update_or_create(
        item=item, defaults={"plain": json.dumps({"characters": len(item.text)}), "sensitive": "{}"}
    )
    place_text(item, sig)


def _write_probe(item: IntakeItem, found: Probed, view: Path | None) -> None:
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


def _extract(job: Job) -> bool:
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

    return complete(job, write)


_HANDLERS: dict[str, Callable[[Job], bool]] = {"hash": _hash, "extract": _extract}


def run_job(job: Job) -> bool:
    """Do one claimed job; False when its results were not ours to write any more."""
    try:
        return _HANDLERS[job.kind](job)
    except Exception as exc:  # a bug or a lost database: recorded on the job, not a crash
        release(job, f"{type(exc).__name__}: {exc}")
        return False


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
    while True:
        job = claim(name)
        if job is None:
            signed = sign_complaints_now()
            report.complaints += signed
            if signed:
                continue
            if until_idle:
                return report
            time.sleep(poll_seconds)
            continue
        if run_job(job):
            report.done += 1
        else:
            report.failed += 1
        if on_job is not None:
            on_job(job)


def sign_complaints_now() -> int:
    from django.db import transaction

    with transaction.atomic():
        return sign_complaints()
