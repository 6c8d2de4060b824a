"""A PostgreSQL server as the engine: the register is loaded with COPY into temporary
tables and the same compiled rules run inside the server."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

import pyarrow as pa

from nadzor.screening._engine import Engine, register_engine, shape_insert_sql
from nadzor.screening._engine_sql import as_text, compiled_sql, sql_name, typed_table_sql
from nadzor.screening._source import InputError

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["PostgresEngine"]


class PostgresEngine:
    name = "postgresql"
    scans_parquet = False
    holds_nul = False
    stores_stages = True

    def __init__(self, url: str) -> None:
        import ibis  # here: the default engine runs cached SQL without loading Ibis

        parsed = urlparse(url)
        try:
            self.backend: Any = ibis.postgres.connect(
                host=parsed.hostname or "localhost",
                port=parsed.port or 5432,
                user=unquote(parsed.username) if parsed.username else None,
                password=unquote(parsed.password) if parsed.password else None,
                database=parsed.path.lstrip("/") or None,
            )
        except Exception as exc:  # the driver's errors are many; the user needs one line
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise InputError(
                f"cannot connect to PostgreSQL at {parsed.hostname}:{parsed.port or 5432}: {first}"
            ) from None

    def table(self, name: str) -> ir.Table:
        return self.backend.table(name)

    def load(self, name: str, reader: pa.RecordBatchReader) -> None:
        import pyarrow.csv as pacsv

        # COPY, because row-by-row inserts would dominate the run time
        names = [f for f in reader.schema.names if f != "_row"]
        cols = ", ".join(
            ['"_row" bigint'] + [f'"{n}" text' for n in names] + ['"_shape" boolean DEFAULT false']
        )
        con = self.backend.con
        with con.cursor() as cur:
            cur.execute(f'DROP TABLE IF EXISTS "{name}"')
            cur.execute(f'CREATE TEMP TABLE "{name}" ({cols})')
            target = ", ".join(f'"{n}"' for n in ["_row", *names])
            with cur.copy(f'COPY "{name}" ({target}) FROM STDIN WITH (FORMAT csv)') as copy:
                for batch in reader:
                    arrays = [batch.column("_row")] + [as_text(batch.column(n)) for n in names]
                    text = pa.RecordBatch.from_arrays(arrays, names=["_row", *names])
                    buffer = io.BytesIO()
                    pacsv.write_csv(
                        text,
                        buffer,
                        pacsv.WriteOptions(include_header=False, quoting_style="all_valid"),
                    )
                    copy.write(buffer.getvalue())
        con.commit()

    def scan_parquet(self, name: str, files: list[str], renames: dict[str, str]) -> int:
        raise NotImplementedError("PostgreSQL reads Parquet through the batches")

    def append_shape_rows(
        self, name: str, key_column: str | None, rows: list[tuple[int, str]]
    ) -> None:
        if not rows:
            return
        columns = ["_row", "_shape", *([key_column] if key_column else [])]
        cols = ", ".join(f'"{c}"' for c in columns)
        values = [(row, True, *([key] if key_column else [])) for row, key in rows]
        with self.backend.con.cursor() as cur:
            placeholders = ", ".join(["%s"] * len(columns))
            cur.executemany(f'INSERT INTO "{name}" ({cols}) VALUES ({placeholders})', values)
        self.backend.con.commit()

    def append_shape_table(self, name: str, key_column: str | None, shape: str) -> None:
        with self.backend.con.cursor() as cur:
            cur.execute(shape_insert_sql(name, key_column, shape))
        self.backend.con.commit()

    def materialize(self, name: str, expr: ir.Table) -> ir.Table:
        return self.backend.create_table(name, expr, temp=True, overwrite=True)

    def stage(self, name: str, expr: ir.Table) -> ir.Table:
        # PostgreSQL flattens nested selects into one expression tree, which grows with
        # every stage; a table in between keeps its planning short.
        return self.materialize(name, expr)

    def batches(self, expr: ir.Table) -> pa.RecordBatchReader:
        return self.backend.to_pyarrow_batches(expr, chunk_size=65536)  # type: ignore[no-any-return]

    def copy_parquet(self, expr: ir.Table, path: Path) -> int | None:
        return None

    def to_arrow(self, expr: ir.Table) -> pa.Table:
        return self.backend.to_pyarrow(expr)  # type: ignore[no-any-return]

    def close(self) -> None:
        self.backend.disconnect()

    def compile(self, expr: ir.Table) -> str:
        return compiled_sql(self.backend, expr)

    def columns(self, name: str) -> list[tuple[str, str]]:
        with self.backend.con.cursor() as cur:
            cur.execute(
                "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
                " WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped"
                " ORDER BY attnum",
                (f'"{sql_name(name)}"',),
            )
            return [(str(n), str(t)) for n, t in cur.fetchall()]

    def create_table_sql(self, name: str, expr: ir.Table) -> list[str]:
        return typed_table_sql(
            name, expr, self.compile(expr), self.backend.dialect, "CREATE TEMP TABLE"
        )

    def execute(self, sql: str) -> None:
        with self.backend.con.cursor() as cur:
            cur.execute(sql)
        self.backend.con.commit()

    def fetch(self, sql: str) -> list[dict[str, Any]]:
        with self.backend.con.cursor() as cur:
            cur.execute(sql)
            names = [d.name for d in cur.description or []]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def copy_parquet_sql(self, sql: str, path: Path) -> int | None:
        return None

    def batches_sql(self, sql: str, schema: pa.Schema) -> pa.RecordBatchReader:
        con = self.backend.con

        def stream() -> Iterator[pa.RecordBatch]:
            # A named cursor streams from the server instead of fetching every row; it
            # lives in a transaction of its own.
            with con.transaction(), con.cursor(name="nz_out") as cur:
                cur.execute(sql)
                while rows := cur.fetchmany(65536):
                    yield pa.RecordBatch.from_pylist(
                        [dict(zip(schema.names, row, strict=True)) for row in rows], schema=schema
                    )

        return pa.RecordBatchReader.from_batches(schema, stream())


def _open(spec: str, workdir_parent: Path | None) -> Engine:
    return PostgresEngine(spec)


register_engine("postgresql", _open, schemes=("postgresql", "postgres"))
