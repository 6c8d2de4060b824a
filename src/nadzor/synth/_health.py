"""Fitness category and the date of the examination that set it."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from nadzor.synth._arrow import dates, labels
from nadzor.synth._draw import pick
from nadzor.synth._people import People

__all__ = ["health_columns"]

_CATEGORIES = ("A", "B", "V", "G", "D")
# A, B, V, G, D, then not recorded.
_CATEGORY_SHARES = (0.563, 0.30, 0.08, 0.02, 0.007, 0.03)
_NOT_RECORDED = len(_CATEGORIES)
_G = _CATEGORIES.index("G")


class _Band(NamedTuple):
    """A share of exams held `earliest`..`latest` days before the call-up (negative: after)."""

    share: float
    earliest: int
    latest: int
    dated: bool = True


_EXAM_USUAL = (
    _Band(0.88, 0, 365),
    _Band(0.05, 366, 1095),
    _Band(0.04, -45, -1),
    _Band(0.03, 0, 0, dated=False),
)
# For G the bands straddle the six months of its deferment, so that each G rule
# (deferment, expired, undated or after the call-up) has cases.
_EXAM_G = (
    _Band(0.40, 0, 180),
    _Band(0.30, 190, 600),
    _Band(0.15, -60, -1),
    _Band(0.15, 0, 0, dated=False),
)


def health_columns(rng: np.random.Generator, people: People) -> dict[str, pa.Array[Any]]:
    """`health_category` and `health_exam_date` (both null when no category is recorded)."""
    category = pick(rng, _CATEGORY_SHARES, people.size)
    unrecorded = category == _NOT_RECORDED
    usual_before, usual_undated = _exam_offsets(rng, _EXAM_USUAL, people.size)
    g_before, g_undated = _exam_offsets(rng, _EXAM_G, people.size)
    is_g = category == _G
    before = np.where(is_g, g_before, usual_before)
    undated = np.where(is_g, g_undated, usual_undated) | unrecorded
    return {
        "health_category": labels(_CATEGORIES, np.where(unrecorded, 0, category), unrecorded),
        "health_exam_date": dates(people.callup - before, undated),
    }


def _exam_offsets(
    rng: np.random.Generator, bands: tuple[_Band, ...], size: int
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.bool_]]:
    """Days before the call-up drawn per `bands`, and where there is no exam date."""
    band = pick(rng, [b.share for b in bands], size)
    earliest = np.array([b.earliest for b in bands], dtype=np.int32)[band]
    latest = np.array([b.latest for b in bands], dtype=np.int32)[band]
    before = rng.integers(earliest, latest, endpoint=True, dtype=np.int32)
    undated = np.array([not b.dated for b in bands], dtype=np.bool_)[band]
    return before, undated
