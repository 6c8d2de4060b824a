"""Unspent convictions: article numbers and the grave-crime flag."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from nadzor.synth._arrow import bools, labels, lists
from nadzor.synth._draw import pick
from nadzor.synth._vocab import ARTICLES

__all__ = ["conviction_columns"]

_SHARE_CONVICTED = 0.01
_ARTICLES_PER_PERSON_SHARES = (0.0, 0.8, 0.2)  # 0, 1 or 2 articles
_SHARE_GRAVE_AMONG_CONVICTED = 0.5


def conviction_columns(rng: np.random.Generator, size: int) -> dict[str, pa.Array[Any]]:
    """`conviction_articles` (null for most) and `conviction_grave` (recorded if convicted)."""
    convicted = rng.random(size) < _SHARE_CONVICTED
    counts = np.where(convicted, pick(rng, _ARTICLES_PER_PERSON_SHARES, size), 0)
    article = pick(rng, [share for _, share in ARTICLES], int(counts.sum()))
    values = labels([name for name, _ in ARTICLES], article)
    grave = np.where(convicted, rng.random(size) < _SHARE_GRAVE_AMONG_CONVICTED, -1)
    return {
        "conviction_articles": lists(counts, values),
        "conviction_grave": bools(grave.astype(np.int8)),
    }
