"""Fast inserts of many rows: one prepared statement, values converted once per column.

Django's `bulk_create` builds a model instance per row and prepares every value through
the field machinery, which dominated the import of 100,000 findings. Here rows are plain
tuples, each column's conversion is chosen once, and the rows go to `executemany` (SQLite)
or `COPY` (PostgreSQL).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models

__all__ = ["bulk_insert"]

Convert = Callable[[Any], Any]


def bulk_insert(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    batch: int = 5000,
) -> None:
    """Insert `rows`, tuples of the values of `fields` (attribute names, e.g. `case_id`)."""
    if not rows:
        return
    by_name = {field.attname: field for field in model._meta.concrete_fields}
    unknown = [name for name in fields if name not in by_name]
    if unknown:
        raise ValueError(f"{model.__name__} has no field(s) {', '.join(unknown)}")
    quote = connection.ops.quote_name
    columns = ", ".join(quote(by_name[name].column) for name in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
    converters = [_converter(by_name[name]) for name in fields]
    plain = all(convert is None for convert in converters)
    if connection.vendor == "postgresql":
        # COPY is many times faster than row-by-row inserts on PostgreSQL.
        copy_sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(copy_sql) as copy:
            for row in rows:
                copy.write_row(
                    row
                    if plain
                    else [v if c is None else c(v) for v, c in zip(row, converters, strict=True)]
                )
        return
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            values = (
                chunk
                if plain
                else [
                    tuple(v if c is None else c(v) for v, c in zip(row, converters, strict=True))
                    for row in chunk
                ]
            )
            cursor.executemany(sql, values)


def _converter(field: models.Field[Any, Any]) -> Convert | None:
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        return _memo(ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return _memo(ops.adapt_datefield_value)
    if isinstance(field, models.JSONField):
        return lambda value: None if value is None else json.dumps(value)
    return None


def _memo(adapt: Convert) -> Convert:
    """Rows of one insert mostly share their dates and times: convert each value once."""
    seen: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        if value is None:
            return None
        if value not in seen:
            seen[value] = adapt(value)
        return seen[value]

    return convert
