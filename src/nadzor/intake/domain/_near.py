"""Near-duplicates: when two perceptual hashes, two videos or two texts are one thing, and
the clusters that follow.

The thresholds are measured on a generated set of transformed copies (re-encodes, resizes,
crops of a few per cent, watermarks) by `benchmarks/intake_clusters.py`; the figures are in
docs/performance.md.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence

import numpy as np
import numpy.typing as npt

__all__ = [
    "CROP_VARIANTS",
    "FRAME_MATCH_SHARE",
    "PDQ_MAX_DISTANCE",
    "TEXT_MIN_SIMILARITY",
    "VIDEO_FRAME_SECONDS",
    "UnionFind",
    "cluster_pictures",
    "distances",
    "hash_words",
    "near_pairs",
    "pack_bits",
    "shingles",
    "videos_match",
    "word_distances",
]

# Two PDQ hashes (256 bits) of one picture differ in at most this many bits.
PDQ_MAX_DISTANCE = 52
# A picture is hashed whole and without a border of each of these shares of its sides; two
# pictures are as near as their nearest pair of variants.
CROP_VARIANTS = (0.0, 0.03, 0.06)
_BITS = 256
# A video is sampled every so many seconds.
VIDEO_FRAME_SECONDS = 2.0
# Two videos match when this share of the shorter one's sampled frames has a match.
FRAME_MATCH_SHARE = 0.5
# Two texts are one story from this estimated Jaccard similarity of their shingles.
TEXT_MIN_SIMILARITY = 0.2
_STEM = 5
_WORD = re.compile(r"\w+", re.UNICODE)


def pack_bits(bits: Sequence[int] | npt.NDArray[np.integer]) -> bytes:
    """256 bits (0/1) as 32 bytes."""
    return bytes(np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes())


Words = npt.NDArray[np.uint64]
_WORDS_PER_HASH = _BITS // 64


def _popcount(words: Words) -> npt.NDArray[np.uint8]:
    """Bits set in each 64-bit word."""
    if hasattr(np, "bitwise_count"):  # numpy 2: one machine instruction a word
        counted: npt.NDArray[np.uint8] = np.bitwise_count(words)
        return counted
    as_bytes = words.view(np.uint8).reshape(*words.shape, 8)
    summed: npt.NDArray[np.uint8] = _BYTE_BITS[as_bytes].sum(axis=-1, dtype=np.uint8)
    return summed


_BYTE_BITS = np.array([bin(n).count("1") for n in range(256)], dtype=np.uint8)


def _words(hashes: Iterable[bytes]) -> Words:
    """(pictures, variants, 4) 64-bit words of packed hashes (each 32 bytes per variant)."""
    rows = [np.frombuffer(h, dtype=np.uint8) for h in hashes]
    if not rows:
        return np.zeros((0, 1, _WORDS_PER_HASH), dtype=np.uint64)
    width = min(len(r) for r in rows) // 32
    packed = np.stack([r[: width * 32] for r in rows])
    # the bytes' order within a word does not change how many bits two words differ in
    return packed.view(np.uint64).reshape(len(rows), width, _WORDS_PER_HASH)


def _pairwise(a: Words, b: Words) -> npt.NDArray[np.int64]:
    """(len a, len b) distances: the nearest pair of variants of each two pictures.

    Counted on 64-bit words (the bits set in `x ^ y`), one pair of variants at a time, so
    that the temporary arrays stay the size of the answer."""
    width = min(a.shape[1], b.shape[1])
    best = np.full((a.shape[0], b.shape[0]), _BITS, dtype=np.uint16)
    apart = np.empty_like(best)
    for i in range(width):
        for j in range(width):
            apart[...] = 0
            for w in range(_WORDS_PER_HASH):
                apart += _popcount(a[:, i, w, None] ^ b[None, :, j, w])
            np.minimum(best, apart, out=best)
    return best.astype(np.int64)


def hash_words(hashes: Iterable[bytes]) -> Words:
    """Hashes prepared for `word_distances`: (pictures, variants, 4) 64-bit words."""
    return _words(hashes)


def word_distances(one: bytes, many: Words) -> npt.NDArray[np.int64]:
    """The distance from picture `one` to each picture of `many` (from `hash_words`)."""
    if not len(many):
        return np.zeros(0, dtype=np.int64)
    found: npt.NDArray[np.int64] = _pairwise(_words([one]), many)[0]
    return found


def distances(one: bytes, many: Sequence[bytes]) -> npt.NDArray[np.int64]:
    """The distance from picture `one` to each of `many` (their nearest variants)."""
    if not many:
        return np.zeros(0, dtype=np.int64)
    found: npt.NDArray[np.int64] = _pairwise(_words([one]), _words(many))[0]
    return found


def near_pairs(
    hashes: Sequence[bytes], *, limit: int = PDQ_MAX_DISTANCE
) -> list[tuple[int, int, int]]:
    """(i, j, distance) of every two pictures (i < j) at most `limit` apart; compared all
    against all, in blocks, so that memory stays small."""
    words = _words(hashes)
    found: list[tuple[int, int, int]] = []
    block = 128
    for start in range(0, len(hashes), block):
        apart = _pairwise(words[start : start + block], words[start:])
        for i, j in zip(*(apart <= limit).nonzero(), strict=True):
            if j > i:
                found.append((start + int(i), start + int(j), int(apart[i, j])))
    return found


def cluster_pictures(
    keys: Sequence[str], hashes: Sequence[bytes], *, limit: int = PDQ_MAX_DISTANCE
) -> dict[str, str]:
    """Each picture's cluster (its first-seen member's key), pictures given first-seen first."""
    found = UnionFind(keys)
    for i, j, _distance in near_pairs(hashes, limit=limit):
        found.join(keys[i], keys[j])
    return found.clusters()


def videos_match(first: Sequence[bytes], second: Sequence[bytes]) -> bool:
    """Whether enough sampled frames of the shorter video have a near twin in the other."""
    if not first or not second:
        return False
    short, long = (first, second) if len(first) <= len(second) else (second, first)
    nearest = _pairwise(_words(short), _words(long)).min(axis=1)
    matched = int((nearest <= PDQ_MAX_DISTANCE).sum())
    return matched >= FRAME_MATCH_SHARE * len(short)


def shingles(text: str) -> set[str]:
    """Word pairs of the text, each word cut to its first letters (a crude stem, so that the
    endings of Russian and Ukrainian words do not hide a shared phrase)."""
    words = [w[:_STEM] for w in _WORD.findall(text.lower()) if not w.isdigit() or len(w) > 3]
    if len(words) < 2:
        return set(words)
    return {f"{a} {b}" for a, b in itertools.pairwise(words)}


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
