"""Placing a batch of texts in their clusters at once: the worker's text jobs.

Placing texts one by one (`_clusters.place_text`) costs a dozen queries a text, most of
them the look-up of the texts sharing a band. Here the stored bands are held in memory by
the worker (`TextIndex`), brought up to date by row id from the rows other workers wrote,
and a batch of texts is placed with a few queries: its candidates' rows read at once, its
joins made in memory, its rows written in bulk.

The clusters are those of placing the batch's texts one after another: a text joins every
stored or earlier text of the batch that shares a band with it and is similar enough, and
joined clusters take the oldest name (the same order as `_clusters._join`).
The index only suggests: a suggested text is compared by its stored row (a print deleted
since is simply not found; prints are never changed in place, only replaced under a new id).
"""

from __future__ import annotations

import contextlib
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from django.db import connection
from django.utils import timezone

from nadzor.intake._clusters import lock
from nadzor.intake._minhash import bands
from nadzor.intake.domain import TEXT_MIN_SIMILARITY
from nadzor.store.models import IntakeItem, IntakeMetadata, TextBand, TextPrint

__all__ = ["PendingText", "TextIndex", "place_texts", "text_index"]

_CHUNK = 500  # ids in one `IN (...)`: within SQLite's limit of query parameters


def _band_key(band: int, digest: str) -> tuple[int, str]:
    return band, digest


_MERGE = 100_000  # band rows kept in a dictionary before they join the sorted arrays


class TextIndex:
    """Every stored band: which prints have (band, digest).

    Held as sorted numpy arrays (digest as a 64-bit number, band, print id: 17 bytes a
    band, some 50 MB for 100,000 texts of 28 bands) and, for the rows read since the last
    merge, a dictionary.
    """

    def __init__(self) -> None:
        self._last = 0  # the highest band row id read
        self._digests = np.zeros(0, dtype=np.uint64)
        self._bands = np.zeros(0, dtype=np.uint8)
        self._prints = np.zeros(0, dtype=np.int64)
        self._fresh: dict[tuple[int, str], list[int]] = defaultdict(list)
        self._count = 0  # rows in `_fresh`

    def refresh(self) -> None:
        """Read the band rows added since the last look. Rows are added only under the
        placement lock, so they appear in the order of their ids (as for pictures)."""
        fresh = (
            TextBand.objects.filter(id__gt=self._last)
            .values_list("id", "text_id", "band", "digest")
            .order_by("id")
        )
        for row, text, band, digest in fresh.iterator(chunk_size=5000):
            self._fresh[_band_key(band, digest)].append(text)
            self._count += 1
            self._last = row
        if self._count >= _MERGE:
            self._merge()

    def _merge(self) -> None:
        rows = [(key, text) for key, texts in self._fresh.items() for text in texts]
        digests = np.fromiter((int(k[1], 16) for k, _t in rows), dtype=np.uint64)
        band_of = np.fromiter((k[0] for k, _t in rows), dtype=np.uint8)
        prints = np.fromiter((t for _k, t in rows), dtype=np.int64)
        digests = np.concatenate([self._digests, digests])
        band_of = np.concatenate([self._bands, band_of])
        prints = np.concatenate([self._prints, prints])
        order = np.argsort(digests, kind="stable")
        self._digests, self._bands, self._prints = digests[order], band_of[order], prints[order]
        self._fresh.clear()
        self._count = 0

    def sharing(self, keys: Sequence[tuple[int, str]]) -> set[int]:
        """The prints that had any of the bands when last read (maybe deleted since)."""
        found: set[int] = set()
        for key in keys:
            found.update(self._fresh.get(key, ()))
        if len(self._digests) and keys:
            wanted = np.fromiter((int(d, 16) for _b, d in keys), dtype=np.uint64)
            lows = np.searchsorted(self._digests, wanted, side="left")
            highs = np.searchsorted(self._digests, wanted, side="right")
            for (band, _digest), low, high in zip(keys, lows, highs, strict=True):
                if high > low:
                    same = self._bands[low:high] == band
                    found.update(int(t) for t in self._prints[low:high][same])
        return found


current: ContextVar[TextIndex | None] = ContextVar("text_index", default=None)


@contextlib.contextmanager
def text_index() -> Iterator[TextIndex]:
    """An index for the text placements made inside (a worker's run)."""
    index = TextIndex()
    token = current.set(index)
    try:
        yield index
    finally:
        current.reset(token)


@dataclass(frozen=True)
class PendingText:
    """A text item's signature, computed, waiting to be placed with its batch."""

    item: IntakeItem
    signature: bytes


class _Names:
    """Cluster names joined in memory; a joined cluster takes the oldest name."""

    def __init__(self, rank: dict[str, tuple[datetime, str]]) -> None:
        self._rank = rank
        self._parent: dict[str, str] = {}

    def find(self, name: str) -> str:
        root = name
        while self._parent.get(root, root) != root:
            root = self._parent[root]
        while name != root:
            self._parent[name], name = root, self._parent.get(name, name)
        return root

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            first, second = sorted((ra, rb), key=lambda n: self._rank[n])
            self._parent[second] = first

    def renamed(self) -> dict[str, list[str]]:
        """Each surviving name with the names joined into it."""
        moved: dict[str, list[str]] = defaultdict(list)
        for name in list(self._parent):
            root = self.find(name)
            if root != name:
                moved[root].append(name)
        return moved


