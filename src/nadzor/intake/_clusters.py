"""Placing an item (or a complaint's text) in its cluster as soon as its hashes are known.

A cluster is named by the key of its first-seen member (an item's SHA-256, or
`complaint:<number>`); a new member that matches several clusters joins them under the
oldest name, so every name stays that of a real member. Placement runs under one lock
(PostgreSQL: an advisory lock; SQLite: its single writer), so two workers never place at
once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import numpy as np
from django.db import connection
from django.db.models import Q
from django.utils import timezone

from nadzor.intake._minhash import bands
from nadzor.intake._pictures import PictureIndex, picture_index
from nadzor.intake._pictures import current as current_index
from nadzor.intake.domain import TEXT_MIN_SIMILARITY, distances, videos_match
from nadzor.intake.domain._near import PDQ_MAX_DISTANCE
from nadzor.store.models import Complaint, IntakeHash, IntakeItem, TextBand, TextPrint

__all__ = ["lock", "picture_index", "place_picture", "place_text", "sign_complaints"]

_CLUSTER_LOCK = 0x6E7A636C


def lock() -> None:
    """Taken before an item's hashes are written, not only before they are compared: rows
    are then added (and their ids drawn) one placement after another, which the picture
    index relies on to catch up by id."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CLUSTER_LOCK])


def _first_seen(keys: set[str]) -> dict[str, datetime]:
    """When each cluster's naming member was first seen."""
    seen: dict[str, datetime] = {}
    for sha, at in IntakeItem.objects.filter(sha256__in=keys).values_list("sha256", "added_at"):
        seen[sha] = at
    for key, at in TextPrint.objects.filter(key__in=keys).values_list("key", "seen_at"):
        seen.setdefault(key, at)
    return seen


def _join(clusters: set[str]) -> str:
    """Join the clusters under the oldest name; that name."""
    seen = _first_seen(clusters)
    far = timezone.now()
    root = min(clusters, key=lambda key: (seen.get(key, far), key))
    others = clusters - {root}
    if others:
        IntakeItem.objects.filter(cluster__in=others).update(cluster=root)
        TextPrint.objects.filter(cluster__in=others).update(cluster=root)
    return root


def place_picture(item: IntakeItem, hashes: list[bytes]) -> str:
    """Join the image or video with every earlier one it matches; its cluster."""
    lock()
    matched: set[int] = set()
    if item.kind == "image":
        index = current_index.get() or PictureIndex()
        near = index.near(hashes[0], item.pk)
        # the index may hold hashes since replaced or deleted: the stored rows decide
        rows = (
            IntakeHash.objects.filter(kind=item.kind, item_id__in=near)
            .values_list("item_id", "pdq")
            .order_by("item_id", "position")
        )
        ids = [row[0] for row in rows]
        found = distances(hashes[0], [bytes(row[1]) for row in rows])
        matched = {ids[i] for i in (found <= PDQ_MAX_DISTANCE).nonzero()[0]}
    else:
        rows = (
            IntakeHash.objects.filter(kind=item.kind)
            .exclude(item=item)
            .values_list("item_id", "pdq")
            .order_by("item_id", "position")
        )
        frames: dict[int, list[bytes]] = defaultdict(list)
        for other, pdq in rows:
            frames[other].append(bytes(pdq))
        matched = {other for other, theirs in frames.items() if videos_match(hashes, theirs)}
    current = IntakeItem.objects.get(pk=item.pk).cluster
    clusters = set(IntakeItem.objects.filter(pk__in=matched).values_list("cluster", flat=True))
    return _join({current, *clusters})


def _place_print(text: TextPrint) -> str:
    # the texts sharing any band (each band's condition uses the index), read in one query
    # with their signatures; one already in this text's cluster would add nothing
    shared = Q()
    for band, digest in bands(bytes(text.signature)):
        shared |= Q(band=band, digest=digest)
    sharing = TextBand.objects.filter(shared).exclude(text=text).values("text_id")
    others = list(
        TextPrint.objects.filter(pk__in=sharing)
        .exclude(cluster=text.cluster)
        .values_list("signature", "cluster")
    )
    clusters = {text.cluster}
    if others:
        mine = np.frombuffer(bytes(text.signature), dtype=np.uint64)
        theirs = np.frombuffer(b"".join(bytes(sig) for sig, _cluster in others), dtype=np.uint64)
        # the estimated Jaccard similarity (`similarity`) of each, at once
        near = (theirs.reshape(len(others), -1) == mine).mean(axis=1) >= TEXT_MIN_SIMILARITY
        clusters.update(cluster for (_sig, cluster), ok in zip(others, near, strict=True) if ok)
    return _join(clusters)


def _print(key: str, signature: bytes, seen_at: datetime, **owner: object) -> TextPrint:
    """The text's print (replacing one an earlier attempt may have left) with its bands."""
    TextPrint.objects.filter(key=key).delete()
    text = TextPrint.objects.create(
        key=key, signature=signature, seen_at=seen_at, cluster=key, **owner
    )
    TextBand.objects.bulk_create(
        TextBand(text=text, band=band, digest=digest) for band, digest in bands(signature)
    )
    return text


def place_text(item: IntakeItem, signature: bytes) -> str:
    """Join the item's text with every text (item or complaint) telling the same story."""
    lock()
    current = IntakeItem.objects.get(pk=item.pk).cluster
    text = _print(item.sha256, signature, item.added_at, item=item)
    TextPrint.objects.filter(pk=text.pk).update(cluster=current)
    text.cluster = current
    root = _place_print(text)
    IntakeItem.objects.filter(pk=item.pk).update(cluster=root)
    return root


def sign_complaints(limit: int = 500) -> int:
    """Give complaints that have none a print and a cluster; how many were signed."""
    from nadzor.intake._minhash import signature

    lock()
    done = TextPrint.objects.filter(complaint__isnull=False).values("complaint_id")
    fresh = (
        Complaint.objects.exclude(pk__in=done)
        .order_by("created_at", "pk")
        .values_list("pk", "text", "created_at")[:limit]
    )
    count = 0
    for number, words, created in fresh:
        text = _print(f"complaint:{number}", signature(words), created, complaint_id=number)
        _place_print(text)
        count += 1
    return count
