"""Read one or more Parquet files as one register, keeping the columns' own types."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from nadzor.screening._engine_sql import sql_name
from nadzor.screening._source import (
    InputError,
    RegisterSource,
    check_header,
    record_schema,
    row_numbers,
)

__all__ = ["read_parquet", "text_holds_nul"]

_READ_ERRORS = (pa.ArrowException, OSError)
_LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class _File:
    """One Parquet file's header: trimmed names and plain types, in file order."""

    path: str
    names: list[str]
    types: list[pa.DataType]

    def order(self, first: _File) -> list[int]:
        """For each column of `first`, its index in this file (names matched ignoring case)."""
        mine = {name.casefold(): i for i, name in enumerate(self.names)}
        theirs = {name.casefold() for name in first.names}
        missing = [name for name in first.names if name.casefold() not in mine]
        extra = [name for name in self.names if name.casefold() not in theirs]
        if missing or extra:
            parts = [
                f"missing {', '.join(missing)}" if missing else "",
                f"extra {', '.join(extra)}" if extra else "",
            ]
            difference = "; ".join(part for part in parts if part)
            raise InputError(f"{self.path} has other columns than {first.path}: {difference}")
        return [mine[name.casefold()] for name in first.names]


@dataclass(frozen=True)
class _Column:
    """Where a register column sits in one file, and the type it takes in the batches."""

    index: int
    target: pa.DataType
    as_text: bool
    name: str = ""


def read_parquet(paths: Sequence[str], *, label: str, batch_rows: int) -> RegisterSource:
    """Open Parquet files, in the order given, as one register numbered across the files."""
    files = [_read_file(path) for path in paths]
    columns = files[0].names
    orders = [file.order(files[0]) for file in files]
    warnings: list[str] = []
    targets = [
        _target(
            name,
            [file.types[order[i]] for file, order in zip(files, orders, strict=True)],
            warnings,
        )
        for i, name in enumerate(columns)
    ]
    source = RegisterSource(
        format="parquet",
        path=label,
        columns=columns,
        schema=record_schema(
            [pa.field(name, target) for name, (target, _) in zip(columns, targets, strict=True)]
        ),
        warnings=warnings,
    )
    plans = [
        [_Column(index, *targets[i], name=columns[i]) for i, index in enumerate(order)]
        for order in orders
    ]
    stream = _Stream(list(paths), plans, batch_rows)
    source.produce = stream.batches
    source.retype = functools.partial(_retype, source, stream)
    if _scannable_as_is(paths, plans):
        source.native_files = list(paths)
    return source


def _retype(source: RegisterSource, stream: _Stream, text: list[str], drop: list[str]) -> None:
    """Read the columns named in `text` as text, and leave out those in `drop`."""
    keep = [i for i, name in enumerate(source.columns) if name not in drop]
    for plan in stream.plans:
        plan[:] = [
            _Column(col.index, pa.string(), True, name=col.name) if col.name in text else col
            for i, col in enumerate(plan)
            if i in keep
        ]
    source.columns = [source.columns[i] for i in keep]
    source.schema = record_schema([pa.field(col.name, col.target) for col in stream.plans[0]])
    source.native_files = []


def text_holds_nul(paths: Sequence[str]) -> bool:
    """Does any text column hold a NUL character? Then the files cannot be scanned as they
    are: they are read through the batches, where every (row, column) with a NUL becomes a
    reject naming both (`without_nul`).

    DuckDB reads the text columns (in parallel, stopping at the first NUL), which costs a
    fifth of decoding them through Arrow; where it cannot (text that is not UTF-8, for
    one), Arrow reads them as before, so that such a file is still scanned as it is."""
    import duckdb

    try:
        con = duckdb.connect(":memory:")
        try:
            for path in paths:
                names = _text_columns(path)
                if not names:
                    continue
                found = " OR ".join(f'contains("{sql_name(name)}", chr(0))' for name in names)
                query = f"SELECT 1 FROM read_parquet(?) WHERE {found} LIMIT 1"
                if con.execute(query, [path]).fetchall():
                    return True
        finally:
            con.close()
    except (*_READ_ERRORS, duckdb.Error):
        return _arrow_holds_nul(paths)
    return False


def _text_columns(path: str) -> list[str]:
    with pq.ParquetFile(path) as file:
        return [f.name for f in file.schema_arrow if pa.types.is_string(_plain(f.type))]


def _arrow_holds_nul(paths: Sequence[str]) -> bool:
    """`text_holds_nul` through Arrow: one batch of one column in memory at a time."""
    for path in paths:
        try:
            with pq.ParquetFile(path) as file:
                names = [f.name for f in file.schema_arrow if pa.types.is_string(_plain(f.type))]
                for name in names:
                    for batch in file.iter_batches(columns=[name], batch_size=65536):
                        column = batch.column(0).cast(pa.large_string())
                        if pc.any(pc.match_substring(column, "\x00")).as_py():
                            return True
        except _READ_ERRORS:
            # unreadable here: the batches read it again and report the error
            return True
    return False


