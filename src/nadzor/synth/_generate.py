"""One chunk of a clean, typed register, generated column by column with numpy."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from nadzor.synth._arrow import labels, serial_ids
from nadzor.synth._columns import TYPED_SCHEMA
from nadzor.synth._convictions import conviction_columns
from nadzor.synth._draw import ROWS_STREAM, chunk_rng, pick
from nadzor.synth._family import family_columns
from nadzor.synth._health import health_columns
from nadzor.synth._options import SynthOptions
from nadzor.synth._people import RANK_NAMES, People, draw_people
from nadzor.synth._status import status_columns
from nadzor.synth._vocab import COMMISSARIATS

__all__ = ["ID_PREFIX", "generate_chunk", "id_width"]

ID_PREFIX = "R"
_MIN_ID_DIGITS = 9

_PLACES = [(region, office) for region, _, offices in COMMISSARIATS for office in offices]
_PLACE_WEIGHTS = [weight / len(offices) for _, weight, offices in COMMISSARIATS for _ in offices]


def id_width(records: int) -> int:
    """Digits in every record_id of a register: 9, or more for a register that needs them."""
    return max(_MIN_ID_DIGITS, len(str(records)))


def generate_chunk(options: SynthOptions, index: int) -> pa.Table:
    """Rows of chunk `index` as a clean table in `TYPED_SCHEMA`.

    The chunk depends only on the options and its index, never on other chunks.
    """
    start, stop = options.chunk_bounds(index)
    size = max(stop - start, 0)
    rng = chunk_rng(options.seed, index, ROWS_STREAM)
    people = draw_people(rng, size, options.callup_from, options.callup_to)
    columns = {
        "record_id": serial_ids(ID_PREFIX, start + 1, size, id_width(options.records)),
        **_identity_columns(people),
        **health_columns(rng, people),
        **family_columns(rng, people),
        **status_columns(rng, people),
        **conviction_columns(rng, size),
        **_place_columns(rng, size),
    }
    return pa.Table.from_arrays([columns[f.name] for f in TYPED_SCHEMA], schema=TYPED_SCHEMA)


def _identity_columns(people: People) -> dict[str, pa.Array[Any]]:
    return {
        "callup_date": pa.array(people.callup, type=pa.date32()),
        "birth_date": pa.array(people.birth, type=pa.date32()),
        "sex": labels(("F", "M"), people.male.astype(np.int64)),
        "rank_group": labels(RANK_NAMES, people.rank),
    }


def _place_columns(rng: np.random.Generator, size: int) -> dict[str, pa.Array[Any]]:
    place = pick(rng, _PLACE_WEIGHTS, size)
    return {
        "region": labels([region for region, _ in _PLACES], place),
        "commissariat": labels([office for _, office in _PLACES], place),
    }
