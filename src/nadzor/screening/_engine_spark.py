"""Apache Spark as the engine: local mode, a standalone or YARN cluster, or Spark Connect.

Spark reads Parquet registers itself, in parallel and in place, and registers at URLs
(`hdfs://`, `s3a://`, `file://`; Parquet or CSV, see `_spark_register`); local CSV and
XLSX files are read by nadzor's own readers (which find the structural rejects) and
handed to Spark. Every
stage of the query is a temporary view; stored stages are checkpointed, which cuts the
lineage Spark would otherwise re-plan at every later stage. Parquet outputs are written
by Spark as a directory of parts; CSV outputs are collected to the driver (they are
sorted for people to read, so small enough to collect); outputs at URLs are Parquet
written there by Spark.

One SparkSession serves the whole process: starting one costs seconds, and a JVM cannot
host two.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import subprocess
import tempfile
import threading
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from nadzor.screening._engine import Engine, register_engine
from nadzor.screening._engine_sql import compiled_sql
from nadzor.screening._source import ROW_COLUMN, InputError, RegisterSource
from nadzor.screening._spark_register import SparkRegister, open_url, spark_error

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["SparkEngine", "spark_available"]

# What `local` means when no number of cores is given: all of them, as Spark's `local[*]`.
_LOCAL = "local[*]"
_SESSION_LOCK = threading.Lock()
_session: Any = None
_session_spec: str | None = None


def spark_available() -> str | None:
    """Why Spark cannot start here (no PySpark, no Java), or None when it can."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "PySpark is not installed (pip install 'nadzor[spark]')"
    if not os.environ.get("JAVA_HOME") and shutil.which("java") is None:
        return "Java is not installed (Spark needs a Java 17 runtime, e.g. openjdk-17-jre-headless)"
    return None


def _master(spec: str) -> str | None:
    """The master URL for `spec`; None for `spark` under spark-submit, which set it."""
    if spec.startswith(("spark://", "local")):
        return spec
    if spec == "spark":
        # spark-submit starts Python with a gateway to the JVM it configured
        return None if "PYSPARK_GATEWAY_PORT" in os.environ else _LOCAL
    raise InputError(f"unknown Spark engine {spec!r}")


def _sql_settings() -> dict[str, str]:
    """The SQL settings the results depend on, set on every session (a Connect session
    too, whose server's defaults may differ: Spark 4 has ANSI mode on by default)."""
    settings = {
        # Ibis types values as the SQL standard does; a value that does not parse is a
        # null the validation reports, never an error that stops the run.
        "spark.sql.ansi.enabled": "false",
        "spark.sql.session.timeZone": "UTC",
        # A Parquet timestamp is read as an instant, as the other engines' readers do
        "spark.sql.parquet.inferTimestampNTZ.enabled": "false",
    }
    if os.environ.get("NADZOR_SPARK_CODEGEN", "1") == "0":
        # Spark's Java code generation costs a compile per query: a small register
        # screens sooner interpreted (a large one 27% slower, see performance.md).
        settings["spark.sql.codegen.wholeStage"] = "false"
        settings["spark.sql.codegen.factoryMode"] = "NO_CODEGEN"
    if "NADZOR_SPARK_PARTITIONS" in os.environ:
        settings["spark.sql.shuffle.partitions"] = os.environ["NADZOR_SPARK_PARTITIONS"]
    return settings


def _builder(spec: str) -> Any:
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("nadzor screen")
    if spec.startswith("sc://"):
        return builder.remote(spec)  # the settings are set on the session (`_connected`)
    master = _master(spec)
    if master is not None:
        builder = builder.master(master)
    local = master is not None and master.startswith("local")
    settings = _sql_settings() | {
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.ui.showConsoleProgress": "false",
    }
    if local:
        # A local run has few cores: Spark's 200 shuffle partitions would each be tiny.
        settings["spark.sql.shuffle.partitions"] = os.environ.get("NADZOR_SPARK_PARTITIONS", "4")
        settings["spark.driver.memory"] = os.environ.get("NADZOR_SPARK_MEMORY", "2g")
        settings["spark.ui.enabled"] = "false"
    for key, value in settings.items():
        builder = builder.config(key, value)
    return builder


def _connected(session: Any) -> None:
    """A Spark Connect session, set as `_builder` sets a classic one."""
    for key, value in _sql_settings().items():
        session.conf.set(key, value)


