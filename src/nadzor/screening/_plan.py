"""The SQL of one screening run: compiled from the rulebook by Ibis, or read from the cache.

Compiling a rulebook into SQL costs more than screening a small register with it, and the
SQL depends only on the rulebook's content, the days and language asked for, the engine,
and the shape of the input (its columns as loaded, which outputs are asked for). So a run
first computes that key, takes the SQL from the on-disk cache (`_sql_cache`) when a run
before it compiled the same, and else builds the expressions and compiles them here.

The statements read the run's tables by name: `nz_raw` (the register as loaded),
`nz_shape` (rows rejected for their shape), and the tables the setup statements create.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from nadzor.rules import Rulebook
from nadzor.screening._engine import Engine
from nadzor.screening._schemas import REJECTS_SCHEMA, findings_schema, summary_schema
from nadzor.screening._sql_cache import SqlCache, code_fingerprint, rulebook_fingerprint

if TYPE_CHECKING:
    import ibis.expr.types as ir

__all__ = ["RunPlan", "RunShape", "run_plan"]

_RAW, _SHAPE, _DUPS, _SCREENED = "nz_raw", "nz_shape", "nz_dups", "nz_screened"


@dataclass(frozen=True)
class RunShape:
    """What shapes the SQL of a run besides the rulebook, the days and the language."""

    raw_columns: tuple[tuple[str, str], ...]  # `nz_raw` as the engine holds it
    mapping: tuple[tuple[str, str | None], ...]  # record column -> raw column
    summary: bool  # a summary is asked for (else only rows an output reads are stored)
    ordered: bool  # findings sorted (CSV) or not (Parquet)
    shape_table: bool  # `nz_shape` holds rows rejected for their shape


@dataclass(frozen=True)
class RunPlan:
    """Setup statements in order, then the queries of the counts and the outputs."""

    setup: tuple[str, ...]
    stats: str
    totals: str
    findings: str
    rejects: str
    summary: str | None

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "setup": list(self.setup)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RunPlan:
        setup, summary = data["setup"], data["summary"]
        texts = [data[k] for k in ("stats", "totals", "findings", "rejects")]
        if not isinstance(setup, list) or not all(isinstance(s, str) for s in [*setup, *texts]):
            raise ValueError("not a run plan")
        if summary is not None and not isinstance(summary, str):
            raise ValueError("not a run plan")
        stats, totals, findings, rejects = texts
        return cls(tuple(setup), stats, totals, findings, rejects, summary)


def _key(
    rulebook: Rulebook, as_of: dt.date | None, lang: str | None, engine: Engine, shape: RunShape
) -> dict[str, Any] | None:
    files = rulebook_fingerprint(rulebook)
    if files is None:
        return None
    return {
        "what": "screening run",
        "rulebook": rulebook.id,
        "version": rulebook.version,
        "files": files,
        "as_of": as_of.isoformat() if as_of else None,
        "lang": lang,
        "engine": engine.name,
        "code": code_fingerprint(),
        "shape": {
            k: [list(v) for v in val] if isinstance(val, tuple) else val
            for k, val in asdict(shape).items()
        },
    }


def run_plan(
    rulebook: Rulebook,
    as_of: dt.date | None,
    lang: str | None,
    engine: Engine,
    shape: RunShape,
    cache: SqlCache | None,
) -> RunPlan:
    """The run's SQL: from `cache` if it holds this key, else compiled (and kept there)."""
    key = _key(rulebook, as_of, lang, engine, shape) if cache is not None else None
    if cache is not None and key is not None:
        held = cache.load(key)
        if held is not None:
            try:
                return RunPlan.from_json(held)
            except (KeyError, TypeError, ValueError):
                pass  # written by something else: compiled again and replaced below
    plan, cacheable = _compile(rulebook, as_of, lang, engine, shape)
    if cache is not None and key is not None and cacheable:
        cache.store(key, plan.as_json())
    return plan


