"""Who is called up, and when: call-up date, sex, rank and age of every row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from nadzor.synth._draw import pick, years_to_days
from nadzor.synth._vocab import RANKS, WOMEN_AGE_LIMIT

__all__ = ["RANK_NAMES", "People", "draw_people", "epoch_days"]

RANK_NAMES: tuple[str, ...] = tuple(name for name, *_ in RANKS)

_EPOCH = dt.date(1970, 1, 1)
_SHARE_WOMEN = 0.02
_SHARE_OVER_LIMIT = 0.01
_SHARE_MINORS = 0.001
# Keeps a drawn age clear of a birthday boundary despite whole-day rounding.
_MARGIN_YEARS = 0.02


@dataclass(frozen=True)
class People:
    """Per-row facts the other columns depend on (days are counted from 1970-01-01)."""

    callup: npt.NDArray[np.int32]
    birth: npt.NDArray[np.int32]
    male: npt.NDArray[np.bool_]
    rank: npt.NDArray[np.int64]
    age_years: npt.NDArray[np.float64]

    @property
    def size(self) -> int:
        return len(self.callup)


def epoch_days(day: dt.date) -> int:
    """A date as days since 1970-01-01 (Arrow's date32)."""
    return (day - _EPOCH).days


def draw_people(
    rng: np.random.Generator, size: int, callup_from: dt.date, callup_to: dt.date
) -> People:
    """Call-up dates uniform in the window; sex, rank and an age that fits the rank."""
    callup = rng.integers(
        epoch_days(callup_from), epoch_days(callup_to), size, endpoint=True, dtype=np.int32
    )
    male = rng.random(size) >= _SHARE_WOMEN
    rank = pick(rng, [share for _, share, *_ in RANKS], size)
    age = _draw_ages(rng, male, rank)
    return People(callup, callup - years_to_days(age), male, rank, age)


def _draw_ages(
    rng: np.random.Generator, male: npt.NDArray[np.bool_], rank: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    """Ages in years: mostly between the rank's usual youngest age and its limit.

    A skewed beta puts most soldiers in their late twenties to early forties, as in the
    2022 call-ups; small tails past the age limit and under 18 give the rules work.
    """
    size = len(rank)
    youngest = np.array([young for _, _, young, _ in RANKS], dtype=np.float64)[rank]
    men_limit = np.array([limit for *_, limit in RANKS], dtype=np.float64)
    women_limit = np.array([WOMEN_AGE_LIMIT[name] for name in RANK_NAMES], dtype=np.float64)
    limit = np.where(male, men_limit[rank], women_limit[rank])
    span = limit - youngest - 2 * _MARGIN_YEARS
    age = youngest + _MARGIN_YEARS + span * rng.beta(1.8, 2.4, size)
    tail = rng.random(size)
    over = tail < _SHARE_OVER_LIMIT
    age[over] = limit[over] + rng.uniform(_MARGIN_YEARS, 6.0, int(over.sum()))
    minor = (tail >= _SHARE_OVER_LIMIT) & (tail < _SHARE_OVER_LIMIT + _SHARE_MINORS)
    age[minor] = rng.uniform(16.0, 18.0 - _MARGIN_YEARS, int(minor.sum()))
    return age
