"""Small helpers shared by the engine classes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["as_text", "compiled_sql", "sql_name", "sql_text", "typed_table_sql"]


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


def compiled_sql(backend: Any, expr: ir.Table) -> str:
    """The SQL of `expr` on `backend`, with the in-memory tables it reads registered there
    (Ibis does that only when it runs an expression itself)."""
    backend._run_pre_execute_hooks(expr)
    return str(backend.compile(expr))


def typed_table_sql(name: str, expr: ir.Table, select: str, dialect: Any, create: str) -> list[str]:
    """`create` (e.g. `CREATE TABLE`) table `name` with the column types of `expr`, then
    insert `select` (its SQL): the engine's own type for an expression may differ (a date
    plus months is a timestamp in DuckDB), and the next query compiles against `expr`'s."""
    defs = ", ".join(c.sql(dialect) for c in expr.schema().to_sqlglot_column_defs(dialect))
    cols = ", ".join(f'"{sql_name(c)}"' for c in expr.columns)
    return [
        f'{create} "{sql_name(name)}" ({defs})',
        f'INSERT INTO "{sql_name(name)}" ({cols}) {select}',
    ]
