"""Check records given in memory (one person's answers, an API call) by the screening path.

The records become an in-memory register of text columns, exactly what a CSV reader hands
on, and go through the same validation, rules and outputs as `screen`: there is no second
reading of the law to drift from the first. Nothing is written anywhere: the register lives
in an in-memory DuckDB connection for the length of the call.

What is reused between calls: the SQL that Ibis compiled from a rulebook for one
evaluation-date setting and language (compiling the rulebook costs far more than running it
over a few rows), kept per process and in the on-disk cache of `_sql_cache`; and, per
thread, one connection holding that SQL as prepared statements over two tables of its own
(the records, the screened rows). A call only replaces those tables' rows, and empties them
again before it returns.

DuckDB binds a statement again on every execution, and binding costs in proportion to the
statement's size: a few rows cost next to nothing to run. So a call runs as little SQL as
it can. Filling the screened table returns each row's key, verdict and rule flags; then
only the finding selects of the rules that fired run (one prepared statement per rule, the
same branches whose union `screen` writes, put in its order here), and the rejects only
when a record is in error.
"""

from __future__ import annotations

import atexit
import datetime as dt
import hashlib
import itertools
import json
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
from nadzor.screening._schemas import REJECTS_SCHEMA, findings_schema
from nadzor.screening._source import ROW_COLUMN, InputError
from nadzor.screening._sql_cache import code_fingerprint, default_cache, rulebook_fingerprint

__all__ = ["CheckResult", "as_register_text", "check_records"]

_MAX_PLANS = 32
# Optimizer passes that cost more than they save on a few rows (measured on ru-2022: about
# a quarter of the time of a one-record check).
_CHECK_OPTIMIZERS_OFF = "common_subexpressions,expression_rewriter,projection_placement"


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
    """The check's SQL over two tables named for the plan, so that one connection can hold
    the plans of several rulebooks at once."""

    name: str  # unique per plan key: names its tables and prepared statements
    renames: dict[str, str]  # record column -> raw column name
    raw_table: str
    screened_table: str
    setup: list[str]  # the two tables, created empty
    # fills the screened table from the records table, returning `_row`, `_ok`, the key,
    # the verdict and then the flag of each rule in `flags`
    screen: str
    flags: list[int]  # rule index of each flag returned by `screen`
    findings: dict[str, str]  # rule index -> that rule's findings (with `_row`, `_rule`)
    rejects: str

    def as_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _plan_key(rulebook: Rulebook, as_of: dt.date | None, lang: str | None) -> dict[str, Any]:
    return {
        "what": "check",
        "rulebook": rulebook.id,
        "version": rulebook.version,
        "files": rulebook_fingerprint(rulebook),
        "as_of": as_of.isoformat() if as_of else None,
        "lang": lang,
        "engine": "duckdb",
        "code": code_fingerprint(),
    }


class _Plans:
    """Compiled SQL by (rulebook, as_of, lang), least recently used dropped first."""

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
        plan = _cached_compile(rulebook, as_of, lang, engine)
        with self._lock:
            self._plans[key] = plan
            self._rulebooks[key[0]] = rulebook
            while len(self._plans) > _MAX_PLANS:
                old, _ = self._plans.popitem(last=False)
                self._rulebooks.pop(old[0], None)
        return plan


_plans = _Plans()
_unnamed = itertools.count()
_local = threading.local()
_engines: list[Engine] = []
_engines_lock = threading.Lock()


def _engine() -> Engine:
    engine: Engine | None = getattr(_local, "engine", None)
    if engine is None:
        engine = open_engine("duckdb")
        engine.execute(f"SET disabled_optimizers = '{_CHECK_OPTIMIZERS_OFF}'")
        _local.engine = engine
        _local.prepared = set()
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


def _cached_compile(
    rulebook: Rulebook, as_of: dt.date | None, lang: str | None, engine: Engine
) -> _Plan:
    key = _plan_key(rulebook, as_of, lang)
    cache = default_cache() if key["files"] is not None else None
    if cache is not None:
        held = cache.load(key)
        if held is not None:
            try:
                return _Plan(**held)
            except TypeError:
                pass  # written by another version: compiled again and replaced below
    if key["files"] is None:
        # Not loaded from a directory: nothing tells two such rulebooks apart but the plan.
        key["plan"] = next(_unnamed)
    name = "nz_c" + hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:16]
    plan = _compile(rulebook, as_of, lang, engine, name)
    if cache is not None:
        cache.store(key, plan.as_json())
    return plan


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _compile(
    rulebook: Rulebook, as_of: dt.date | None, lang: str | None, engine: Engine, name: str
) -> _Plan:
    """The SQL of the screening path over a table holding every record column as text."""
    import ibis

    from nadzor.screening._outputs import rejects_expr
    from nadzor.screening._rules_table import rule_columns, rule_finding_branches, screened_table
    from nadzor.screening._validate import duplicate_keys, validate

    header = [c.name for c in rulebook.record_type.columns]
    match = match_columns(header, rulebook.record_type)
    raw_name, screened_name = f"{name}_raw", f"{name}_screened"
    raw = ibis.table(ibis.Schema.from_pyarrow(_raw_schema(rulebook, match.renames)), name=raw_name)
    duplicates = duplicate_keys(raw, match.mapping, rulebook)
    validated = validate(raw, match.mapping, rulebook, as_of, duplicates)
    screened_expr = screened_table(validated, rulebook, as_of)
    create_screened, fill_screened = engine.create_table_sql(screened_name, screened_expr)
    rules = rule_columns(rulebook)
    returned = ["_row", "_ok", rulebook.record_type.key, "_verdict", *[c.flag for c in rules]]
    screened = ibis.table(screened_expr.schema(), name=screened_name)
    branches = rule_finding_branches(screened, rulebook, as_of, lang)
    rejects = rejects_expr(screened, raw, match.mapping, rulebook, [])
    create_raw = engine.create_table_sql(raw_name, raw)[0]
    return _Plan(
        name=name,
        renames=dict(match.renames),
        raw_table=raw_name,
        screened_table=screened_name,
        setup=[create_raw, create_screened],
        screen=f"{fill_screened} RETURNING {', '.join(_quoted(c) for c in returned)}",
        flags=[c.index for c in rules],
        findings={str(index): engine.compile(branch) for index, branch in branches},
        rejects=engine.compile(rejects),
    )