def _spark_session(spec: str) -> Any:
    """The process's one SparkSession, started for `spec` on first use."""
    global _session, _session_spec
    with _SESSION_LOCK:
        if _session is not None and _session_spec == spec:
            return _session
        if _session is not None:
            _stop(_session)
            _session = None
        why = None if spec.startswith("sc://") else spark_available()
        if why is not None:
            raise InputError(f"cannot start Spark: {why}")
        with warnings.catch_warnings():
            # PySpark warns on import about pandas versions it has not been tried with;
            # nadzor hands Spark Arrow data, not pandas frames.
            warnings.simplefilter("ignore", FutureWarning)
            try:
                session = _builder(spec).getOrCreate()
            except InputError:
                raise
            except Exception as exc:  # the JVM's errors are many; the user needs one line
                lines = str(exc).strip().splitlines()
                raise InputError(
                    f"cannot start Spark ({spec}): {lines[0] if lines else type(exc).__name__}"
                ) from None
        if spec.startswith("sc://"):
            _connected(session)  # no SparkContext here: the server keeps its own log
        else:
            session.sparkContext.setLogLevel(os.environ.get("NADZOR_SPARK_LOG", "ERROR"))
        _session, _session_spec = session, spec
        return session


@atexit.register
def _stop_session() -> None:
    global _session
    with _SESSION_LOCK:
        if _session is not None:
            _stop(_session)
            _session = None


def _stop(session: Any) -> None:
    """Stop the session and, when this process started the JVM, wait for it to exit: its
    CPU time is then counted as this process's, and no JVM outlives the command."""
    session.stop()
    if type(session).__module__.startswith("pyspark.sql.connect"):
        # PySpark marks a process that made a Connect session as Connect-only; the mark
        # goes with the session, so that a later engine may start a JVM of its own.
        os.environ.pop("SPARK_CONNECT_MODE_ENABLED", None)
        return
    from pyspark import SparkContext

    gateway = SparkContext._gateway
    proc = getattr(gateway, "proc", None)
    if gateway is None or proc is None:
        return  # Spark Connect, or a JVM started by spark-submit, which outlives us
    gateway.shutdown()
    SparkContext._gateway = None
    SparkContext._jvm = None
    if proc.stdin is not None:
        proc.stdin.close()  # the gateway's JVM exits when its input ends
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _compiler(base: Any) -> Any:
    """The Ibis compiler for Spark SQL, writing back-references as Java does.

    A regular expression's replacement refers to a group as `\\1` in the other engines
    (and in the compiled rules), but as `$1` in Java; a literal `$` is `\\$` there.
    """
    import sqlglot.expressions as sge

    class Compiler(type(base)):  # type: ignore[misc]
        def visit_RegexReplace(  # noqa: N802  (the name Ibis dispatches on)
            self, op: Any, *, arg: Any, pattern: Any, replacement: Any
        ) -> Any:
            value = getattr(op.replacement, "value", None)
            if isinstance(value, str):
                replacement = sge.convert(_java_replacement(value))
            return super().visit_RegexReplace(op, arg=arg, pattern=pattern, replacement=replacement)

    return Compiler()


