"""Random streams and vectorised draws shared by the column generators."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = [
    "DAYS_PER_YEAR",
    "DIRT_STREAM",
    "ROWS_STREAM",
    "chunk_rng",
    "pick",
    "tristate",
    "years_to_days",
]

DAYS_PER_YEAR = 365.2425

# Sub-streams of one chunk. The rows and the dirt get separate streams so that a --dirty
# register is the clean one with some values spoiled, row for row.
ROWS_STREAM = 0
DIRT_STREAM = 1


def chunk_rng(seed: int, chunk: int, stream: int) -> np.random.Generator:
    """The generator for one chunk: a function of (seed, chunk, stream) only.

    Chunks never share state, so any chunk can be drawn alone, in any order or thread,
    and still give the same rows.
    """
    sequence = np.random.SeedSequence(seed, spawn_key=(chunk, stream))
    return np.random.Generator(np.random.PCG64(sequence))


def pick(rng: np.random.Generator, weights: Sequence[float], size: int) -> npt.NDArray[np.int64]:
    """Indices into `weights` drawn in proportion to them."""
    cumulative = np.cumsum(np.asarray(weights, dtype=np.float64))
    drawn = rng.random(size) * cumulative[-1]
    # side="right" so that a zero-weight entry is never chosen.
    index = np.searchsorted(cumulative, drawn, side="right")
    clipped: npt.NDArray[np.int64] = np.minimum(index, len(cumulative) - 1).astype(np.int64)
    return clipped


def tristate(
    rng: np.random.Generator, size: int, p_true: float, p_false: float
) -> npt.NDArray[np.int8]:
    """Codes for an optional bool: 1 true, 0 false, -1 not recorded (the usual case)."""
    u = rng.random(size)
    codes = np.full(size, -1, dtype=np.int8)
    codes[u < p_true + p_false] = 0
    codes[u < p_true] = 1
    return codes


def years_to_days(years: npt.NDArray[np.float64]) -> npt.NDArray[np.int32]:
    """A span in (fractional) years as whole days."""
    return np.rint(years * DAYS_PER_YEAR).astype(np.int32)
