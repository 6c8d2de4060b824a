"""One screening run: read, validate, screen, write; the core shared by CLI and services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pyarrow as pa

from nadzor.rules import Rulebook
from nadzor.screening._columns import match_columns
from nadzor.screening._days import Days, days_of
from nadzor.screening._engine import Engine, open_engine
from nadzor.screening._fit import fit_columns
from nadzor.screening._form_export import adapt_form_export
from nadzor.screening._open import open_register
from nadzor.screening._plan import RunShape, run_plan
from nadzor.screening._schemas import REJECTS_SCHEMA, findings_schema, summary_schema
from nadzor.screening._source import InputError, RegisterSource
from nadzor.screening._spark_register import is_url
from nadzor.screening._sql_cache import default_cache
from nadzor.screening._workdir import start_run
from nadzor.screening._write import Outputs, output_format

__all__ = ["Progress", "ScreenReport", "ScreenRequest", "screen"]


class Progress(Protocol):
    """Told about phases (read, validate, screen, write) and rows read so far."""

    def phase(self, name: str) -> None: ...

    def rows(self, count: int) -> None: ...


class _Silent:
    def phase(self, name: str) -> None:
        pass

    def rows(self, count: int) -> None:
        pass


@dataclass(frozen=True)
class ScreenRequest:
    register: str
    rulebook: Rulebook
    #: outputs are local paths, or URLs (str) that the engine writes itself (Spark)
    out: Path | str
    rejects: Path | str | None = None
    summary: Path | str | None = None
    as_of: dt.date | None = None
    engine: str = "duckdb"
    lang: str | None = None
    #: reuse the SQL compiled for the same rulebook and input shape by an earlier run
    cache: bool = True


@dataclass
class ScreenReport:
    rows_read: int = 0
    screened: int = 0
    rejected: int = 0
    verdicts: dict[str, int] = field(default_factory=dict)
    rules: dict[str, int] = field(default_factory=dict)
    findings: int = 0
    warnings: list[str] = field(default_factory=list)
    written: dict[str, Path | str] = field(default_factory=dict)
    #: the judgment day of a rulebook judged on a separate day (None: each law date)
    as_of: dt.date | None = None


def _check_request(req: ScreenRequest) -> Path | str:
    output_format(req.out, "--out")
    rejects = req.rejects or _beside(req.out)
    output_format(rejects, "--rejects")
    if req.summary is not None:
        output_format(req.summary, "--summary")
    rb = req.rulebook
    if req.as_of is not None and not rb.in_force_on(req.as_of):
        side = "before" if req.as_of < rb.in_force_from else "after"
        raise InputError(f"--as-of {req.as_of} is {side} rulebook {rb.id} ({rb.period_text})")
    return rejects


def _beside(out: Path | str) -> Path | str:
    """The default rejects output: `rejects.csv` beside a file, `rejects.parquet` beside a
    URL (an output at a URL is Parquet)."""
    if isinstance(out, str) and is_url(out):  # a str, for mypy
        return out.rsplit("/", 1)[0] + "/rejects.parquet"
    return Path(out).parent / "rejects.csv"


def _is_url(target: Path | str) -> bool:
    return isinstance(target, str) and is_url(target)


def _urls(req: ScreenRequest, rejects: Path | str, engine: Engine) -> list[str]:
    """The outputs at URLs; an error unless the engine writes URLs itself."""
    urls = [t for t in (req.out, rejects, req.summary) if isinstance(t, str) and is_url(t)]
    if urls and not hasattr(engine, "write_url"):
        raise InputError(
            f"output {urls[0]} is a URL, which only Spark writes: use --engine local[N],"
            " spark://HOST:PORT or sc://HOST:PORT, or a local path"
        )
    return urls


def _counted(source: RegisterSource, progress: Progress) -> pa.RecordBatchReader:
    def stream() -> Iterator[pa.RecordBatch]:
        for batch in source.batches():
            progress.rows(source.rows_read)
            yield batch

    return pa.RecordBatchReader.from_batches(source.schema, stream())


def _renamed(reader: pa.RecordBatchReader, renames: dict[str, str]) -> pa.RecordBatchReader:
    names = ["_row" if n == "_row" else renames[n] for n in reader.schema.names]
    schema = pa.schema([f.with_name(n) for f, n in zip(reader.schema, names, strict=True)])
    return pa.RecordBatchReader.from_batches(schema, (b.rename_columns(names) for b in reader))


def _load(source: RegisterSource, engine: Engine, renames: dict[str, str], p: Progress) -> None:
    try:
        engine.load("nz_raw", _renamed(_counted(source, p), renames))
    except Exception as exc:
        # The engine reports a reader's whole-file problem as an error of its own.
        if source.failure is not None:
            raise source.failure from exc
        raise


def _run(
    req: ScreenRequest,
    engine: Engine,
    outputs: Outputs,
    rejects_path: Path | str,
    progress: Progress,
    workdir: Path,
) -> ScreenReport:
    urls = _urls(req, rejects_path, engine)
    rb = req.rulebook
    as_of = days_of(rb, req.as_of).as_of
    report = ScreenReport(as_of=as_of if rb.judgment == "separate" else None)
    progress.phase("read")
    source = open_register(
        req.register,
        id_column=rb.record_type.key,
        workdir=workdir,
        languages=rb.record_type.languages,
        urls=getattr(engine, "open_url", None),  # an engine that reads URLs itself
    )
    source = adapt_form_export(source, rb.record_type)
    match = match_columns(source.columns, rb.record_type)
    fit_columns(source, rb.record_type)
    if source.native_files and engine.scans_parquet:
        source.rows_read = engine.scan_parquet("nz_raw", source.native_files, match.renames)
    else:
        _load(source, engine, match.renames, progress)
    key_raw = match.mapping[rb.record_type.key]
    if source.rejects:
        # Loaded as a table, not a list: millions of bad rows stay out of memory.
        engine.load("nz_shape", source.rejects.reader())
        engine.append_shape_table("nz_raw", key_raw, "nz_shape")
    report.warnings += source.warnings + match.warnings
    progress.phase("validate")
    shape = RunShape(
        raw_columns=tuple(engine.columns("nz_raw")),
        mapping=tuple(match.mapping.items()),
        summary=req.summary is not None,
        ordered=output_format(req.out, "--out") == "csv",
        shape_table=bool(source.rejects),
    )
    plan = run_plan(rb, as_of, req.lang, engine, shape, default_cache() if req.cache else None)
    progress.phase("screen")
    for statement in plan.setup:
        engine.execute(statement)
    stats = engine.fetch(plan.stats)[0] | engine.fetch(plan.totals)[0]
    rows = int(stats["rows"] or 0)
    stats["screened"] = rows - int(stats["rejected"] or 0)
    flagged = sum(int(stats[f"verdict:{v.id}"] or 0) for v in rb.verdicts[:-1])
    stats[f"verdict:{rb.clear_verdict}"] = stats["screened"] - flagged
    progress.phase("write")
    # Parquet is for machines and may be huge: no sort. CSV is read by people: sorted.
    report.findings = _emit(engine, outputs, req.out, findings_schema(rb), plan.findings)
    report.written["findings"] = req.out
    rejected_rows = int(stats["rejected"] or 0) + source.rejects.rows
    if rejected_rows:
        _emit(engine, outputs, rejects_path, REJECTS_SCHEMA, plan.rejects)
        report.written["rejects"] = rejects_path
    elif rejects_path in urls:
        # nothing removes an earlier run's rejects at a URL: they are replaced by none
        _emit(engine, outputs, rejects_path, REJECTS_SCHEMA, plan.rejects)
    else:
        outputs.remove_on_commit(Path(rejects_path))
    if req.summary is not None and plan.summary is not None:
        _emit(engine, outputs, req.summary, summary_schema(rb), plan.summary)
        report.written["summary"] = req.summary
    report.rows_read = source.rows_read
    report.screened = int(stats["screened"] or 0)
    report.rejected = rejected_rows
    report.verdicts = {v.id: int(stats[f"verdict:{v.id}"] or 0) for v in rb.verdicts}
    report.rules = {r.id: int(stats[r.id] or 0) for r in rb.rules}
    report.warnings += _stat_warnings(stats, rb, as_of)
    return report


def _emit(engine: Engine, outputs: Outputs, target: Path | str, schema: pa.Schema, sql: str) -> int:
    """Write one output; Parquet goes through the engine's own writer where it has one."""
    if isinstance(target, str) and is_url(target):  # a str, for mypy
        # written in place by the engine (checked by `_urls`): no rename there is atomic
        return int(engine.write_url(sql, target))  # type: ignore[attr-defined]
    target = Path(target)
    if output_format(target, "output") == "parquet":
        rows = engine.copy_parquet_sql(sql, outputs.reserve(target))
        if rows is not None:
            return rows
        outputs.discard_last()
    return outputs.write(target, schema, engine.batches_sql(sql, schema))


