"""Legal status: citizenship, reserve, care duties, reservations, studies, sectors."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from nadzor.synth._arrow import bools, dates
from nadzor.synth._draw import tristate
from nadzor.synth._people import People

__all__ = ["status_columns"]

_SHARE_CITIZENS = 0.997
_SHARE_IN_RESERVE = 0.99
_SHARE_RESERVED = 0.015
_SHARE_RESERVATION_EXPIRED = 0.2
_STUDENT_AGE = 25.0
_SHARE_STUDENTS_AMONG_YOUNG = 0.07
_SHARE_STUDIES_ENDED = 0.15


def status_columns(rng: np.random.Generator, people: People) -> dict[str, pa.Array[Any]]:
    """Required citizenship and reserve flags, and the optional status columns."""
    size = people.size
    carer = tristate(rng, size, 0.01, 0.01)
    guardian = tristate(rng, size, 0.002, 0.004)
    # Asked only of those who claim a care duty, and answered by about half of them.
    asked = ((carer == 1) | (guardian == 1)) & (rng.random(size) < 0.5)
    others = np.where(asked, (rng.random(size) < 0.4).astype(np.int8), -1).astype(np.int8)
    return {
        "ru_citizen": pa.array(rng.random(size) < _SHARE_CITIZENS),
        "in_reserve": pa.array(rng.random(size) < _SHARE_IN_RESERVE),
        "cares_for_relative": bools(carer),
        "guardian_of_minor_sibling": bools(guardian),
        "other_carers_available": bools(others),
        "reserved_until": _reservations(rng, people),
        "full_time_student_until": _studies(rng, people),
        "defence_industry_worker": bools(tristate(rng, size, 0.01, 0.02)),
        "it_sector_worker": bools(tristate(rng, size, 0.015, 0.02)),
        "legislator": bools(tristate(rng, size, 0.00001, 0.0)),
    }


def _reservations(rng: np.random.Generator, people: People) -> pa.Array[Any]:
    """Last day of an employer's reservation: mostly ahead of the call-up, some lapsed."""
    size = people.size
    ahead = rng.integers(30, 900, size, endpoint=True, dtype=np.int32)
    lapsed = -rng.integers(1, 365, size, endpoint=True, dtype=np.int32)
    offset = _either(rng, _SHARE_RESERVATION_EXPIRED, lapsed, ahead)
    held = rng.random(size) < _SHARE_RESERVED
    return dates(people.callup + offset, ~held)


def _studies(rng: np.random.Generator, people: People) -> pa.Array[Any]:
    """Expected end of full-time study, for some of the young; a few already past."""
    size = people.size
    ahead = rng.integers(60, 1500, size, endpoint=True, dtype=np.int32)
    ended = -rng.integers(1, 400, size, endpoint=True, dtype=np.int32)
    offset = _either(rng, _SHARE_STUDIES_ENDED, ended, ahead)
    young = people.age_years < _STUDENT_AGE
    studying = young & (rng.random(size) < _SHARE_STUDENTS_AMONG_YOUNG)
    return dates(people.callup + offset, ~studying)


def _either(
    rng: np.random.Generator,
    share_first: float,
    first: npt.NDArray[np.int32],
    second: npt.NDArray[np.int32],
) -> npt.NDArray[np.int32]:
    """`first` for about `share_first` of rows, else `second`."""
    return np.where(rng.random(len(first)) < share_first, first, second)
