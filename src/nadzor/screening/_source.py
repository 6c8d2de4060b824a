"""What every register reader hands on: a stream of Arrow batches plus what it noticed."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pyarrow as pa

__all__ = [
    "ROW_COLUMN",
    "InputError",
    "Produce",
    "RegisterSource",
    "StructuralReject",
    "blank_warning",
    "check_header",
    "record_schema",
    "row_numbers",
]

ROW_COLUMN = "_row"
"""The first field of every batch: the record number (1 = first record after the header)."""

_LISTED_LINES = 10


class InputError(Exception):
    """The input as a whole is unusable: the command exits 2 with this one-line message."""


@dataclass(frozen=True)
class StructuralReject:
    """A row that cannot be read as a record because it has the wrong number of fields."""

    row: int
    record_id: str
    column: str
    value: str
    error: str


Produce = Callable[["RegisterSource"], Iterator[pa.RecordBatch]]
"""What a reader plugs into its source: makes the batches, updating the source as it goes."""


@dataclass
class RegisterSource:
    """An opened register: its header, and a single-use stream of record batches.

    `warnings`, `rejects` and `rows_read` grow while the batches are read, so read them
    after the stream is exhausted for the final figures.
    """

    format: Literal["csv", "parquet", "xlsx"]
    path: str
    columns: list[str]
    schema: pa.Schema
    warnings: list[str] = field(default_factory=list)
    rejects: list[StructuralReject] = field(default_factory=list)
    rows_read: int = 0
    # Parquet files an engine may scan directly, as they are, instead of the batches: set
    # only when every file has the same raw schema and no column needs converting.
    native_files: list[str] = field(default_factory=list)
    produce: Produce | None = field(default=None, repr=False, compare=False, kw_only=True)
    _used: bool = field(default=False, init=False, repr=False, compare=False)

    def batches(self) -> Iterator[pa.RecordBatch]:
        """The records as batches with `schema`; the stream can be taken only once."""
        if self.produce is None:
            raise RuntimeError(f"no reader was attached to the source of {self.path}")
        if self._used:
            raise RuntimeError(f"the batches of {self.path} can be read only once")
        self._used = True
        return self.produce(self)

    def reader(self) -> pa.RecordBatchReader:
        """The same stream as `batches()`, as a RecordBatchReader."""
        return pa.RecordBatchReader.from_batches(self.schema, self.batches())


def check_header(raw_names: Sequence[str]) -> list[str]:
    """Trim the header names and refuse names that clash once case is ignored."""
    names = [name.strip() for name in raw_names]
    seen: set[str] = set()
    duplicates: list[str] = []
    for name in names:
        key = name.casefold()
        if key in seen and name not in duplicates:
            duplicates.append(name)
        seen.add(key)
    if duplicates:
        raise InputError(f"duplicate column(s) in header: {', '.join(duplicates)}")
    if ROW_COLUMN in seen:
        raise InputError(f"the column name {ROW_COLUMN} is reserved: rename that column")
    return names


def record_schema(fields: Sequence[pa.Field[Any]]) -> pa.Schema:
    """The batch schema: the record number first, then the register's own columns."""
    return pa.schema([pa.field(ROW_COLUMN, pa.int64(), nullable=False), *fields])


def row_numbers(first: int, count: int) -> pa.Array[Any]:
    """Consecutive record numbers `first`, `first + 1`, ... as an int64 array."""
    return pa.array(np.arange(first, first + count, dtype=np.int64))


def blank_warning(unit: str, numbers: Sequence[int], count: int) -> str:
    """One warning for all skipped blank lines or rows, naming the first few of them."""
    if count == 1:
        return f"{unit} {numbers[0]} is blank: skipped (not a record)"
    listed = ", ".join(str(n) for n in numbers[:_LISTED_LINES])
    more = ", ..." if count > _LISTED_LINES else ""
    return f"{count} blank {unit}s skipped ({unit}s {listed}{more})"
