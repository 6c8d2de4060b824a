"""Small helpers shared by the engine classes."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["as_text", "sql_name", "sql_text"]


def sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def sql_name(value: str) -> str:
    return value.replace('"', '""')


def as_text(column: Any) -> Any:
    """A typed Arrow column as the text a register file would hold."""
    typ = column.type
    if pa.types.is_string(typ):
        return column
    if pa.types.is_timestamp(typ):
        as_date = pc.cast(pc.cast(column, pa.date32()), pa.string())
        midnight = pc.equal(pc.cast(pc.cast(column, pa.date32()), typ), column)
        return pc.if_else(midnight, as_date, pc.cast(column, pa.string()))
    if pa.types.is_floating(typ):
        whole = pc.equal(pc.floor(column), column)
        as_int = pc.cast(pc.cast(column, pa.int64(), safe=False), pa.string())
        return pc.if_else(whole, as_int, pc.cast(column, pa.string()))
    if pa.types.is_list(typ) or pa.types.is_large_list(typ):
        return pc.binary_join(pc.cast(column, pa.list_(pa.string())), ";")
    return pc.cast(column, pa.string())
