"""`--dirty` for any record type: about `DIRTY_SHARE` of rows get one malformed value each.

Each spoiled value is one that screening must reject, chosen by the column's declared
type: a date that does not exist, a number with a letter or beyond the declared range, a
value outside the enum, a yes/no that is neither, an empty required value, a repeated key.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa

from nadzor.synth._dirty import DIRTY_SHARE
from nadzor.synth._draw import DIRT_STREAM, chunk_rng
from nadzor.synth._plan import ColumnPlan, RecordPlan

__all__ = ["spoil_records"]

Spoiler = Callable[[ColumnPlan, np.random.Generator], str]


def _bad_date(column: ColumnPlan, rng: np.random.Generator) -> str:
    return str(rng.choice(["2022-02-30", "2022-13-01", "31.09.2022", "yesterday"]))


def _bad_number(column: ColumnPlan, rng: np.random.Generator) -> str:
    if column.max is not None and rng.random() < 0.5:
        return str(int(column.max) + 1)
    return str(rng.choice(["12x", "n/a", "1 000"]))


def _bad_decimal(column: ColumnPlan, rng: np.random.Generator) -> str:
    return str(rng.choice(["1.2.3", "12,5,0", "about 10"]))


def _bad_bool(column: ColumnPlan, rng: np.random.Generator) -> str:
    return str(rng.choice(["perhaps", "2", "unknown"]))


def _bad_enum(column: ColumnPlan, rng: np.random.Generator) -> str:
    return "not-" + str(rng.choice(list(column.values)))


def _empty(column: ColumnPlan, rng: np.random.Generator) -> str:
    return ""


_BY_TYPE: dict[str, Spoiler] = {
    "date": _bad_date,
    "int": _bad_number,
    "decimal": _bad_decimal,
    "bool": _bad_bool,
    "enum": _bad_enum,
}


def spoil_records(plan: RecordPlan, text: pa.Table, seed: int, index: int) -> tuple[pa.Table, int]:
    """`text` (one chunk as text) with about `DIRTY_SHARE` of its rows spoiled, and how many.

    The stream is the chunk's dirt stream, so a dirty register is the clean one with some
    values spoiled, row for row.
    """
    rng = chunk_rng(seed, index, DIRT_STREAM)
    rows = np.flatnonzero(rng.random(text.num_rows) < DIRTY_SHARE)
    spoilable = [c for c in plan.columns if c.type in _BY_TYPE or c.required]
    if not len(rows) or not spoilable:
        return text, 0
    columns = {name: text.column(name).to_pylist() for name in text.column_names}
    keys = columns[plan.key]
    for row in rows.tolist():
        column = spoilable[int(rng.integers(0, len(spoilable)))]
        if column.name == plan.key:
            # A repeated key: the id of an earlier row, so the copy is the one rejected.
            columns[column.name][row] = keys[int(rng.integers(0, row))] if row else ""
            continue
        spoiler = _BY_TYPE.get(column.type, _empty) if column.type in _BY_TYPE else _empty
        columns[column.name][row] = spoiler(column, rng)
    table = pa.table({name: pa.array(values, pa.string()) for name, values in columns.items()})
    return table, len(rows)
