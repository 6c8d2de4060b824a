"""Picture distances counted on 64-bit words equal the distances counted bit by bit."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nadzor.intake.domain import PDQ_MAX_DISTANCE, distances, near_pairs
from nadzor.intake.domain._near import _BYTE_BITS

_VARIANTS = 3
_HASH = st.binary(min_size=32 * _VARIANTS, max_size=32 * _VARIANTS)


def _bitwise(one: bytes, other: bytes) -> int:
    """The nearest pair of variants, bit by bit (the definition, slowly)."""
    width = min(len(one), len(other)) // 32
    return min(
        sum(
            bin(x ^ y).count("1")
            for x, y in zip(one[32 * i : 32 * i + 32], other[32 * j : 32 * j + 32], strict=True)
        )
        for i in range(width)
        for j in range(width)
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(_HASH, min_size=1, max_size=12), _HASH)
def test_word_distances_equal_bit_distances(many: list[bytes], one: bytes) -> None:
    assert distances(one, many).tolist() == [_bitwise(one, other) for other in many]


@settings(max_examples=30, deadline=None)
@given(st.lists(_HASH, min_size=2, max_size=10), st.integers(0, 256))
def test_near_pairs_are_the_pairs_within_the_limit(hashes: list[bytes], limit: int) -> None:
    expected = [
        (i, j, _bitwise(hashes[i], hashes[j]))
        for i, j in itertools.combinations(range(len(hashes)), 2)
        if _bitwise(hashes[i], hashes[j]) <= limit
    ]
    assert sorted(near_pairs(hashes, limit=limit)) == expected


def test_opposite_hashes_are_the_whole_width_apart() -> None:
    # 256 differing bits do not wrap around in the counter
    assert distances(b"\x00" * 32, [b"\xff" * 32]).tolist() == [256]
    assert distances(b"\x0f" * 32, [b"\x0f" * 32]).tolist() == [0]
    assert PDQ_MAX_DISTANCE < 256


def test_the_byte_table_counts_bits() -> None:
    # the table stands in for numpy's bitwise_count on numpy 1
    assert [int(_BYTE_BITS[n]) for n in (0, 1, 3, 128, 255)] == [0, 1, 2, 1, 8]


def test_without_numpys_bit_count_the_table_gives_the_same_distances(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    many = [bytes(range(n, n + 96)) for n in (0, 7, 100, 159)]
    with_count = distances(b"\x5a" * 96, many).tolist()
    monkeypatch.delattr(np, "bitwise_count")
    assert distances(b"\x5a" * 96, many).tolist() == with_count
    assert with_count == [_bitwise(b"\x5a" * 96, other) for other in many]
