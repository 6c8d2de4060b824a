"""`--dirty`: spoil a small share of rows with the malformed values records.md rejects."""

from __future__ import annotations

import datetime as dt
from typing import cast

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from nadzor.synth._draw import pick
from nadzor.synth._spoilers import SPOILERS, RowFacts

__all__ = ["DIRTY_SHARE", "spoil"]

DIRTY_SHARE = 0.005

_Edits = dict[str, tuple[list[int], list[str | None]]]


def spoil(text: pa.Table, typed: pa.Table, rng: np.random.Generator) -> tuple[pa.Table, int]:
    """`text` (the `to_text` of `typed`) with about `DIRTY_SHARE` of rows spoiled.

    Each chosen row gets exactly one malformed value, so that screening rejects exactly
    these rows (those called up before the rulebook only while judged on their own date).
    Returns the table and the number of spoiled rows.
    """
    rows = np.flatnonzero(rng.random(text.num_rows) < DIRTY_SHARE)
    kinds = pick(rng, [weight for _, weight in SPOILERS], len(rows))
    # A duplicate repeats the id of a random earlier row (the nearest unspoiled one at or
    # above it), so that the id surely occurs before and the copy is the one rejected.
    picked = (rng.random(len(rows)) * rows).astype(np.intp)
    sources = _nearest_clean_above(text.num_rows, rows)[picked]
    earlier_ids = text.column("record_id").take(np.maximum(sources, 0)).to_pylist()
    callups = cast(list[dt.date], typed.column("callup_date").take(rows).to_pylist())
    births = cast(list[dt.date], typed.column("birth_date").take(rows).to_pylist())
    edits: _Edits = {}
    # A Python loop is fine here: it runs over ~0.5% of the rows.
    for i, row in enumerate(rows.tolist()):
        earlier = earlier_ids[i] if sources[i] >= 0 else None
        spoiler = SPOILERS[int(kinds[i])][0]
        column, value = spoiler(RowFacts(rng, callups[i], births[i], earlier))
        at, values = edits.setdefault(column, ([], []))
        at.append(row)
        values.append(value)
    return _apply(text, edits), len(rows)


def _nearest_clean_above(size: int, spoiled: npt.NDArray[np.intp]) -> npt.NDArray[np.intp]:
    """For every row, the index of the nearest unspoiled row at or above it (-1 if none)."""
    position = np.arange(size)
    position[spoiled] = -1
    if size == 0:
        return position
    nearest: npt.NDArray[np.intp] = np.maximum.accumulate(position)
    return nearest


def _apply(table: pa.Table, edits: _Edits) -> pa.Table:
    for column in sorted(edits):
        rows, values = edits[column]
        original = table.column(column).combine_chunks()
        # Append the new values and pick them by index: one `take`, much faster than
        # `replace_with_mask` on string columns.
        index = np.arange(table.num_rows, dtype=np.int64)
        index[rows] = table.num_rows + np.arange(len(rows))
        both = pa.concat_arrays([original, pa.array(values, pa.string())])
        at = table.schema.get_field_index(column)
        table = table.set_column(at, column, both.take(index))
    return table