def _stat_warnings(stats: dict[str, object], rb: Rulebook, as_of: dt.date | None) -> list[str]:
    warnings: list[str] = []
    for col in rb.record_type.columns:
        cyr, lat = stats.get(f"cyrillic:{col.name}"), stats.get(f"latin:{col.name}")
        if cyr and lat:
            warnings.append(
                f"column {col.name} mixes Cyrillic ({cyr} rows) and Latin ({lat} rows) letters;"
                " they were read by code point (Cyrillic В is V, Latin B is B): check the source"
            )
    latest = Days(rb, as_of).law_fixed or stats.get("max_day")
    if isinstance(latest, dt.date) and latest > rb.verified_through:
        warnings.append(
            f"evaluation dates after {rb.verified_through} (the day through which rulebook {rb.id}"
            " was checked against the law): later amendments may be missing"
        )
    return warnings


def screen(req: ScreenRequest, progress: Progress | None = None) -> ScreenReport:
    """Screen `req.register`; outputs appear only if the run succeeds (see `_write`)."""
    progress = progress or _Silent()
    rejects_path = _check_request(req)
    # The run's private folder (spilled rejects, the engine's spill files) is locked while
    # the run lives; a later run removes it if this one is killed.
    run = start_run()
    try:
        outputs = Outputs(run.id)
        outputs.remove_stale(
            [Path(t) for t in (req.out, rejects_path, req.summary) if t and not _is_url(t)]
        )
        engine = open_engine(req.engine, workdir_parent=run.path)
        try:
            report = _run(req, engine, outputs, rejects_path, progress, run.path)
            outputs.commit()
            return report
        except BaseException:
            outputs.discard()
            raise
        finally:
            engine.close()
    finally:
        run.close()