def _chunks(values: Sequence[int] | Sequence[str]) -> Iterator[list[int] | list[str]]:
    for start in range(0, len(values), _CHUNK):
        yield list(values[start : start + _CHUNK])


def _rank(names: set[str]) -> dict[str, tuple[datetime, str]]:
    """Each name's order of precedence: when its naming member was first seen (as `_join`)."""
    seen: dict[str, datetime] = {}
    ordered = sorted(names)
    for part in _chunks(ordered):
        seen.update(IntakeItem.objects.filter(sha256__in=part).values_list("sha256", "added_at"))
    for part in _chunks(ordered):
        for key, at in TextPrint.objects.filter(key__in=part).values_list("key", "seen_at"):
            seen.setdefault(key, at)
    far = timezone.now()
    return {name: (seen.get(name, far), name) for name in names}


def place_texts(pending: Sequence[PendingText]) -> dict[int, str]:
    """Write the texts' metadata and prints and place them in their clusters; each item's
    cluster, by item id. Runs inside the caller's transaction."""
    if not pending:
        return {}
    lock()
    index = current.get() or TextIndex()
    index.refresh()
    keys = [p.item.sha256 for p in pending]
    own = set(keys)
    ids = [p.item.pk for p in pending]
    now_named: dict[int, str] = {}
    for part in _chunks(ids):
        now_named.update(IntakeItem.objects.filter(pk__in=part).values_list("pk", "cluster"))
    my_bands = [[_band_key(b, d) for b, d in bands(p.signature)] for p in pending]
    suggested = sorted(set().union(*(index.sharing(mine) for mine in my_bands)))
    stored: dict[int, tuple[bytes, str]] = {}
    for part in _chunks(suggested):
        rows = TextPrint.objects.filter(pk__in=part).exclude(key__in=own)
        for pk, sig, name in rows.values_list("pk", "signature", "cluster"):
            stored[pk] = (bytes(sig), name)
    names = _Names(_rank({now_named[i] for i in ids} | {n for _s, n in stored.values()}))
    sigs = np.frombuffer(b"".join(p.signature for p in pending), dtype=np.uint64)
    sigs = sigs.reshape(len(pending), -1)
    earlier: dict[tuple[int, str], list[int]] = defaultdict(list)  # this batch's bands
    for n, (item_id, mine) in enumerate(zip(ids, my_bands, strict=True)):
        me = names.find(now_named[item_id])
        others = [pk for pk in index.sharing(mine) if pk in stored]
        others = [pk for pk in others if names.find(stored[pk][1]) != me]
        batch = sorted({m for key in mine for m in earlier.get(key, ())})
        batch = [m for m in batch if names.find(now_named[ids[m]]) != me]
        if others:
            theirs = np.frombuffer(b"".join(stored[pk][0] for pk in others), dtype=np.uint64)
            near = (theirs.reshape(len(others), -1) == sigs[n]).mean(axis=1)
            for pk, alike in zip(others, near, strict=True):
                if alike >= TEXT_MIN_SIMILARITY:
                    names.join(me, stored[pk][1])
        if batch:
            near = (sigs[batch] == sigs[n]).mean(axis=1)
            for m, alike in zip(batch, near, strict=True):
                if alike >= TEXT_MIN_SIMILARITY:
                    names.join(me, now_named[ids[m]])
        for key in mine:
            earlier[key].append(n)
    placed = {i: names.find(now_named[i]) for i in ids}
    _write(pending, my_bands, placed, names.renamed())
    return {i: names.find(now_named[i]) for i in ids}


def _write(
    pending: Sequence[PendingText],
    my_bands: list[list[tuple[int, str]]],
    placed: dict[int, str],
    renamed: dict[str, list[str]],
) -> None:
    # what an earlier attempt wrote is replaced (the bands go with their prints)
    keys = [p.item.sha256 for p in pending]
    ids = [p.item.pk for p in pending]
    for part in _chunks(keys):
        old = list(TextPrint.objects.filter(key__in=part).values_list("pk", flat=True))
        if old:
            TextBand.objects.filter(text_id__in=old).delete()
            TextPrint.objects.filter(pk__in=old).delete()
    for part in _chunks(ids):
        IntakeMetadata.objects.filter(item_id__in=part).delete()
    IntakeMetadata.objects.bulk_create(
        IntakeMetadata(
            item=p.item,
            plain=json.dumps({"characters": len(p.item.text)}),
            sensitive="{}",
        )
        for p in pending
    )
    prints = TextPrint.objects.bulk_create(
        TextPrint(
            key=p.item.sha256,
            signature=p.signature,
            seen_at=p.item.added_at,
            cluster=placed[p.item.pk],
            item=p.item,
        )
        for p in pending
    )
    # many rows a text: written with one statement run for them all, not as model objects
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {TextBand._meta.db_table} (text_id, band, digest) VALUES (%s, %s, %s)",
            [
                (text.pk, band, digest)
                for text, mine in zip(prints, my_bands, strict=True)
                for band, digest in mine
            ],
        )
    for root, joined in renamed.items():
        for part in _chunks(joined):
            IntakeItem.objects.filter(cluster__in=part).update(cluster=root)
            TextPrint.objects.filter(cluster__in=part).update(cluster=root)
