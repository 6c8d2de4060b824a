"""Registers at URLs (`hdfs://`, `s3a://`, `file://`, with globs), read by Spark itself.

nadzor's own readers need a local file; a register at a URL is handed to Spark unchanged
and read by its executors, with the same checks as the local readers make:

* Parquet (a file, a directory or a glob): Spark's reader, the records numbered across the
  files in the order of their paths from each file's own row index.
* CSV (a URL whose name ends in `.csv`): Spark reads the lines, numbered from the line
  counts of its partitions; each line is a record, split on the delimiter (a line with a
  quote is parsed by Spark's CSV parser). Lines of the wrong shape are rejects worded as
  the local reader words them, with the same record numbers. Unlike the local reader, a
  quoted value cannot span lines (the line that opens it is rejected as an unbalanced
  quote), and the file must be UTF-8.

Rejects (shape, NUL characters) are found by Spark and collected in row order; the rows
kept are a DataFrame that the engine scans as it scans local Parquet files.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from nadzor.screening._read_parquet import _plain
from nadzor.screening._source import (
    ROW_COLUMN,
    InputError,
    RegisterSource,
    Rejects,
    StructuralReject,
    blank_warning,
    check_header,
    record_schema,
    unbalanced_quote_warning,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["SparkRegister", "is_url", "open_url", "spark_error"]

_GLOB_CHARS = frozenset("*?[{")
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_LISTED = 10
_NUL = "\x00"
_NUL_SHOWN = "\u2400"
_NUL_ERROR = "contains a NUL character (code 0), which no value may hold"
_BOM = "\ufeff"
_PARTITION_BITS = 33  # monotonically_increasing_id: partition id above, row index below


def is_url(path: str) -> bool:
    """Is `path` a URL (`scheme://...`) rather than a local path?"""
    return _URL.match(path) is not None


def spark_error(url: str, exc: BaseException) -> InputError:
    """One line for what Spark said about `url`, without the Java stack."""
    text = str(exc).strip()
    lines = [line.strip().removeprefix(": ") for line in text.splitlines() if line.strip()]
    # Py4J's first line names only the call ("An error occurred while calling o43.parquet.")
    lines = [line for line in lines if not line.startswith("An error occurred while calling")]
    first = lines[0] if lines else type(exc).__name__
    # Spark's own error classes lead with `[CLASS]`; Java exceptions with their class name
    first = re.sub(r"^\[[A-Z_.]+\]\s*", "", first)
    first = re.sub(r"^(?:[a-z0-9_$]+\.)+[A-Za-z0-9_$]*(?:Exception|Error):\s*", "", first)
    first = re.sub(r"\s*SQLSTATE: \w+;?\s*$", "", first)
    return InputError(f"cannot read {url} with Spark: {first}")


@dataclass(frozen=True)
class _CsvShape:
    frame: Any  # _row, _line, _text, _open, _fields
    delimiter: str
    expected: int


@dataclass
class SparkRegister:
    """A register read by Spark: the rows kept (`_row`, then the columns as the header
    names them) and what is known about them."""

    source: RegisterSource
    frame: Any  # the rows without rejects: `_row`, then one column per header name
    # text columns (header names) that a NUL is looked for in
    text: list[str] = field(default_factory=list)
    casts: dict[str, str] = field(default_factory=dict)  # header name -> Spark SQL to text
    rows: int | None = None
    shape: _CsvShape | None = None  # a CSV's lines of the wrong shape

    def kept(self) -> Any:
        """The rows to screen, with retyped columns turned to text."""
        from pyspark.sql import functions as F  # noqa: N812

        columns = [F.col(ROW_COLUMN)]
        for name in self.source.columns:
            expr = self.casts.get(name)
            columns.append(F.expr(expr).alias(name) if expr else F.col(_quoted(name)))
        return self.frame.select(*columns)

    def retype(self, text: list[str], drop: list[str]) -> None:
        """`RegisterSource.retype`: the named columns read as text, the others left out."""
        types = {f.name: f.type for f in self.source.schema}
        for name in text:
            self.casts[name] = _as_text(_quoted(name), types[name])
        self.source.columns = [n for n in self.source.columns if n not in drop]
        self.source.schema = record_schema(
            [pa.field(n, pa.string() if n in self.casts else types[n]) for n in self.source.columns]
        )

    def produce(self, source: RegisterSource) -> Iterator[pa.RecordBatch]:
        """The rows through the driver, for a reader that adapts them (a form export)."""
        table = self.kept().toArrow()
        table = table.rename_columns(source.schema.names).cast(source.schema)
        for batch in table.to_batches(65536):
            source.rows_read = self.rows or 0
            yield batch
        source.rows_read = self.rows or 0


def _quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def _as_text(column: str, type_: pa.DataType) -> str:
    """Spark SQL writing a value as the local reader's text: ISO dates, true/false, lists
    joined by `;`, a midnight timestamp as its date."""
    if pa.types.is_list(type_) or pa.types.is_large_list(type_):
        item = _as_text("x", type_.value_type)
        return f"array_join(transform({column}, x -> {item}), ';')"
    if pa.types.is_timestamp(type_):
        return (
            f"CASE WHEN {column} = CAST(CAST({column} AS DATE) AS TIMESTAMP)"
            f" THEN CAST(CAST({column} AS DATE) AS STRING) ELSE CAST({column} AS STRING) END"
        )
    return f"CAST({column} AS STRING)"


def open_url(
    session: Any, url: str, *, id_column: str | None, workdir: Path | None
) -> SparkRegister:
    """Open the register at `url` with Spark: its header, its rejects, its rows."""
    if url.lower().endswith(".xlsx"):
        raise InputError(f"{url}: an XLSX register must be a local file (Spark reads Parquet, CSV)")
    try:
        if url.lower().endswith(".csv"):
            if _GLOB_CHARS.intersection(url):
                raise InputError(f"{url}: a CSV register at a URL is one file, not a glob")
            register = _open_csv(session, url)
        else:
            register = _open_parquet(session, url)
        source = register.source
        source.key = id_column
        source.rejects = Rejects(workdir)
        _collect_rejects(register, id_column)
    except InputError:
        raise
    except Exception as exc:  # the JVM's errors are many; the user needs one line
        raise spark_error(url, exc) from None
    source.native_files = [url]
    source.produce = register.produce
    source.retype = register.retype if source.format == "parquet" else None
    return register


# --- Parquet ----------------------------------------------------------------------------


def _open_parquet(session: Any, url: str) -> SparkRegister:
    from pyspark.sql import functions as F  # noqa: N812

    raw = session.read.parquet(url)
    names = check_header(raw.columns)
    types = [_plain(f.type) for f in raw.limit(0).toArrow().schema]
    meta = raw.select(
        F.col("_metadata.file_path").alias("_file"),
        F.col("_metadata.row_index").alias("_index"),
        *(raw[_quoted(r)].alias(n) for r, n in zip(raw.columns, names, strict=True)),
    )
    # Numbered across the files in the order of their paths, as the local reader numbers
    # a directory's files: each file's rows follow the rows of the files before it.
    counts = sorted((r[0], int(r[1])) for r in meta.groupBy("_file").count().collect())
    offsets, total = [], 0
    for path, rows in counts:
        offsets.append((path, total))
        total += rows
    starts = session.createDataFrame(offsets or [("", 0)], "_file string, _start long")
    frame = meta.join(F.broadcast(starts), "_file").select(
        (F.col("_start") + F.col("_index") + F.lit(1)).cast("bigint").alias(ROW_COLUMN),
        *(F.col(_quoted(n)) for n in names),
    )
    source = RegisterSource(
        format="parquet",
        path=url,
        columns=names,
        schema=record_schema([pa.field(n, t) for n, t in zip(names, types, strict=True)]),
    )
    text = [n for n, t in zip(names, types, strict=True) if pa.types.is_string(t)]
    return SparkRegister(source, frame, text=text, rows=total)


# --- CSV --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Header:
    line: int
    names: list[str]
    delimiter: str


def _open_csv(session: Any, url: str) -> SparkRegister:
    from pyspark.sql import Window
    from pyspark.sql import functions as F  # noqa: N812

    # Split on LF only: a CRLF line keeps its CR (taken off below), and a file whose lines
    # end with a lone CR is one line, which the header check refuses as the local one does.
    raw = session.read.option("lineSep", "\n").text(url)
    lines = _numbered_lines(session, raw)
    if lines is None:
        raise InputError(f"{url} is empty (0 bytes): expected a CSV, Parquet or XLSX file")
    lines = lines.withColumn(
        "_text",
        F.regexp_replace(
            F.when(F.col("_line") == 1, F.regexp_replace("value", f"^{_BOM}", "")).otherwise(
                F.col("value")
            ),
            "\r$",
            "",
        ),
    ).withColumn("_blank", F.regexp_replace("_text", "[ \t\r]", "") == F.lit(""))
    bad = lines.where(~F.expr("is_valid_utf8(value)")).select("_line").limit(1).collect()
    if bad:
        raise InputError(
            f"{url}: line {bad[0][0]} is not valid UTF-8: Spark reads a CSV register only in"
            " UTF-8 (convert it, or give a local copy, which nadzor reads in its legacy"
            " encoding)"
        )
    header = _csv_header(url, lines)
    names, delimiter = header.names, header.delimiter
    records = lines.where(F.col("_line") > header.line)
    # A record's number counts the lines after the header that are not blank.
    blank_before = F.sum(F.col("_blank").cast("long")).over(
        Window.partitionBy("_part").orderBy("_line").rowsBetween(Window.unboundedPreceding, 0)
    )
    records = records.withColumn("_blanks", blank_before)
    blank_counts = {
        int(r[0]): int(r[1] or 0)
        for r in records.groupBy("_part").agg(F.sum(F.col("_blank").cast("long"))).collect()
    }
    starts, total = [], 0
    for part in sorted(blank_counts):
        starts.append((part, total))
        total += blank_counts[part]
    offsets = session.createDataFrame(starts or [(0, 0)], "_part int, _blank_start long")
    delim = re.escape(delimiter)
    quoted = f'(^|{delim})"(?:[^"]++|"")*+"'
    records = (
        records.join(F.broadcast(offsets), "_part")
        .where(~F.col("_blank"))
        .select(
            (F.col("_line") - F.lit(header.line) - F.col("_blank_start") - F.col("_blanks"))
            .cast("bigint")
            .alias(ROW_COLUMN),
            "_line",
            "_text",
            (F.instr("_text", '"') > 0).alias("_quote"),
        )
        .withColumn("_plain", F.regexp_replace("_text", quoted, "$1"))
        .withColumn("_open", F.col("_quote") & F.col("_plain").rlike(f'(^|{delim})"'))
        .withColumn("_fields", F.size(F.split("_plain", delim, -1)))
    )
    schema = ", ".join(f"`c{i}` STRING" for i in range(len(names)))
    options = {"sep": delimiter, "quote": '"', "escape": '"', "mode": "PERMISSIVE"}
    parsed = F.from_csv(F.col("_text"), schema, options)
    split = F.split("_text", delim, -1)
    good = records.where(~F.col("_open") & (F.col("_fields") == len(names)))
    frame = good.select(
        ROW_COLUMN,
        *(
            F.coalesce(
                F.when(F.col("_quote"), parsed.getField(f"c{i}")).otherwise(
                    F.element_at(split, i + 1)
                ),
                F.lit(""),
            ).alias(name)
            for i, name in enumerate(names)
        ),
    )
    shape = records.where(F.col("_open") | (F.col("_fields") != len(names))).select(
        ROW_COLUMN, "_line", "_text", "_open", "_fields"
    )
    source = RegisterSource(
        format="csv",
        path=url,
        columns=names,
        schema=record_schema([pa.field(n, pa.string()) for n in names]),
    )
    stats = records.agg(F.count(F.lit(1))).collect()[0]
    rows = int(stats[0] or 0)
    blank = lines.where(F.col("_blank") & (F.col("_line") != header.line)).select("_line")
    blank_count = blank.count()
    if blank_count:
        listed = [int(r[0]) for r in blank.orderBy("_line").limit(_LISTED).collect()]
        source.warnings.append(blank_warning("line", listed, blank_count))
    return SparkRegister(
        source, frame, text=list(names), rows=rows, shape=_CsvShape(shape, delimiter, len(names))
    )


def _numbered_lines(session: Any, raw: Any) -> Any:
    """The lines with their number in the file (`_line`, from 1) and their partition
    (`_part`); None when the file has no bytes."""
    from pyspark.sql import functions as F  # noqa: N812

    ids = raw.select(
        "value",
        F.spark_partition_id().alias("_part"),
        F.monotonically_increasing_id().alias("_id"),
    )
    counts = sorted((int(r[0]), int(r[1])) for r in ids.groupBy("_part").count().collect() if r[1])
    if not counts:
        return None
    starts, total = [], 0
    for part, rows in counts:
        starts.append((part, total))
        total += rows
    offsets = session.createDataFrame(starts, "_part int, _start long")
    # The id holds the partition above its low bits and the row's place in it below.
    place = F.col("_id") - F.shiftleft(F.col("_part").cast("long"), _PARTITION_BITS)
    return ids.join(F.broadcast(offsets), "_part").select(
        "value", "_part", (F.col("_start") + place + F.lit(1)).alias("_line")
    )


def _csv_header(url: str, lines: Any) -> _Header:
    from pyspark.sql import functions as F  # noqa: N812

    first = lines.where(~F.col("_blank")).agg(F.min("_line")).collect()[0][0]
    if first is None:
        raise InputError(f"{url} has no header line (it has only blank lines)")
    text = str(lines.where(F.col("_line") == first).select("_text").collect()[0][0])
    if "\r" in text:
        raise InputError(f"{url} ends its lines with CR only: use LF or CRLF line endings")
    delimiter = ";" if text.count(";") > text.count(",") else ","
    names = check_header(next(csv.reader([text], delimiter=delimiter)))
    return _Header(int(first), names, delimiter)


# --- rejects ----------------------------------------------------------------------------


def _collect_rejects(register: SparkRegister, id_column: str | None) -> None:
    """Find the rejects with Spark, collect them in row order, and keep the other rows."""
    from pyspark.sql import functions as F  # noqa: N812

    source = register.source
    names = source.columns
    key = _key(names, id_column)
    nul = F.lit(False)
    for name in register.text:
        nul = nul | F.coalesce(F.instr(F.col(_quoted(name)), _NUL) > 0, F.lit(False))
    kind = "_kind"
    parts = []
    shape = register.shape
    if shape is not None:
        parts.append(
            shape.frame.select(
                ROW_COLUMN,
                F.lit(-1).alias("_column"),
                F.col("_text").alias("_value"),
                F.col("_line"),
                F.col("_fields"),
                F.when(F.col("_open"), "open").otherwise("fields").alias(kind),
                F.lit("").alias("_key"),
            )
        )
    if register.text:
        hits = register.frame.where(nul)
        key_value = F.col(_quoted(key)) if key is not None else F.lit("")
        for index, name in enumerate(names):
            if name not in register.text:
                continue
            parts.append(
                hits.where(F.instr(F.col(_quoted(name)), _NUL) > 0).select(
                    ROW_COLUMN,
                    F.lit(index).alias("_column"),
                    F.col(_quoted(name)).alias("_value"),
                    F.lit(0).cast("bigint").alias("_line"),
                    F.lit(0).alias("_fields"),
                    F.lit("nul").alias(kind),
                    F.coalesce(key_value, F.lit("")).alias("_key"),
                )
            )
        register.frame = register.frame.where(~nul)
    if not parts:
        return
    union = parts[0]
    for part in parts[1:]:
        union = union.unionByName(part)
    found = union.orderBy(ROW_COLUMN, "_column").toLocalIterator()
    damaged: list[int] = []
    count = 0
    for row in found:
        source.rejects.append(_reject(row, names, key, shape))
        if row[5] == "open":
            count += 1
            if len(damaged) < _LISTED:
                damaged.append(int(row[3]))
    if count:
        source.warnings.append(unbalanced_quote_warning(damaged, count))


def _key(names: list[str], id_column: str | None) -> str | None:
    if id_column is None:
        return None
    wanted = id_column.strip().casefold()
    for name in names:
        if name.strip().casefold() == wanted:
            return name
    return None


def _reject(row: Any, names: list[str], key: str | None, shape: _CsvShape | None) -> Any:
    number, column, value, line, fields, kind, key_value = row
    if kind == "nul":
        return StructuralReject(
            row=int(number),
            record_id=str(key_value).replace(_NUL, _NUL_SHOWN).strip(),
            column=names[column],
            value=str(value).replace(_NUL, _NUL_SHOWN),
            error=_NUL_ERROR,
        )
    assert shape is not None
    text = str(value)
    index = names.index(key) if key is not None else -1
    try:
        parsed = next(csv.reader(io.StringIO(text, newline=""), delimiter=shape.delimiter), [])
    except csv.Error:
        parsed = []
    record_id = parsed[index].strip() if 0 <= index < len(parsed) else ""
    if kind == "open":
        error = (
            f"line {line}: unbalanced quote (a quoted value opens here"
            " and does not close), so the line is not read as a record"
        )
    else:
        error = f"expected {shape.expected} fields, found {fields}"
    return StructuralReject(
        row=int(number), record_id=record_id, column="*", value=text, error=error
    )