def _java_replacement(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            following = text[i + 1]
            out.append(f"${following}" if following.isdigit() else "\\" + following)
            i += 2
            continue
        out.append("\\$" if char == "$" else char)
        i += 1
    return "".join(out)


def _quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


# How `create_table_sql` stores a stage: a view over the query, which `execute` then
# checkpoints (the statement text is the engine's own, and may come from the SQL cache).
_STORED = re.compile(r"CREATE OR REPLACE TEMPORARY VIEW `((?:[^`]|``)+)` AS ")


class SparkEngine:
    name = "spark"
    scans_parquet = True
    holds_nul = True
    # Stored: Spark's optimizer would otherwise plan every later query through all the
    # stages before it again, which costs more than running them.
    stores_stages = True

    def __init__(self, spec: str, workdir_parent: Path | None = None) -> None:
        self._spec = spec
        self.session: Any = _spark_session(spec)
        import ibis  # here: registering the engine must not load Ibis for every run

        self.backend: Any = ibis.pyspark.connect(self.session)
        self.backend.compiler = _compiler(self.backend.compiler)
        self._local = spec.startswith("local") or (
            spec == "spark" and "PYSPARK_GATEWAY_PORT" not in os.environ
        )
        self._workdir = Path(tempfile.mkdtemp(prefix="nadzor-spark-", dir=workdir_parent))
        self._views: dict[str, Any] = {}
        self._registers: dict[str, SparkRegister] = {}

    # --- tables -----------------------------------------------------------------------

    def _frame(self, expr: ir.Table) -> Any:
        return self.session.sql(self.compile(expr))

    def _view(self, name: str, frame: Any) -> ir.Table:
        frame.createOrReplaceTempView(name)
        old = self._views.pop(name, None)
        self._views[name] = frame
        if old is not None and old is not frame:
            old.unpersist()
        return self.backend.table(name)

    def table(self, name: str) -> ir.Table:
        return self.backend.table(name)

    def load(self, name: str, reader: pa.RecordBatchReader) -> None:
        from pyspark.sql import functions as F  # noqa: N812

        if self._local:
            # Spooled to Parquet, so that a register larger than memory stays on disk.
            spool = self._workdir / f"{name}.parquet"
            import pyarrow.parquet as pq

            with pq.ParquetWriter(str(spool), reader.schema, compression="zstd") as writer:
                for batch in reader:
                    writer.write_batch(batch)
            frame = self.session.read.parquet(str(spool))
        else:
            # A cluster cannot read the driver's disk: the rows travel with the plan.
            table = reader.read_all()
            frame = self.session.createDataFrame(table) if table.num_rows else None
            if frame is None:
                frame = self.session.createDataFrame([], _spark_schema(self.session, table.schema))
        self._view(name, frame.withColumn("_shape", F.lit(False)))

    def open_url(self, url: str, *, id_column: str | None, workdir: Path | None) -> RegisterSource:
        """A register at a URL, read by Spark itself (see `_spark_register`)."""
        register = open_url(self.session, url, id_column=id_column, workdir=workdir)
        self._registers[url] = register
        return register.source

    def scan_parquet(self, name: str, files: list[str], renames: dict[str, str]) -> int:
        import pyarrow.parquet as pq
        from pyspark.sql import functions as F  # noqa: N812

        if len(files) == 1 and files[0] in self._registers:
            register = self._registers[files[0]]
            frame = register.kept()
            self._view(
                name,
                frame.select(
                    ROW_COLUMN,
                    *(frame[_quoted(src)].alias(dst) for src, dst in renames.items()),
                    F.lit(False).alias("_shape"),
                ),
            )
            return register.rows or 0

        # One read per file, numbered from where the file before ended, like the batches.
        frames, total = [], 0
        for path in files:
            rows = pq.ParquetFile(path).metadata.num_rows
            frame = self.session.read.parquet(path)
            columns = [
                (F.col("_metadata.row_index") + F.lit(total + 1)).cast("bigint").alias("_row"),
                *(frame[_quoted(src)].alias(dst) for src, dst in renames.items()),
                F.lit(False).alias("_shape"),
            ]
            frames.append(frame.select(*columns))
            total += rows
        union = frames[0]
        for frame in frames[1:]:
            union = union.unionAll(frame)
        self._view(name, union)
        return total

    def append_shape_rows(
        self, name: str, key_column: str | None, rows: list[tuple[int, str]]
    ) -> None:
        if not rows:
            return
        data: dict[str, list[Any]] = {"_row": [r for r, _ in rows], "_shape": [True] * len(rows)}
        if key_column:
            data[key_column] = [k for _, k in rows]
        self._append(name, self.session.createDataFrame(pa.table(data)))

    def append_shape_table(self, name: str, key_column: str | None, shape: str) -> None:
        key = f", `record_id` AS {_quoted(key_column)}" if key_column else ""
        self._append(
            name, self.session.sql(f"SELECT DISTINCT `_row`, true AS `_shape`{key} FROM `{shape}`")
        )

    def _append(self, name: str, rows: Any) -> None:
        frame = self._views[name]
        # A union, not an insert: a temporary view has no rows of its own to add to.
        self._view(name, frame.unionByName(rows, allowMissingColumns=True))

    def materialize(self, name: str, expr: ir.Table) -> ir.Table:
        # Checkpointed: later stages read the stored rows, not the plan that made them.
        return self._view(name, self._frame(expr).localCheckpoint(eager=True))

    def stage(self, name: str, expr: ir.Table) -> ir.Table:
        # Stored: Spark's optimizer would otherwise plan every later query through all
        # the stages before it again, which costs more than running them.
        return self.materialize(name, expr)

    # --- results ----------------------------------------------------------------------

    def batches(self, expr: ir.Table) -> pa.RecordBatchReader:
        table = self.to_arrow(expr)
        return pa.RecordBatchReader.from_batches(table.schema, table.to_batches(65536))

    def copy_parquet(self, expr: ir.Table, path: Path) -> int | None:
        return self._write_parquet(self._frame(expr), path)

    def _write_parquet(self, frame: Any, path: Path | str) -> int:
        if isinstance(path, str):
            return self._write_url(frame, path)
        # The reserved file becomes a directory of parts written by Spark's tasks.
        path.unlink(missing_ok=True)
        frame.write.mode("overwrite").option("compression", "zstd").parquet(str(path))
        for extra in path.iterdir():
            # Hadoop's checksums and success marker: not outputs, and not vouched for
            if extra.name == "_SUCCESS" or extra.name.endswith(".crc"):
                extra.unlink()
        path.chmod(0o700)
        return int(self.session.read.parquet(str(path)).count())

    def _write_url(self, frame: Any, url: str) -> int:
        """Parquet parts written by Spark at a URL, in place (there is no rename there that
        every filesystem makes atomic)."""
        try:
            frame.write.mode("overwrite").option("compression", "zstd").parquet(url)
            return int(self.session.read.parquet(url).count())
        except Exception as exc:  # the JVM's errors are many; the user needs one line
            raise spark_error(url, exc) from None

    def write_url(self, sql: str, url: str) -> int:
        """Write a query's rows as Parquet parts at `url`; the rows written."""
        return self._write_url(self.session.sql(sql), url)

    def to_arrow(self, expr: ir.Table) -> pa.Table:
        return _as_schema(self._frame(expr).toArrow(), expr.schema().to_pyarrow())

    def close(self) -> None:
        try:
            for name, frame in self._views.items():
                self.session.catalog.dropTempView(name)
                frame.unpersist()
            self._views.clear()
            self._registers.clear()
        finally:
            shutil.rmtree(self._workdir, ignore_errors=True)

    # --- the run as SQL text (see `_plan`) ------------------------------------------------

    def compile(self, expr: ir.Table) -> str:
        return compiled_sql(self.backend, expr)

    def columns(self, name: str) -> list[tuple[str, str]]:
        return [(str(n), str(t)) for n, t in self.session.table(_quoted(name)).dtypes]

    def create_table_sql(self, name: str, expr: ir.Table) -> list[str]:
        # Cast to `expr`'s types: the next query compiles against them, and Spark's own
        # type for an expression may differ.
        dialect = "spark"  # Ibis's type names for Spark are those of sqlglot's dialect
        defs = expr.schema().to_sqlglot_column_defs(dialect)
        casts = ", ".join(
            f"CAST({_quoted(c)} AS {d.args['kind'].sql(dialect)}) AS {_quoted(c)}"
            for c, d in zip(expr.columns, defs, strict=True)
        )
        select = self.compile(expr)
        return [
            f"CREATE OR REPLACE TEMPORARY VIEW {_quoted(name)} AS SELECT {casts} FROM ({select})"
        ]

    def execute(self, sql: str) -> None:
        self.session.sql(sql)
        stored = _STORED.match(sql)
        if stored is not None:
            name = stored.group(1).replace("``", "`")
            self._view(name, self.session.table(_quoted(name)).localCheckpoint(eager=True))

    def fetch(self, sql: str) -> list[dict[str, Any]]:
        return [row.asDict() for row in self.session.sql(sql).collect()]

    def copy_parquet_sql(self, sql: str, path: Path) -> int | None:
        return self._write_parquet(self.session.sql(sql), path)

    def batches_sql(self, sql: str, schema: pa.Schema) -> pa.RecordBatchReader:
        table = self.session.sql(sql).toArrow()
        if len(schema):
            table = _as_schema(table, schema)
        return pa.RecordBatchReader.from_batches(table.schema, table.to_batches(65536))


def _as_schema(table: pa.Table, schema: pa.Schema) -> pa.Table:
    # Spark names and types the columns in its own way (int32 counts, large lists)
    return table.rename_columns(schema.names).cast(schema)


def _spark_schema(session: Any, schema: pa.Schema) -> Any:
    from pyspark.sql.pandas.types import from_arrow_schema

    return from_arrow_schema(schema)


def _open(spec: str, workdir_parent: Path | None) -> Engine:
    return SparkEngine(spec, workdir_parent)


def _accepts(spec: str) -> bool:
    """`spark`, `local`, `local[N]` or `local[*]`; URLs are matched by scheme."""
    return spec in ("spark", "local") or (spec.startswith("local[") and spec.endswith("]"))


register_engine("spark", _open, schemes=("spark", "sc"), accepts=_accepts)
