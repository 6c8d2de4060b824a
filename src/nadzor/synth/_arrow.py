"""Numpy arrays to Arrow columns without per-row Python work."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["bools", "date_lists", "dates", "labels", "lists", "serial_ids"]


def dates(
    days: npt.NDArray[np.int32], missing: npt.NDArray[np.bool_] | None = None
) -> pa.Array[Any]:
    """Days since 1970-01-01 as date32, null where `missing`."""
    return pa.array(days.astype(np.int32, copy=False), type=pa.date32(), mask=missing)


def bools(codes: npt.NDArray[np.int8]) -> pa.Array[Any]:
    """Tri-state codes (1, 0, -1) as a nullable bool column."""
    return pa.array(codes == 1, type=pa.bool_(), mask=codes < 0)


def labels(
    vocabulary: Sequence[str],
    index: npt.NDArray[np.int64],
    missing: npt.NDArray[np.bool_] | None = None,
) -> pa.Array[Any]:
    """Strings chosen from `vocabulary` by `index`, null where `missing`."""
    indices = pa.array(index, type=pa.int32(), mask=missing)
    return pc.take(pa.array(vocabulary, type=pa.string()), indices)


def lists(counts: npt.NDArray[np.int64], values: pa.Array[Any]) -> pa.Array[Any]:
    """A list column with `counts[i]` consecutive `values` in row i; null where none."""
    offsets = np.zeros(len(counts) + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    list_type = pa.list_(values.type)
    return pa.ListArray.from_arrays(
        pa.array(offsets, type=pa.int32()),
        values,
        type=list_type,
        mask=pa.array(counts == 0, type=pa.bool_()),
    )


def date_lists(counts: npt.NDArray[np.int64], flat_days: npt.NDArray[np.int32]) -> pa.Array[Any]:
    """list<date32> with `counts[i]` dates in row i, null for rows with none."""
    return lists(counts, pa.array(flat_days, type=pa.date32()))


def serial_ids(prefix: str, first: int, count: int, width: int) -> pa.Array[Any]:
    """`prefix` + zero-padded serial numbers first, first+1, ... built as one buffer.

    Formatting millions of ids in Python would dominate the run time; writing the digits
    straight into the string buffer keeps it to a few array operations.
    """
    head = np.frombuffer(prefix.encode("ascii"), dtype=np.uint8)
    size = len(head) + width
    serial = np.arange(first, first + count, dtype=np.int64)
    chars = np.empty((count, size), dtype=np.uint8)
    chars[:, : len(head)] = head
    for position in range(width):
        power = 10 ** (width - 1 - position)
        chars[:, len(head) + position] = (serial // power) % 10 + ord("0")
    offsets = np.arange(0, (count + 1) * size, size, dtype=np.int32)
    return pa.StringArray.from_buffers(
        count, pa.py_buffer(offsets.tobytes()), pa.py_buffer(chars.tobytes())
    )