def _scannable_as_is(paths: Sequence[str], plans: list[list[_Column]]) -> bool:
    """Every file has the same raw schema, and no column is converted on the way."""
    try:
        first = pq.read_schema(paths[0])
        same = all(pq.read_schema(path).equals(first) for path in paths[1:])
    except _READ_ERRORS:
        return False
    plain = all(
        not col.as_text and first.field(col.index).type == col.target
        for plan in plans
        for col in plan
    )
    names_clean = all(name == name.strip() for name in first.names)
    return same and plain and names_clean


def _read_file(path: str) -> _File:
    try:
        schema = pq.read_schema(path)
    except _READ_ERRORS as exc:
        raise InputError(f"{path} is not a readable Parquet file: {_reason(exc)}") from exc
    return _File(path, check_header(schema.names), [_plain(t) for t in schema.types])


def _plain(type_: pa.DataType) -> pa.DataType:
    """The type without storage variants: dictionaries decoded, large strings and lists not."""
    if pa.types.is_dictionary(type_):
        return _plain(type_.value_type)
    if pa.types.is_large_string(type_) or pa.types.is_string_view(type_):
        return pa.string()
    if pa.types.is_list(type_) or pa.types.is_large_list(type_) or pa.types.is_list_view(type_):
        return pa.list_(_plain(type_.value_type))
    return type_


def _target(name: str, types: list[pa.DataType], warnings: list[str]) -> tuple[pa.DataType, bool]:
    """The one type of a column across files: (type, whether it is text made from others)."""
    known = {t for t in types if not pa.types.is_null(t)}
    if not known:
        return pa.string(), False
    if len(known) == 1:
        return known.pop(), False
    if all(pa.types.is_integer(t) and t != pa.uint64() for t in known):
        return pa.int64(), False
    listed = ", ".join(sorted(str(t) for t in known))
    warnings.append(f"column {name} has different types in the files ({listed}): read as text")
    return pa.string(), True


@dataclass(frozen=True)
class _Stream:
    paths: list[str]
    plans: list[list[_Column]]
    batch_rows: int

    def batches(self, source: RegisterSource) -> Iterator[pa.RecordBatch]:
        for path, plan in zip(self.paths, self.plans, strict=True):
            try:
                with pq.ParquetFile(path) as file:
                    for batch in file.iter_batches(batch_size=self.batch_rows):
                        arrays = [_convert(batch.column(c.index), c) for c in plan]
                        rows = row_numbers(source.rows_read + 1, batch.num_rows)
                        source.rows_read += batch.num_rows
                        yield pa.RecordBatch.from_arrays([rows, *arrays], schema=source.schema)
            except _READ_ERRORS as exc:
                raise InputError(f"{path} is not a readable Parquet file: {_reason(exc)}") from exc


def _convert(array: pa.Array[Any], column: _Column) -> pa.Array[Any]:
    if column.as_text:
        try:
            return _as_text(array)
        except pa.ArrowInvalid as exc:
            raise InputError(
                f"column {column.name} cannot be read as text ({array.type}): {_reason(exc)}"
            ) from exc
    return array if array.type == column.target else array.cast(column.target)


def _as_text(array: pa.Array[Any]) -> pa.Array[Any]:
    """Values as the text a CSV would hold: ISO dates, true/false, `;`-joined lists."""
    type_ = array.type
    if _plain(type_) != type_:
        return _as_text(array.cast(_plain(type_)))
    if isinstance(array, pa.ListArray):
        return _list_as_text(array)
    if pa.types.is_timestamp(type_):
        return _timestamp_as_text(array)
    return array.cast(pa.string())


def _list_as_text(array: pa.ListArray[Any]) -> pa.Array[Any]:
    offsets = array.offsets
    start, stop = offsets[0].as_py(), offsets[-1].as_py()
    items = _as_text(array.values.slice(start, stop - start))
    lists = pa.ListArray.from_arrays(pc.subtract(offsets, start), items, mask=array.is_null())
    return cast("pa.Array[Any]", pc.binary_join(lists, _LIST_SEPARATOR))


def _timestamp_as_text(array: pa.Array[Any]) -> pa.Array[Any]:
    """A midnight timestamp is a date; any other keeps its time, so it is not taken as one."""
    day = pc.cast(array, pa.date32(), safe=False)
    midnight = pc.equal(day.cast(array.type), array)
    return cast(
        "pa.Array[Any]", pc.if_else(midnight, day.cast(pa.string()), array.cast(pa.string()))
    )


def _reason(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
