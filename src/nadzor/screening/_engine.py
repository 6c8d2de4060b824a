"""Where the compiled rules run: embedded DuckDB (default) or a PostgreSQL server.

Both are reached through Ibis backends. Loading the raw register is the one step that
uses each backend's native bulk path (DuckDB scans the Arrow stream; PostgreSQL takes
COPY), because row-by-row inserts would dominate the run time.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from nadzor.screening._source import InputError

__all__ = ["Engine", "open_engine"]


class Engine:
    """A connection plus the temporary tables of one screening run."""

    kind: str

    def __init__(self, backend: Any, kind: str, workdir: Path | None) -> None:
        self.backend = backend
        self.kind = kind
        self._workdir = workdir

    def load(self, name: str, reader: pa.RecordBatchReader) -> ir.Table:
        """Create table `name` from the stream; `_shape` (false) is added to every row."""
        if self.kind == "duckdb":
            duck = self.backend.con
            duck.register("_nz_stream", reader)
            duck.execute(f'CREATE TABLE "{name}" AS SELECT *, false AS _shape FROM _nz_stream')
            duck.unregister("_nz_stream")
        else:
            _pg_copy(self.backend, name, reader)
        return self.backend.table(name)

    def scan_parquet(
        self, name: str, files: list[str], renames: dict[str, str]
    ) -> tuple[ir.Table, int]:
        """A view over Parquet files as they are (DuckDB only), numbered like the batches,
        and the number of rows. DuckDB reads Parquet in parallel, several times faster
        than it takes an Arrow stream."""
        if self.kind != "duckdb":
            raise ValueError("only DuckDB scans Parquet files directly")
        offsets, total = [], 0
        for path in files:
            offsets.append(total)
            total += pq.ParquetFile(path).metadata.num_rows
        quoted = ", ".join(_sql_text(path) for path in files)
        cases = " ".join(
            f"WHEN {_sql_text(path)} THEN {offset}"
            for path, offset in zip(files, offsets, strict=True)
        )
        row = (
            f"(file_row_number + 1 + CASE filename {cases} END)"
            if len(files) > 1
            else "(file_row_number + 1)"
        )
        columns = ", ".join(f'"{_sql_name(src)}" AS "{dst}"' for src, dst in renames.items())
        self.backend.con.execute(
            f'CREATE VIEW "{name}" AS SELECT {row}::BIGINT AS _row, {columns}, false AS _shape '
            f"FROM read_parquet([{quoted}], filename=true, file_row_number=true)"
        )
        return self.backend.table(name), total

    def append_shape_rows(
        self, name: str, key_column: str | None, rows: list[tuple[int, str]]
    ) -> None:
        """Rows rejected for their shape: only their number and key, flagged `_shape`."""
        if not rows:
            return
        data = {"_row": [r for r, _ in rows], "_shape": [True] * len(rows)}
        if key_column:
            data[key_column] = [k for _, k in rows]
        table = pa.table(data)
        cols = ", ".join(f'"{c}"' for c in table.column_names)
        if self.kind == "duckdb":
            duck = self.backend.con
            duck.register("_nz_shape", table)
            duck.execute(f'INSERT INTO "{name}" ({cols}) SELECT {cols} FROM _nz_shape')
            duck.unregister("_nz_shape")
        else:
            with self.backend.con.cursor() as cur:
                placeholders = ", ".join(["%s"] * len(table.column_names))
                cur.executemany(
                    f'INSERT INTO "{name}" ({cols}) VALUES ({placeholders})',
                    [tuple(r.values()) for r in table.to_pylist()],
                )
            self.backend.con.commit()

    def append_shape_table(self, name: str, key_column: str | None, shape: str) -> None:
        """`append_shape_rows` from a loaded table of rejects (`_row`, `record_id`, ...)."""
        cols, values = '"_row", "_shape"', '"_row", true'
        if key_column:
            cols += f', "{key_column}"'
            values += ', "record_id"'
        sql = f'INSERT INTO "{name}" ({cols}) SELECT DISTINCT {values} FROM "{shape}"'
        if self.kind == "duckdb":
            self.backend.con.execute(sql)
            return
        with self.backend.con.cursor() as cur:
            cur.execute(sql)
        self.backend.con.commit()

    def materialize(self, name: str, expr: ir.Table) -> ir.Table:
        if self.kind == "duckdb":
            return self.backend.create_table(name, expr, overwrite=True)
        return self.backend.create_table(name, expr, temp=True, overwrite=True)

    def batches(self, expr: ir.Table) -> pa.RecordBatchReader:
        if self.kind == "duckdb":
            # ibis 12 streams DuckDB results with `fetch_record_batch`, which DuckDB 2
            # renamed to `to_arrow_reader`: call it directly on the compiled SQL.
            self.backend._run_pre_execute_hooks(expr)  # registers in-memory tables
            sql = self.backend.compile(expr)
            return self.backend.con.sql(sql).to_arrow_reader(65536)  # type: ignore[no-any-return]
        return self.backend.to_pyarrow_batches(expr, chunk_size=65536)  # type: ignore[no-any-return]

    def copy_parquet(self, expr: ir.Table, path: Path) -> int | None:
        """Write `expr` as Parquet with the engine's own parallel writer, if it has one;
        returns the rows written, or None when the caller must stream batches instead."""
        if self.kind != "duckdb":
            return None
        self.backend._run_pre_execute_hooks(expr)  # registers in-memory tables
        sql = self.backend.compile(expr)
        target = _sql_text(str(path))
        result = self.backend.con.execute(
            f"COPY ({sql}) TO {target} (FORMAT parquet, COMPRESSION zstd)"
        )
        row = result.fetchone()
        return int(row[0]) if row else 0

    def to_arrow(self, expr: ir.Table) -> pa.Table:
        return self.backend.to_pyarrow(expr)  # type: ignore[no-any-return]

    def close(self) -> None:
        try:
            self.backend.disconnect()
        finally:
            if self._workdir is not None:
                shutil.rmtree(self._workdir, ignore_errors=True)


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _sql_name(value: str) -> str:
    return value.replace('"', '""')


def _duckdb(workdir_parent: Path | None) -> Engine:
    workdir = Path(tempfile.mkdtemp(prefix="nadzor-", dir=workdir_parent))
    # An in-memory database with a memory limit spills to the temporary directory instead
    # of growing with the register, and writes no log of its tables.
    backend = ibis.duckdb.connect(
        database=":memory:",
        memory_limit=os.environ.get("NADZOR_DUCKDB_MEMORY", "2GB"),
        temp_directory=str(workdir / "spill"),
        preserve_insertion_order=False,
    )
    # ibis 12 writes lambdas as `x -> ...`, which DuckDB 2 accepts only when enabled.
    backend.raw_sql("SET lambda_syntax='ENABLE_SINGLE_ARROW'")
    return Engine(backend, "duckdb", workdir)


def _postgres(url: str) -> Engine:
    parsed = urlparse(url)
    try:
        backend = ibis.postgres.connect(
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
    return Engine(backend, "postgresql", None)


def open_engine(spec: str, workdir_parent: Path | None = None) -> Engine:
    """`duckdb`, or a `postgresql://` / `postgres://` URL."""
    if spec == "duckdb":
        return _duckdb(workdir_parent)
    if spec.startswith(("postgresql://", "postgres://")):
        return _postgres(spec)
    raise InputError(f"unknown engine {spec!r}: use duckdb or a postgresql:// URL")


def _as_text(column: Any) -> Any:
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


def _pg_copy(backend: Any, name: str, reader: pa.RecordBatchReader) -> None:
    names = [f for f in reader.schema.names if f != "_row"]
    cols = ", ".join(
        ['"_row" bigint'] + [f'"{n}" text' for n in names] + ['"_shape" boolean DEFAULT false']
    )
    con = backend.con
    with con.cursor() as cur:
        cur.execute(f'DROP TABLE IF EXISTS "{name}"')
        cur.execute(f'CREATE TEMP TABLE "{name}" ({cols})')
        target = ", ".join(f'"{n}"' for n in ["_row", *names])
        with cur.copy(f'COPY "{name}" ({target}) FROM STDIN WITH (FORMAT csv)') as copy:
            for batch in reader:
                arrays = [batch.column("_row")] + [_as_text(batch.column(n)) for n in names]
                text = pa.RecordBatch.from_arrays(arrays, names=["_row", *names])
                buffer = io.BytesIO()
                pacsv.write_csv(
                    text,
                    buffer,
                    pacsv.WriteOptions(include_header=False, quoting_style="all_valid"),
                )
                copy.write(buffer.getvalue())
    con.commit()
