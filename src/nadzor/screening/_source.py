"""What every register reader hands on: a stream of Arrow batches plus what it noticed."""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from nadzor.screening._workdir import RunDir, start_run

__all__ = [
    "REJECT_SCHEMA",
    "ROW_COLUMN",
    "InputError",
    "Produce",
    "RegisterSource",
    "Rejects",
    "StructuralReject",
    "blank_warning",
    "check_header",
    "lines_text",
    "record_schema",
    "row_numbers",
    "unbalanced_quote_warning",
]

ROW_COLUMN = "_row"
"""The first field of every batch: the record number (1 = first record after the header)."""

_LISTED_LINES = 10
_NUL = "\x00"
# How a NUL shows in the rejects file: the character itself would end a C string in the
# engines and is refused by PostgreSQL, so it never leaves the reader.
_NUL_SHOWN = "\u2400"
_KEEP_REJECTS = 65536

REJECT_SCHEMA: pa.Schema = pa.schema(
    [  # type: ignore[arg-type]
        (ROW_COLUMN, pa.int64()),
        ("record_id", pa.string()),
        ("column", pa.string()),
        ("value", pa.string()),
        ("error", pa.string()),
    ]
)


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


class Rejects:
    """The structural rejects of a register, in row order.

    Only the latest few thousand are kept in memory; the others are spilled to Arrow files
    in a private run folder, so millions of bad rows take disk, not memory.
    """

    def __init__(self, spill_to: Path | None = None, *, keep: int = _KEEP_REJECTS) -> None:
        self._memory: list[StructuralReject] = []
        self._files: list[Path] = []
        self._spilled = 0
        self._rows = 0
        self._last_row: int | None = None
        self._keep = keep
        self._spill_to = spill_to
        self._own: RunDir | None = None

    def append(self, reject: StructuralReject) -> None:
        if reject.row != self._last_row:
            self._rows += 1
            self._last_row = reject.row
        self._memory.append(reject)
        if len(self._memory) >= self._keep:
            self._spill()

    @property
    def rows(self) -> int:
        """How many rows were rejected (a row may have several rejects, one per column)."""
        return self._rows

    def __len__(self) -> int:
        return self._spilled + len(self._memory)

    def __bool__(self) -> bool:
        return len(self) > 0

    def __iter__(self) -> Iterator[StructuralReject]:
        for batch in self.batches():
            for row in batch.to_pylist():
                yield StructuralReject(
                    row[ROW_COLUMN], row["record_id"], row["column"], row["value"], row["error"]
                )

    def __getitem__(self, index: int) -> StructuralReject:
        return list(self)[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Rejects | list):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Rejects({list(self)!r})"

    def batches(self) -> Iterator[pa.RecordBatch]:
        """All rejects as batches of `REJECT_SCHEMA`, spilled ones first."""
        for path in self._files:
            with pa.ipc.open_stream(pa.OSFile(str(path), "r")) as reader:
                yield from reader
        if self._memory:
            yield _reject_batch(self._memory)

    def reader(self) -> pa.RecordBatchReader:
        return pa.RecordBatchReader.from_batches(REJECT_SCHEMA, self.batches())

    def _spill(self) -> None:
        if self._spill_to is None:
            self._own = start_run()
            self._spill_to = self._own.path
            weakref.finalize(self, self._own.close)
        path = self._spill_to / f"rejects-{len(self._files):06d}.arrows"
        with pa.ipc.new_stream(str(path), REJECT_SCHEMA) as writer:
            writer.write_batch(_reject_batch(self._memory))
        self._files.append(path)
        self._spilled += len(self._memory)
        self._memory = []


