"""MinHash signatures of texts (datasketch) and their LSH bands.

The bands are stored beside each signature, so the store itself finds candidate texts (the
ones sharing a band) without an index held in memory; candidates are then compared by the
signatures' estimated Jaccard similarity. `cluster_texts` does the same for a batch in
memory with datasketch's own LSH (the benchmark, and checks).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from functools import cache

import numpy as np
from datasketch import MinHash, MinHashLSH

from nadzor.intake.domain import TEXT_MIN_SIMILARITY, UnionFind, shingles

__all__ = ["PERMUTATIONS", "bands", "cluster_texts", "signature", "similarity"]

PERMUTATIONS = 128
_SEED = 1


@cache
def _shape() -> tuple[int, int]:
    """(bands, rows per band) that datasketch chooses for the threshold."""
    lsh = MinHashLSH(threshold=TEXT_MIN_SIMILARITY, num_perm=PERMUTATIONS)
    return int(lsh.b), int(lsh.r)


@cache
def _template() -> MinHash:
    return MinHash(num_perm=PERMUTATIONS, seed=_SEED)


def _minhash(text: str) -> MinHash:
    # the permutations are drawn once (from the seed) and shared, not drawn for every text
    template = _template()
    found = MinHash(
        num_perm=PERMUTATIONS,
        seed=_SEED,
        permutations=template.permutations,
        scheme=template.scheme,
    )
    found.update_batch([s.encode("utf-8") for s in sorted(shingles(text))])
    return found


def signature(text: str) -> bytes:
    """The text's MinHash signature as bytes (PERMUTATIONS unsigned 64-bit values)."""
    return bytes(np.asarray(_minhash(text).hashvalues, dtype=np.uint64).tobytes())


def bands(sig: bytes) -> list[tuple[int, str]]:
    """(band number, digest) of each LSH band of a signature."""
    count, rows = _shape()
    values = np.frombuffer(sig, dtype=np.uint64)
    return [
        (b, hashlib.sha1(values[b * rows : (b + 1) * rows].tobytes()).hexdigest()[:16])
        for b in range(count)
    ]


def similarity(a: bytes, b: bytes) -> float:
    """The estimated Jaccard similarity of two texts' shingles."""
    first = np.frombuffer(a, dtype=np.uint64)
    second = np.frombuffer(b, dtype=np.uint64)
    return float((first == second).mean())


def cluster_texts(keys: Sequence[str], texts: Sequence[str]) -> dict[str, str]:
    """Each key's cluster (its first-seen member's key) for texts given in first-seen order.

    The LSH of datasketch's shape, kept as one dictionary per band (band bytes -> rows):
    a text's candidates are the earlier texts sharing a band, compared with it at once by
    their signatures; a candidate already in the text's cluster is not compared again.
    The clusters are those of datasketch's `MinHashLSH` with the same shape.
    """
    count, rows = _shape()
    signatures = np.empty((len(keys), PERMUTATIONS), dtype=np.uint64)
    index: list[dict[bytes, list[int]]] = [{} for _ in range(count)]
    found = UnionFind(keys)
    for n, (key, text) in enumerate(zip(keys, texts, strict=True)):
        mine = signatures[n]
        mine[:] = _minhash(text).hashvalues
        candidates: set[int] = set()
        bands_of_mine = [mine[b * rows : (b + 1) * rows].tobytes() for b in range(count)]
        for band, table in zip(bands_of_mine, index, strict=True):
            candidates.update(table.get(band, ()))
        if candidates:
            mine_root = found.find(key)
            others = np.fromiter(
                (c for c in candidates if found.find(keys[c]) != mine_root), dtype=np.int64
            )
            if len(others):
                near = (signatures[others] == mine).mean(axis=1) >= TEXT_MIN_SIMILARITY
                for other in others[near]:
                    found.join(keys[int(other)], key)
        for band, table in zip(bands_of_mine, index, strict=True):
            table.setdefault(band, []).append(n)
    return found.clusters()
