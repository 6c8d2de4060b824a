"""The embedded DuckDB engine (the default): scans Parquet in place, writes Parquet itself.

Ibis is loaded only when an expression is built: a run whose SQL comes from the cache talks
to DuckDB directly, and importing Ibis would cost more than such a run.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pyarrow as pa

from nadzor.screening._engine import Engine, register_engine, shape_insert_sql
from nadzor.screening._engine_sql import compiled_sql, sql_name, sql_text, typed_table_sql

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["DuckDBEngine"]


class DuckDBEngine:
    name = "duckdb"
    scans_parquet = True
    holds_nul = True
    stores_stages = False

    def __init__(self, workdir_parent: Path | None = None) -> None:
        self._workdir = Path(tempfile.mkdtemp(prefix="nadzor-", dir=workdir_parent))
        # An in-memory database with a memory limit spills to the temporary directory
        # instead of growing with the register, and writes no log of its tables.
        self.con = duckdb.connect(
            ":memory:",
            config={
                "memory_limit": os.environ.get("NADZOR_DUCKDB_MEMORY", "2GB"),
                "temp_directory": str(self._workdir / "spill"),
                "preserve_insertion_order": False,
            },
        )
        # ibis 12 writes lambdas as `x -> ...`, which DuckDB 2 accepts only when enabled.
        self.con.execute("SET lambda_syntax='ENABLE_SINGLE_ARROW'")

    @functools.cached_property
    def backend(self) -> Any:
        import ibis

        return ibis.duckdb.from_connection(self.con)

    def table(self, name: str) -> ir.Table:
        return self.backend.table(name)

    def load(self, name: str, reader: pa.RecordBatchReader) -> None:
        duck = self.con
        duck.register("_nz_stream", reader)
        duck.execute(f'CREATE TABLE "{name}" AS SELECT *, false AS _shape FROM _nz_stream')
        duck.unregister("_nz_stream")

    def scan_parquet(self, name: str, files: list[str], renames: dict[str, str]) -> int:
        import pyarrow.parquet as pq

        # DuckDB reads Parquet in parallel, several times faster than an Arrow stream.
        offsets, total = [], 0
        for path in files:
            offsets.append(total)
            total += pq.ParquetFile(path).metadata.num_rows
        quoted = ", ".join(sql_text(path) for path in files)
        cases = " ".join(
            f"WHEN {sql_text(path)} THEN {offset}"
            for path, offset in zip(files, offsets, strict=True)
        )
        row = (
            f"(file_row_number + 1 + CASE filename {cases} END)"
            if len(files) > 1
            else "(file_row_number + 1)"
        )
        columns = ", ".join(f'"{sql_name(src)}" AS "{dst}"' for src, dst in renames.items())
        self.con.execute(
            f'CREATE VIEW "{name}" AS SELECT {row}::BIGINT AS _row, {columns}, false AS _shape '
            f"FROM read_parquet([{quoted}], filename=true, file_row_number=true)"
        )
        return total

    def append_shape_rows(
        self, name: str, key_column: str | None, rows: list[tuple[int, str]]
    ) -> None:
        if not rows:
            return
        table = _shape_table(key_column, rows)
        cols = ", ".join(f'"{c}"' for c in table.column_names)
        duck = self.con
        duck.register("_nz_shape", table)
        duck.execute(f'INSERT INTO "{name}" ({cols}) SELECT {cols} FROM _nz_shape')
        duck.unregister("_nz_shape")

    def append_shape_table(self, name: str, key_column: str | None, shape: str) -> None:
        self.con.execute(shape_insert_sql(name, key_column, shape))

    def materialize(self, name: str, expr: ir.Table) -> ir.Table:
        return self.backend.create_table(name, expr, overwrite=True)

    def stage(self, name: str, expr: ir.Table) -> ir.Table:
        # DuckDB keeps the stages of one query apart, and writing a table costs more
        return expr

    def batches(self, expr: ir.Table) -> pa.RecordBatchReader:
        # ibis 12 streams DuckDB results with `fetch_record_batch`, which DuckDB 2
        # renamed to `to_arrow_reader`: call it directly on the compiled SQL.
        return self.batches_sql(self.compile(expr), pa.schema([]))

    def copy_parquet(self, expr: ir.Table, path: Path) -> int | None:
        return self.copy_parquet_sql(self.compile(expr), path)

    def to_arrow(self, expr: ir.Table) -> pa.Table:
        return self.backend.to_pyarrow(expr)  # type: ignore[no-any-return]

    def close(self) -> None:
        try:
            self.con.close()
        finally:
            shutil.rmtree(self._workdir, ignore_errors=True)

    def compile(self, expr: ir.Table) -> str:
        return compiled_sql(self.backend, expr)

    def columns(self, name: str) -> list[tuple[str, str]]:
        rows = self.con.execute(
            "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ?"
            " ORDER BY column_index",
            [name],
        ).fetchall()
        return [(str(n), str(t)) for n, t in rows]

    def create_table_sql(self, name: str, expr: ir.Table) -> list[str]:
        return typed_table_sql(
            name, expr, self.compile(expr), self.backend.dialect, "CREATE OR REPLACE TABLE"
        )

    def execute(self, sql: str) -> None:
        self.con.execute(sql)

    def fetch(self, sql: str) -> list[dict[str, Any]]:
        return self.con.sql(sql).arrow().read_all().to_pylist()  # type: ignore[no-any-return]

    def copy_parquet_sql(self, sql: str, path: Path) -> int | None:
        target = sql_text(str(path))
        result = self.con.execute(f"COPY ({sql}) TO {target} (FORMAT parquet, COMPRESSION zstd)")
        row = result.fetchone()
        return int(row[0]) if row else 0

    def batches_sql(self, sql: str, schema: pa.Schema) -> pa.RecordBatchReader:
        return self.con.sql(sql).to_arrow_reader(65536)  # type: ignore[no-any-return]


def _shape_table(key_column: str | None, rows: list[tuple[int, str]]) -> pa.Table:
    data: dict[str, list[Any]] = {"_row": [r for r, _ in rows], "_shape": [True] * len(rows)}
    if key_column:
        data[key_column] = [k for _, k in rows]
    return pa.table(data)


def _open(spec: str, workdir_parent: Path | None) -> Engine:
    return DuckDBEngine(workdir_parent)


register_engine("duckdb", _open)
