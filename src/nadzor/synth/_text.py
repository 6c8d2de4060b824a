"""Typed register columns as the text a CSV file or a spreadsheet export carries."""

from __future__ import annotations

from typing import Any, cast

import pyarrow as pa
import pyarrow.compute as pc

from nadzor.synth._columns import TEXT_SCHEMA

__all__ = ["LIST_SEPARATOR", "to_text"]

LIST_SEPARATOR = ";"


def to_text(table: pa.Table) -> pa.Table:
    """The same rows in `TEXT_SCHEMA`: dates `YYYY-MM-DD`, bools `true`/`false`, lists
    `;`-joined; not-recorded values stay null. A text table comes back unchanged."""
    return pa.Table.from_arrays(
        [_column_text(table.column(name)) for name in TEXT_SCHEMA.names], schema=TEXT_SCHEMA
    )


def _column_text(column: pa.ChunkedArray[Any]) -> pa.ChunkedArray[Any]:
    if pa.types.is_list(column.type):
        as_text = column.cast(pa.list_(pa.string()))
        return cast("pa.ChunkedArray[Any]", pc.binary_join(as_text, LIST_SEPARATOR))
    return column.cast(pa.string())