def _prepared(engine: Engine, plan: _Plan) -> str:
    """The plan's tables and statements in this thread's connection; their name prefix."""
    done: set[str] = _local.prepared
    if plan.name not in done:
        for statement in plan.setup:
            engine.execute(statement)
        engine.execute(f"PREPARE {plan.name}_screen AS {plan.screen}")
        engine.execute(f"PREPARE {plan.name}_rejects AS {plan.rejects}")
        for index, sql in plan.findings.items():
            engine.execute(f"PREPARE {plan.name}_f{index} AS {sql}")
        done.add(plan.name)
    return plan.name


def _register(
    rulebook: Rulebook, plan: _Plan, records: Sequence[Mapping[str, object]]
) -> tuple[list[tuple[object, ...]], list[str]]:
    """The records as rows of the plan's records table (`_row`, the columns, `_shape`)."""
    record = rulebook.record_type
    known = {c.name for c in record.columns}
    extra: list[str] = []
    rows: list[tuple[object, ...]] = []
    for number, values in enumerate(records, start=1):
        folded = {str(k).strip().casefold(): v for k, v in values.items()}
        for name in folded:
            if name not in known and name not in extra:
                extra.append(name)
        cells = [as_register_text(folded.get(col.name)) for col in record.columns]
        rows.append((number, *cells, False))
    warnings = []
    if extra:
        warnings.append(f"ignored field(s) not in the {record.name}: {', '.join(sorted(extra))}")
    return rows, warnings


def _rows(table: Any, schema: pa.Schema) -> list[dict[str, Any]]:
    if hasattr(table, "read_all"):
        table = table.read_all()
    return table.select(schema.names).cast(schema).to_pylist()  # type: ignore[no-any-return]


def _findings(
    con: Any, rulebook: Rulebook, plan: _Plan, status: list[tuple[Any, ...]]
) -> list[dict[str, Any]]:
    """The findings of the rules that fired on some row, in `screen`'s order: by row, then
    by rule."""
    fired = {plan.flags[i] for row in status for i, flag in enumerate(row[4:]) if flag}
    schema = findings_schema(rulebook)
    order = pa.schema([*schema, pa.field("_row", pa.int64()), pa.field("_rule", pa.int32())])
    found: list[dict[str, Any]] = []
    for index in sorted(fired):
        if str(index) in plan.findings:
            table = con.sql(f"EXECUTE {plan.name}_f{index}").to_arrow_table()
            found += _rows(table, order)
    found.sort(key=lambda f: (f["_row"], f["_rule"]))
    for finding in found:
        del finding["_row"], finding["_rule"]
    return found


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
    values, warnings = _register(rulebook, plan, rows)
    prefix = _prepared(engine, plan)
    con = engine.con  # type: ignore[attr-defined]
    try:
        if values:
            marks = ", ".join("?" * len(values[0]))
            con.executemany(f'INSERT INTO "{plan.raw_table}" VALUES ({marks})', values)
        status = sorted(con.execute(f"EXECUTE {prefix}_screen").fetchall(), key=lambda r: r[0])
        findings = _findings(con, rulebook, plan, status)
        rejects: list[dict[str, Any]] = []
        if not all(row[1] for row in status):
            rejects = _rows(con.sql(f"EXECUTE {prefix}_rejects").to_arrow_table(), REJECTS_SCHEMA)
    finally:
        # Nothing of the records stays in the connection between calls.
        con.execute(f'DELETE FROM "{plan.raw_table}"')
        con.execute(f'DELETE FROM "{plan.screened_table}"')
    # the summary's record_id and verdict: screened (not rejected) rows, in row order
    verdicts = {str(row[2]): str(row[3]) for row in status if row[1]}
    return CheckResult(findings, rejects, verdicts, warnings)