def _reject_batch(rejects: Sequence[StructuralReject]) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays(
        [
            pa.array([r.row for r in rejects], pa.int64()),
            pa.array([r.record_id for r in rejects], pa.string()),
            pa.array([r.column for r in rejects], pa.string()),
            pa.array([r.value for r in rejects], pa.string()),
            pa.array([r.error for r in rejects], pa.string()),
        ],
        schema=REJECT_SCHEMA,
    )


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
    rejects: Rejects = field(default_factory=Rejects)
    rows_read: int = 0
    # The column whose value names a record in rejects (matched ignoring case), if any.
    key: str | None = None
    # The whole-file problem that ended the stream, kept for when an engine reading the
    # stream reports it as an error of its own.
    failure: InputError | None = None
    # Parquet files an engine may scan directly, as they are, instead of the batches: set
    # only when every file has the same raw schema and no column needs converting.
    native_files: list[str] = field(default_factory=list)
    produce: Produce | None = field(default=None, repr=False, compare=False, kw_only=True)
    # For typed registers: read these columns as text, and leave those out (see `_fit`).
    retype: Callable[[list[str], list[str]], None] | None = field(
        default=None, repr=False, compare=False, kw_only=True
    )
    _used: bool = field(default=False, init=False, repr=False, compare=False)

    def batches(self) -> Iterator[pa.RecordBatch]:
        """The records as batches with `schema`; the stream can be taken only once."""
        if self.produce is None:
            raise RuntimeError(f"no reader was attached to the source of {self.path}")
        if self._used:
            raise RuntimeError(f"the batches of {self.path} can be read only once")
        self._used = True
        return self._checked(self.produce(self))

    def _checked(self, stream: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        key = _index(self.schema.names, self.key)
        try:
            for batch in stream:
                yield without_nul(batch, self.rejects, key)
        except InputError as exc:
            self.failure = exc
            raise

    def reader(self) -> pa.RecordBatchReader:
        """The same stream as `batches()`, as a RecordBatchReader."""
        return pa.RecordBatchReader.from_batches(self.schema, self.batches())


def _index(names: Sequence[str], key: str | None) -> int:
    if key is None:
        return -1
    keys = [name.strip().casefold() for name in names]
    wanted = key.strip().casefold()
    return keys.index(wanted) if wanted in keys else -1


def without_nul(batch: pa.RecordBatch, rejects: Rejects, key: int) -> pa.RecordBatch:
    """The batch without its rows that hold a NUL character in a text value; each such
    (row, column) becomes a reject."""
    hits: list[tuple[int, pa.Array[Any]]] = []
    for index in range(1, batch.num_columns):
        column = batch.column(index)
        if not (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
            continue
        matched = pc.match_substring(column, _NUL)
        # null (no value) counts as false: `fill_null(False)` would build a scalar, and
        # pyarrow imports pandas to build one
        found: pa.Array[Any] = pc.and_kleene(matched, pc.is_valid(matched))
        if pc.any(found).as_py():
            hits.append((index, found))
    if not hits:
        return batch
    bad = functools.reduce(pc.or_, (found for _, found in hits))
    names = batch.schema.names
    numbers = batch.column(0)
    for position in np.flatnonzero(bad.to_numpy(zero_copy_only=False)).tolist():
        record_id = _shown(batch.column(key)[position].as_py()) if key > 0 else ""
        for index, found in hits:
            if found[position].as_py():
                rejects.append(
                    StructuralReject(
                        row=numbers[position].as_py(),
                        record_id=record_id.strip(),
                        column=names[index],
                        value=_shown(batch.column(index)[position].as_py()),
                        error="contains a NUL character (code 0), which no value may hold",
                    )
                )
    return batch.filter(pc.invert(bad))


def _shown(value: object) -> str:
    return "" if value is None else str(value).replace(_NUL, _NUL_SHOWN)


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


def lines_text(numbers: Sequence[int], count: int) -> str:
    """`line 7`, or `3 lines (7, 9, 12)`: the first few of `count` lines, as warnings name them."""
    if count == 1:
        return f"line {numbers[0]}"
    listed = ", ".join(str(n) for n in numbers[:_LISTED_LINES])
    more = ", ..." if count > _LISTED_LINES else ""
    return f"{count} lines ({listed}{more})"


def unbalanced_quote_warning(numbers: Sequence[int], count: int) -> str:
    """The warning for lines whose quote never closes, whichever reader found them."""
    return (
        f"unbalanced quote on {lines_text(numbers, count)}: rejected, and the lines after"
        f" {'it' if count == 1 else 'them'} read as records of their own"
    )


def blank_warning(unit: str, numbers: Sequence[int], count: int) -> str:
    """One warning for all skipped blank lines or rows, naming the first few of them."""
    if count == 1:
        return f"{unit} {numbers[0]} is blank: skipped (not a record)"
    listed = ", ".join(str(n) for n in numbers[:_LISTED_LINES])
    more = ", ..." if count > _LISTED_LINES else ""
    return f"{count} blank {unit}s skipped ({unit}s {listed}{more})"
