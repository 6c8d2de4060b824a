"""Check records given in memory (one person's answers, an API call) by the screening path.

The records become an in-memory register of text columns, exactly what a CSV reader hands
on, and go through the same validation, rules and outputs as `screen`: there is no second
reading of the law to drift from the first. Nothing is written anywhere: the register lives
in an in-memory DuckDB connection for the length of the call.

What is reused between calls: one warm connection per thread, and the SQL that Ibis
compiled from a rulebook for one evaluation-date setting (compiling the rulebook costs far
more than running it over a few rows). The SQL reads the table `nz_raw` by name, so each
call only replaces that table's rows.
"""

from __future__ import annotations

import atexit
import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from nadzor.rules import Rulebook
from nadzor.screening._columns import match_columns
from nadzor.screening._days import days_of
from nadzor.screening._engine import Engine, open_engine
from nadzor.screening._outputs import (
    REJECTS_SCHEMA,
    findings_expr,
    findings_schema,
    rejects_expr,
    summary_expr,
)
from nadzor.screening._rules_table import screened_table
from nadzor.screening._source import ROW_COLUMN, InputError
from nadzor.screening._validate import duplicate_keys, validate

__all__ = ["CheckResult", "as_register_text", "check_records"]

_RAW = "nz_raw"
_SCREENED = "nz_check_screened"
_MAX_PLANS = 32


@dataclass(frozen=True)
class CheckResult:
    """Findings and rejects with the columns of the files `screen` writes, and the verdict
    of every screened record by its key (a rejected record has none)."""

    findings: list[dict[str, Any]]
    rejects: list[dict[str, Any]]
    verdicts: dict[str, str]
    warnings: list[str] = field(default_factory=list)


def as_register_text(value: object) -> str | None:
    """A JSON-like value as a register cell: lists `;`-joined, yes/no as `true`/`false`."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        items = [as_register_text(item) for item in value]
        return ";".join(item for item in items if item is not None)
    return str(value)


@dataclass(frozen=True)
class _Plan:
    renames: dict[str, str]  # record column -> raw column name
    screened_sql: str
    findings_sql: str
    rejects_sql: str
    summary_sql: str


class _Plans:
    """Compiled SQL by (rulebook, as_of), least recently used dropped first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._plans: OrderedDict[tuple[int, str, dt.date | None, str | None], _Plan] = OrderedDict()
        # Held so that a rulebook's id() is not reused by another while its plan is kept.
        self._rulebooks: dict[int, Rulebook] = {}

    def get(
        self, rulebook: Rulebook, as_of: dt.date | None, lang: str | None, engine: Engine
    ) -> _Plan:
        # The rulebook object's identity is part of the key: two directories may carry the
        # same id and version with different rules while someone is writing one.
        key = (id(rulebook), rulebook.ref, as_of, lang)
        with self._lock:
            plan = self._plans.get(key)
            if plan is not None:
                self._plans.move_to_end(key)
                return plan
        plan = _compile(rulebook, as_of, lang, engine)
        with self._lock:
            self._plans[key] = plan
            self._rulebooks[key[0]] = rulebook
            while len(self._plans) > _MAX_PLANS:
                old, _ = self._plans.popitem(last=False)
                self._rulebooks.pop(old[0], None)
        return plan


_plans = _Plans()
_local = threading.local()
_engines: list[Engine] = []
_engines_lock = threading.Lock()


def _engine() -> Engine:
    engine: Engine | None = getattr(_local, "engine", None)
    if engine is None:
        engine = open_engine("duckdb")
        _local.engine = engine
        with _engines_lock:
            _engines.append(engine)
    return engine


@atexit.register
def _close_engines() -> None:
    with _engines_lock:
        for engine in _engines:
            engine.close()
        _engines.clear()


def _raw_schema(rulebook: Rulebook, renames: Mapping[str, str]) -> pa.Schema:
    fields: list[pa.Field[Any]] = [pa.field(ROW_COLUMN, pa.int64(), nullable=False)]
    fields += [pa.field(renames[c.name], pa.string()) for c in rulebook.record_type.columns]
    return pa.schema([*fields, pa.field("_shape", pa.bool_())])