def _repeat_candidates(
    raw: ir.Table, mapping: Mapping[str, str | None], rulebook: Rulebook
) -> ir.Table:
    """The rows of `raw` whose key's hash occurs more than once: every row of a repeated
    key, and rarely rows of different keys that share a hash (`duplicate_keys` over these
    rows tells them apart, so its result is the same as over all rows).

    In DuckDB, grouping the 64-bit hashes of the keys costs about half of grouping the key
    texts with their first rows (0.4 against 0.7 s of CPU at 2 million keys), and when no
    hash repeats, as in most registers, the keys are not read a second time: a join whose
    build side is empty skips its probe side."""
    from nadzor.screening._values import prepare

    record = rulebook.record_type
    source = mapping[record.key]
    assert source is not None, "the key column is required"
    key = prepare(raw[source], record.column(record.key)).hash()
    hashes = raw.select(_h=key)
    repeated = hashes.group_by("_h").aggregate(_n=hashes.count())
    repeated = repeated.filter(repeated["_n"] > 1)
    return raw.filter(key.isin(repeated["_h"]))


def _compile(
    rulebook: Rulebook, as_of: dt.date | None, lang: str | None, engine: Engine, shape: RunShape
) -> tuple[RunPlan, bool]:
    """The plan built from Ibis expressions, and whether it reads only the run's tables (an
    output with no rule at all reads an in-memory table, registered for this run only)."""
    import ibis
    import ibis.expr.operations as ops

    from nadzor.screening._outputs import (
        findings_expr,
        rejects_expr,
        stats_expr,
        summary_expr,
        totals_columns,
        totals_expr,
        with_output,
    )
    from nadzor.screening._rules_table import screened_table
    from nadzor.screening._validate import duplicate_keys, typed_values, validate

    setup: list[str] = []
    own_tables = True

    def note(expr: ir.Table) -> None:
        nonlocal own_tables
        if expr.op().find(ops.InMemoryTable):
            own_tables = False

    def sql(expr: ir.Table) -> str:
        note(expr)
        return engine.compile(expr)

    def stored(name: str, expr: ir.Table) -> ir.Table:
        note(expr)
        setup.extend(engine.create_table_sql(name, expr))
        return ibis.table(expr.schema(), name=name)

    def stage(name: str, expr: ir.Table) -> ir.Table:
        return stored(name, expr) if engine.stores_stages else expr

    mapping = dict(shape.mapping)
    raw = engine.table(_RAW)
    raw = ibis.table(raw.schema(), name=_RAW)
    keyed = _repeat_candidates(raw, mapping, rulebook) if engine.name == "duckdb" else raw
    duplicates = stored(_DUPS, duplicate_keys(keyed, mapping, rulebook))
    validated = stage("nz_valid", validate(raw, mapping, rulebook, as_of, duplicates))
    screened = screened_table(validated, rulebook, as_of, stage)
    if not shape.summary:
        # Without a summary, no output reads a clear row with no rule firing: most of the
        # register. Leaving those rows out of the stored table saves writing them.
        screened = with_output(screened, rulebook)
    screened = stored(_SCREENED, screened)
    structural: Any = []
    if shape.shape_table:
        structural = ibis.table(engine.table(_SHAPE).schema(), name=_SHAPE)
    findings = findings_expr(screened, rulebook, as_of, ordered=shape.ordered, lang=lang)
    rejects = rejects_expr(screened, raw, mapping, rulebook, structural, holds_nul=engine.holds_nul)
    only = totals_columns(rulebook)
    summary = None
    if shape.summary:
        summary = sql(
            summary_expr(screened, rulebook, as_of).select(*summary_schema(rulebook).names)
        )
    plan = RunPlan(
        setup=tuple(setup),
        stats=sql(stats_expr(screened, rulebook)),
        totals=sql(totals_expr(typed_values(raw, mapping, rulebook, only), rulebook, as_of)),
        findings=sql(findings.select(*findings_schema(rulebook).names)),
        rejects=sql(rejects.select(*REJECTS_SCHEMA.names)),
        summary=summary,
    )
    return plan, own_tables
