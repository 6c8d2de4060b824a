"""The stored pictures' hashes held in memory by a worker, so that a new picture is compared
with them at once instead of reading every stored hash again for each.

The index catches up with the store by row id: rows are added only under the placement
lock (`_clusters.lock`, taken before an item's hashes are written), so they appear in the
order of their ids and none is added behind the index's back. A row deleted (an item
removed or hashed again) shows in the count of rows, and the index is then read afresh.
What it finds are candidates only: the caller checks them against the stored rows.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

import numpy as np

from nadzor.intake.domain import (
    CROP_VARIANTS,
    PDQ_MAX_DISTANCE,
    distances,
    hash_words,
    word_distances,
)
from nadzor.store.models import IntakeHash

__all__ = ["PictureIndex", "current", "picture_index"]

_WIDTH = 32 * len(CROP_VARIANTS)  # bytes of one picture's hash (every variant)


class PictureIndex:
    """Every stored image hash (position 0: a picture has one), by item."""

    def __init__(self) -> None:
        self._last = 0  # the highest row id read
        self._rows: set[int] = set()  # the ids of the rows read
        self._slot: dict[int, int] = {}  # item id -> its place in `_items` / `_words`
        self._items = np.zeros(0, dtype=np.int64)
        self._words = hash_words([bytes(_WIDTH)])[:0]
        self._size = 0
        self._odd: dict[int, bytes] = {}  # hashes of another width (an older hashing)

    def _put(self, item: int, pdq: bytes) -> None:
        if len(pdq) != _WIDTH:
            self._odd[item] = pdq
            return
        slot = self._slot.get(item)
        if slot is None:
            if self._size == len(self._items):  # grown by doubling: appends stay cheap
                grown = max(1024, 2 * self._size)
                items = np.zeros(grown, dtype=np.int64)
                items[: self._size] = self._items[: self._size]
                words = np.zeros((grown, *self._words.shape[1:]), dtype=np.uint64)
                words[: self._size] = self._words[: self._size]
                self._items, self._words = items, words
            slot = self._slot[item] = self._size
            self._size += 1
        self._items[slot] = item
        self._words[slot] = hash_words([pdq])[0]

    def _read(self) -> None:
        fresh = (
            IntakeHash.objects.filter(kind="image", id__gt=self._last)
            .values_list("id", "item_id", "position", "pdq")
            .order_by("id")
        )
        for row, item, position, pdq in fresh:
            self._rows.add(row)
            self._last = max(self._last, row)
            if position == 0:
                self._put(item, bytes(pdq))

    def refresh(self) -> None:
        """Read the rows added since the last look (all of them after a deletion)."""
        self._read()
        if IntakeHash.objects.filter(kind="image").count() != len(self._rows):
            self.__init__()  # type: ignore[misc]
            self._read()

    def near(self, pdq: bytes, exclude: int) -> list[int]:
        """Items whose stored hash may be within the threshold of `pdq` (not `exclude`)."""
        self.refresh()
        found: list[int] = []
        if self._size:
            apart = word_distances(pdq, self._words[: self._size])
            found = [int(i) for i in self._items[: self._size][apart <= PDQ_MAX_DISTANCE]]
        if self._odd:
            odd = list(self._odd)
            apart = distances(pdq, [self._odd[i] for i in odd])
            found += [odd[int(i)] for i in (apart <= PDQ_MAX_DISTANCE).nonzero()[0]]
        return [item for item in found if item != exclude]


current: ContextVar[PictureIndex | None] = ContextVar("picture_index", default=None)


@contextlib.contextmanager
def picture_index() -> Iterator[PictureIndex]:
    """An index for the placements made inside (a worker's run)."""
    index = PictureIndex()
    token = current.set(index)
    try:
        yield index
    finally:
        current.reset(token)