def _compile(rulebook: Rulebook, as_of: dt.date | None, lang: str | None, engine: Engine) -> _Plan:
    """The SQL of the screening path over a table `nz_raw` holding every record column."""
    header = [c.name for c in rulebook.record_type.columns]
    match = match_columns(header, rulebook.record_type)
    backend = engine.backend
    con = backend.con
    con.register(_RAW, _raw_schema(rulebook, match.renames).empty_table())
    raw = backend.table(_RAW)
    duplicates = duplicate_keys(raw, match.mapping, rulebook)
    validated = validate(raw, match.mapping, rulebook, as_of, duplicates)
    screened_sql = str(backend.compile(screened_table(validated, rulebook, as_of)))
    con.execute(f'CREATE OR REPLACE TEMP TABLE "{_SCREENED}" AS {screened_sql}')
    screened = backend.table(_SCREENED)
    findings = findings_expr(screened, rulebook, as_of, ordered=True, lang=lang)
    rejects = rejects_expr(screened, raw, match.mapping, rulebook, [])
    summary = summary_expr(screened, rulebook, as_of)
    return _Plan(
        renames=dict(match.renames),
        screened_sql=screened_sql,
        findings_sql=str(backend.compile(findings)),
        rejects_sql=str(backend.compile(rejects)),
        summary_sql=str(backend.compile(summary)),
    )


def _register(
    rulebook: Rulebook, plan: _Plan, records: Sequence[Mapping[str, object]]
) -> tuple[pa.Table, list[str]]:
    record = rulebook.record_type
    known = {c.name for c in record.columns}
    extra: list[str] = []
    columns: dict[str, list[str | None]] = {c.name: [] for c in record.columns}
    for values in records:
        folded = {str(k).strip().casefold(): v for k, v in values.items()}
        for name in folded:
            if name not in known and name not in extra:
                extra.append(name)
        for col in record.columns:
            columns[col.name].append(as_register_text(folded.get(col.name)))
    data: dict[str, Any] = {ROW_COLUMN: list(range(1, len(records) + 1))}
    data.update({plan.renames[name]: cells for name, cells in columns.items()})
    data["_shape"] = [False] * len(records)
    warnings = []
    if extra:
        warnings.append(f"ignored field(s) not in the {record.name}: {', '.join(sorted(extra))}")
    return pa.table(data, schema=_raw_schema(rulebook, plan.renames)), warnings


def _rows(reader: Any, schema: pa.Schema) -> list[dict[str, Any]]:
    table = reader.read_all() if hasattr(reader, "read_all") else reader
    return table.select(schema.names).cast(schema).to_pylist()  # type: ignore[no-any-return]


def check_records(
    rulebook: Rulebook,
    records: Sequence[Mapping[str, object]] | Iterable[Mapping[str, object]],
    *,
    as_of: dt.date | None = None,
    lang: str | None = None,
) -> CheckResult:
    """Screen `records` (field -> value, as a register row or JSON would carry them) with
    `rulebook`, judged as `screen --as-of` would; the same findings and rejects as `screen`
    gives for a register holding these rows in this order.

    `lang` asks for explanations in that language where the rulebook carries it; a
    rulebook written in one language explains in that one. A rulebook judged on a separate
    day is judged, as by `screen`, on `as_of` or else on the day of the call.
    """
    rows = list(records)
    if as_of is not None and not rulebook.in_force_on(as_of):
        side = "before" if as_of < rulebook.in_force_from else "after"
        raise InputError(f"as_of {as_of} is {side} rulebook {rulebook.id} ({rulebook.period_text})")
    engine = _engine()
    as_of = days_of(rulebook, as_of).as_of
    plan = _plans.get(rulebook, as_of, lang, engine)
    table, warnings = _register(rulebook, plan, rows)
    con = engine.backend.con
    con.register(_RAW, table)
    try:
        con.execute(f'CREATE OR REPLACE TEMP TABLE "{_SCREENED}" AS {plan.screened_sql}')
        findings = _rows(con.sql(plan.findings_sql).arrow(), findings_schema(rulebook))
        rejects = _rows(con.sql(plan.rejects_sql).arrow(), REJECTS_SCHEMA)
        summary = con.sql(plan.summary_sql).arrow().read_all().to_pylist()
    finally:
        # Nothing of the records stays in the connection between calls.
        con.unregister(_RAW)
        con.execute(f'DROP TABLE IF EXISTS "{_SCREENED}"')
    verdicts = {str(row["record_id"]): str(row["verdict"]) for row in summary}
    return CheckResult(findings, rejects, verdicts, warnings)
