"""Fit a typed register's columns to the record type before the engine reads them.

Parquet columns carry physical types. A type the record type cannot take as it is (an
integer where a date is expected, a date where a number is) is read as text, so that each
value gets the row error that text in its place would get. A nested value (a struct, a
map) cannot be written as text a person would recognise, and bytes are text only if they
are valid UTF-8: such a column stops the run (exit 2) with one line naming it.
"""

from __future__ import annotations

import pyarrow as pa

from nadzor.rules import RecordType
from nadzor.screening._source import InputError, RegisterSource

__all__ = ["fit_columns", "misfits"]


def fit_columns(source: RegisterSource, record: RecordType) -> None:
    """Check the typed columns the record type reads; have the reader turn misfits to text
    and leave out the nested columns the record type does not read."""
    if source.retype is None:
        return  # every column is text already
    text, drop = misfits(source, record)
    if text or drop:
        source.retype(text, drop)


def misfits(source: RegisterSource, record: RecordType) -> tuple[list[str], list[str]]:
    """The header names of the columns to read as text, and of the unread columns to leave
    out; raises InputError for a column the record type reads that is unusable."""
    by_fold = {name.casefold(): name for name in source.columns}
    types = {field.name: field.type for field in source.schema}
    text: list[str] = []
    used: set[str] = set()
    for col in record.columns:
        name = by_fold.get(col.name.casefold())
        if name is None:
            continue
        used.add(name)
        physical = types[name]
        if _nested(physical) and not _list_fits(col.type, physical):
            wanted = _expected(col.type)
            advice = "text" if wanted == "text" else f"{wanted} or as text"
            raise InputError(
                f"column {name} holds {_kind(physical)} values ({physical}), which cannot be"
                f" read as {wanted}: write it as {advice}"
            )
        if not _fits(col.type, physical):
            text.append(name)
    drop = [
        name
        for name in source.columns
        if name not in used and (_nested(types[name]) or _binary(types[name]))
    ]
    return text, drop


def _nested(physical: pa.DataType) -> bool:
    return bool(
        pa.types.is_struct(physical)
        or pa.types.is_map(physical)
        or pa.types.is_union(physical)
        or pa.types.is_list(physical)
        or pa.types.is_large_list(physical)
        or pa.types.is_fixed_size_list(physical)
        or pa.types.is_list_view(physical)
    )


def _list_fits(kind: str, physical: pa.DataType) -> bool:
    """A list column is fine for a list field when its items are plain values."""
    if not kind.startswith("list<"):
        return False
    if not (pa.types.is_list(physical) or pa.types.is_large_list(physical)):
        return False
    item = physical.value_type
    return not _nested(item) and not _binary(item)


def _binary(physical: pa.DataType) -> bool:
    return bool(
        pa.types.is_binary(physical)
        or pa.types.is_large_binary(physical)
        or pa.types.is_fixed_size_binary(physical)
        or pa.types.is_binary_view(physical)
    )


def _fits(kind: str, physical: pa.DataType) -> bool:
    """Can the engine read this physical type as it is for a field of this kind?"""
    if pa.types.is_string(physical) or pa.types.is_null(physical):
        return True
    if kind == "date":
        return pa.types.is_date(physical) or pa.types.is_timestamp(physical)
    if kind == "int":
        return pa.types.is_integer(physical) or pa.types.is_floating(physical)
    if kind == "bool":
        return pa.types.is_boolean(physical)
    if kind.startswith("list<"):
        return _list_fits(kind, physical)
    return False


def _kind(physical: pa.DataType) -> str:
    if pa.types.is_struct(physical):
        return "struct"
    if pa.types.is_map(physical):
        return "map"
    if pa.types.is_union(physical):
        return "union"
    return "nested list"


def _expected(kind: str) -> str:
    return {
        "date": "a date",
        "int": "a whole number",
        "bool": "a yes/no value",
        "list<date>": "a list of dates",
        "list<text>": "a list of text",
        "list<int>": "a list of whole numbers",
    }.get(kind, "text")
