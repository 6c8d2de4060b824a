"""Where the compiled rules run: one class per engine behind the `Engine` protocol.

Engines register by name and URL scheme, like database backends: `open_engine("duckdb")`
or `open_engine("postgresql://...")` finds the class that registered for it, and nothing
else in screening asks which engine it is talking to: it asks what the engine can do
(`scans_parquet`) or lets the engine decide (`stage`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from nadzor.screening._source import InputError

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pyarrow as pa

__all__ = [
    "Engine",
    "EngineEntry",
    "open_engine",
    "register_engine",
    "registered_engines",
    "shape_insert_sql",
]


@runtime_checkable
class Engine(Protocol):
    """A connection plus the temporary tables of one screening run."""

    #: the registered name, e.g. `duckdb`
    name: str

    @property
    def backend(self) -> Any:
        """The Ibis backend the compiled expressions run on."""

    #: whether `scan_parquet` reads Parquet files in place (else batches are loaded)
    scans_parquet: bool
    #: whether a text value may hold a NUL character (else the readers keep them out)
    holds_nul: bool
    #: whether `stage` stores its table: a run's SQL then holds a statement per stage
    stores_stages: bool

    def load(self, name: str, reader: pa.RecordBatchReader) -> None:
        """Create table `name` from the stream; `_shape` (false) is added to every row."""

    def scan_parquet(self, name: str, files: list[str], renames: dict[str, str]) -> int:
        """A view over Parquet files as they are, numbered like the batches; its row count
        (only when `scans_parquet`)."""

    def table(self, name: str) -> ir.Table:
        """The run's table or view `name` as an Ibis table."""

    def append_shape_rows(
        self, name: str, key_column: str | None, rows: list[tuple[int, str]]
    ) -> None:
        """Rows rejected for their shape: only their number and key, flagged `_shape`."""

    def append_shape_table(self, name: str, key_column: str | None, shape: str) -> None:
        """`append_shape_rows` from a loaded table of rejects (`_row`, `record_id`, ...)."""

    def materialize(self, name: str, expr: ir.Table) -> ir.Table:
        """Store `expr` as table `name` for the rest of the run."""

    def stage(self, name: str, expr: ir.Table) -> ir.Table:
        """A point between two stages of the query: stored when the engine plans long
        expressions badly, else `expr` unchanged."""

    def batches(self, expr: ir.Table) -> pa.RecordBatchReader:
        """The result of `expr` as a stream of batches."""

    def copy_parquet(self, expr: ir.Table, path: Path) -> int | None:
        """Write `expr` as Parquet with the engine's own writer, if it has one: the rows
        written, or None when the caller must stream batches instead."""

    def to_arrow(self, expr: ir.Table) -> pa.Table:
        """The (small) result of `expr` in memory."""

    def close(self) -> None:
        """Drop the run's tables and disconnect."""

    # The run itself goes through SQL text, so that the SQL compiled for a rulebook can be
    # kept and run again without building the expressions (see `_plan`).

    def compile(self, expr: ir.Table) -> str:
        """The engine's SQL for `expr`; the in-memory tables it reads are made available."""

    def columns(self, name: str) -> list[tuple[str, str]]:
        """Names and engine types of the columns of table or view `name`."""

    def create_table_sql(self, name: str, expr: ir.Table) -> list[str]:
        """The statements storing the result of `expr` as the run's table `name`, with
        `expr`'s column types."""

    def execute(self, sql: str) -> None:
        """Run one statement."""

    def fetch(self, sql: str) -> list[dict[str, Any]]:
        """The (small) result of a query, as rows."""

    def copy_parquet_sql(self, sql: str, path: Path) -> int | None:
        """`copy_parquet` for a query's text."""

    def batches_sql(self, sql: str, schema: pa.Schema) -> pa.RecordBatchReader:
        """The result of a query as batches, castable to `schema`."""


def shape_insert_sql(name: str, key_column: str | None, shape: str) -> str:
    """The statement of `append_shape_table`, the same in every SQL engine."""
    cols, values = '"_row", "_shape"', '"_row", true'
    if key_column:
        cols += f', "{key_column}"'
        values += ', "record_id"'
    return f'INSERT INTO "{name}" ({cols}) SELECT DISTINCT {values} FROM "{shape}"'


@dataclass(frozen=True)
class EngineEntry:
    name: str
    schemes: tuple[str, ...]  # URL schemes it opens, e.g. ("postgresql", "postgres")
    open: Callable[[str, Path | None], Engine]  # (spec, directory for temporary files)
    # other specs it opens besides its name, e.g. `local[4]` for Spark
    accepts: Callable[[str], bool] | None = None


_REGISTRY: dict[str, EngineEntry] = {}


def register_engine(
    name: str,
    opener: Callable[[str, Path | None], Engine],
    schemes: tuple[str, ...] = (),
    accepts: Callable[[str], bool] | None = None,
) -> None:
    """Make an engine available to `open_engine` by `name`, by its URL `schemes`, and by
    any other spec that `accepts` says is its own."""
    _REGISTRY[name] = EngineEntry(name, schemes, opener, accepts)


def registered_engines() -> dict[str, EngineEntry]:
    _load_builtin_engines()
    return dict(_REGISTRY)


def _load_builtin_engines() -> None:
    # Imported for their registration; each module registers its class.
    import nadzor.screening._engine_duckdb
    import nadzor.screening._engine_postgres
    import nadzor.screening._engine_spark  # noqa: F401


def open_engine(spec: str, workdir_parent: Path | None = None) -> Engine:
    """An engine by name (`duckdb`) or by URL (`postgresql://...`)."""
    engines = registered_engines()
    scheme = spec.split("://", 1)[0] if "://" in spec else None
    for entry in engines.values():
        if (
            spec == entry.name
            or (scheme is not None and scheme in entry.schemes)
            or (scheme is None and entry.accepts is not None and entry.accepts(spec))
        ):
            return entry.open(spec, workdir_parent)
    names = [e.name for e in engines.values() if not e.schemes or e.accepts]
    urls = [f"a {s}:// URL" for e in engines.values() for s in e.schemes[:1]]
    raise InputError(f"unknown engine {spec!r}: use {' or '.join([*names, *urls])}")
