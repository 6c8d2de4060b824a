"""Near-duplicates: when two perceptual hashes, two videos or two texts are one thing, and
the clusters that follow.

The thresholds are measured on a generated set of transformed copies (re-encodes, resizes,
crops of a few per cent, watermarks) by `benchmarks/intake_clusters.py`; the figures are in
docs/performance.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

__all__ = [
    "FRAME_MATCH_SHARE",
    "PDQ_MAX_DISTANCE",
    "TEXT_MIN_SIMILARITY",
    "VIDEO_FRAME_SECONDS",
    "UnionFind",
    "distances",
    "pack_bits",
    "shingles",
    "videos_match",
]

# Two PDQ hashes (256 bits) of one picture differ in at most this many bits.
PDQ_MAX_DISTANCE = 40
# A video is sampled every so many seconds.
VIDEO_FRAME_SECONDS = 2.0
# Two videos match when this share of the shorter one's sampled frames has a match.
FRAME_MATCH_SHARE = 0.5
# Two texts are one story from this estimated Jaccard similarity of their shingles.
TEXT_MIN_SIMILARITY = 0.3
_STEM = 5
_WORD = re.compile(r"\w+", re.UNICODE)

Bits = npt.NDArray[np.uint8]


def pack_bits(bits: Sequence[int] | npt.NDArray[np.integer]) -> bytes:
    """256 bits (0/1) as 32 bytes."""
    return bytes(np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes())


def _unpacked(hashes: Iterable[bytes]) -> Bits:
    rows = [np.frombuffer(h, dtype=np.uint8) for h in hashes]
    if not rows:
        return np.zeros((0, 256), dtype=np.uint8)
    return np.unpackbits(np.stack(rows), axis=1)


def distances(one: bytes, many: Sequence[bytes]) -> npt.NDArray[np.int64]:
    """The Hamming distance from `one` to each of `many` (packed 32-byte PDQ hashes)."""
    if not many:
        return np.zeros(0, dtype=np.int64)
    mine = _unpacked([one])
    theirs = _unpacked(many)
    return np.asarray((theirs != mine).sum(axis=1), dtype=np.int64)


def videos_match(first: Sequence[bytes], second: Sequence[bytes]) -> bool:
    """Whether enough sampled frames of the shorter video have a near twin in the other."""
    if not first or not second:
        return False
    short, long = (first, second) if len(first) <= len(second) else (second, first)
    a = _unpacked(short)
    b = _unpacked(long)
    # bits differing between every frame of one and every frame of the other
    ones = a.astype(np.int32) @ (1 - b.T.astype(np.int32))
    zeros = (1 - a.astype(np.int32)) @ b.T.astype(np.int32)
    nearest = (ones + zeros).min(axis=1)
    matched = int((nearest <= PDQ_MAX_DISTANCE).sum())
    return matched >= FRAME_MATCH_SHARE * len(short)


def shingles(text: str) -> set[str]:
    """Word pairs of the text, each word cut to its first letters (a crude stem, so that the
    endings of Russian and Ukrainian words do not hide a shared phrase)."""
    words = [w[:_STEM] for w in _WORD.findall(text.lower()) if not w.isdigit() or len(w) > 3]
    if len(words) < 2:
        return set(words)
    return {f"{a} {b}" for a, b in zip(words, words[1:], strict=False)}


class UnionFind:
    """Clusters by joining pairs; each cluster is named by its first-seen member."""

    def __init__(self, members: Iterable[str]) -> None:
        # members in first-seen order: the order decides which names a cluster
        self._order = {m: i for i, m in enumerate(members)}
        self._parent = {m: m for m in self._order}

    def find(self, member: str) -> str:
        root = member
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[member] != root:
            self._parent[member], member = root, self._parent[member]
        return root

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        first, second = (ra, rb) if self._order[ra] <= self._order[rb] else (rb, ra)
        self._parent[second] = first

    def clusters(self) -> dict[str, str]:
        """Each member's cluster: the first-seen member of its cluster."""
        return {m: self.find(m) for m in self._order}
