"""Children, single fathers and wives' pregnancies."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from nadzor.synth._arrow import bools, date_lists
from nadzor.synth._draw import pick, tristate, years_to_days
from nadzor.synth._people import People

__all__ = ["family_columns"]

# Children a person would have by 45; births that have not happened yet by the call-up
# are dropped, so younger people end up with fewer.
_CHILDREN_SHARES = (0.35, 0.22, 0.24, 0.135, 0.04, 0.015)
_FIRST_BIRTH_AGE = (20.0, 33.0)
_BIRTH_GAP_YEARS = (1.0, 4.5)
_SHARE_TWINS = 0.015
_LAST_BIRTH_AGE = 45.0
_SHARE_SINGLE_FATHERS = 0.005
_SHARE_PREGNANCY_RECORDED = 0.03
_MAX_PREGNANCY_WEEKS = 40


def family_columns(rng: np.random.Generator, people: People) -> dict[str, pa.Array[Any]]:
    """`children_birth_dates`, `raises_children_alone` and `wife_pregnancy_weeks`."""
    counts, births = _children(rng, people)
    fathers = people.male & (counts > 0)
    alone = np.where(fathers, tristate(rng, people.size, _SHARE_SINGLE_FATHERS, 0.0), -1)
    weeks = rng.integers(0, _MAX_PREGNANCY_WEEKS, people.size, endpoint=True, dtype=np.int16)
    recorded = people.male & (rng.random(people.size) < _SHARE_PREGNANCY_RECORDED)
    return {
        "children_birth_dates": date_lists(counts, births),
        "raises_children_alone": bools(alone.astype(np.int8)),
        "wife_pregnancy_weeks": pa.array(weeks, type=pa.int16(), mask=~recorded),
    }


def _children(
    rng: np.random.Generator, people: People
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int32]]:
    """Per-row child counts and the children's birth dates, oldest first, flattened.

    Each family is a first birth at 20-33 followed by gaps of 1-4.5 years (twins share
    a date, and appear twice as records.md wants), all drawn at once for the whole chunk.
    """
    planned = pick(rng, _CHILDREN_SHARES, people.size)
    total = int(planned.sum())
    owner = np.repeat(np.arange(people.size), planned)
    gaps = rng.uniform(*_BIRTH_GAP_YEARS, total)
    gaps[rng.random(total) < _SHARE_TWINS] = 0.0
    starts = np.cumsum(planned) - planned
    firsts = starts[planned > 0]
    gaps[firsts] = rng.uniform(*_FIRST_BIRTH_AGE, len(firsts))
    running = np.cumsum(gaps)
    # Parent's age at each birth: the running sum restarted at each family's first child.
    parent_age = running - np.repeat(running[firsts] - gaps[firsts], planned[planned > 0])
    births = people.birth[owner] + years_to_days(parent_age)
    born = (parent_age <= _LAST_BIRTH_AGE) & (births <= people.callup[owner])
    counts = np.bincount(owner[born], minlength=people.size).astype(np.int64)
    return counts, births[born]
