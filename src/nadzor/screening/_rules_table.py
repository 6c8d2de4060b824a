"""The screened table: validated rows plus `let` values, one flag and one end date per rule.

Materialising this table once lets every output (findings, summary, counts) read cheap
boolean columns instead of evaluating the rules again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir

from nadzor.rules import NameInfo, Rule, Rulebook, RulePeriod, Template, names_used, rulebook_names
from nadzor.screening._compile import Scope, compile_expr
from nadzor.screening._days import Days
from nadzor.screening._format import format_template
from nadzor.screening._params import compile_parameter, in_period

__all__ = [
    "RuleColumns",
    "eval_day",
    "finding_branches",
    "replayed",
    "rule_columns",
    "rule_finding_branches",
    "rule_scope",
    "screened_table",
]


@dataclass(frozen=True)
class RuleColumns:
    rule: Rule
    index: int
    flag: str  # boolean column: the rule applies to the row
    until: str | None  # date column: end of the finding, if the rule computes one
    outcome: str | None  # text column: the outcome, when it changes by period


def rule_columns(rulebook: Rulebook) -> list[RuleColumns]:
    return [
        RuleColumns(
            rule,
            i,
            f"_f{i}",
            f"_u{i}" if any(p.until is not None for p in rule.periods) else None,
            f"_o{i}" if len(rule.outcomes) > 1 else None,
        )
        for i, rule in enumerate(rulebook.rules)
    ]


def _let_column(name: str) -> str:
    return f"_l_{name}"


def eval_day(table: ir.Table, rulebook: Rulebook, as_of: dt.date | None) -> ir.DateValue:
    """The judgment day of each row: `as_of`, or the row's law date."""
    return Days(rulebook, as_of).judged(table)


def rule_scope(
    table: ir.Table, rulebook: Rulebook, as_of: dt.date | None, lets_done: bool
) -> Scope:
    """Names over `table`; lets read their materialised column once `lets_done`."""
    record = rulebook.record_type
    params = {p.name: p for p in rulebook.parameters}
    lets = {let.name: let for let in rulebook.lets}
    days = Days(rulebook, as_of)
    scope = Scope(
        columns={c.name: table[c.name] for c in record.columns if c.name in table.columns},
        types={c.name: c.value_type for c in record.columns},
        eval_date=days.judged(table),
        law_day=days.law(table),
    )

    def define(name: str) -> ir.Value:
        if name in params:
            return compile_parameter(params[name], scope)
        if lets_done:
            return table[_let_column(name)]
        return compile_expr(lets[name].expr.tree, scope)

    scope.define = define
    return scope


def _periods_in_force(rule: Rule, days: Days) -> Sequence[RulePeriod]:
    fixed = days.law_fixed
    if fixed is None:
        return rule.periods
    period = rule.period_on(fixed)
    return [period] if period is not None else []


def _by_period(rule: Rule, days: Days, scope: Scope, value: Any, null_type: str) -> Any:
    """One value per period in force: a CASE over the periods on the law day, or the one
    value when a single period can apply. `value` maps a period to its expression."""
    periods = _periods_in_force(rule, days)
    if not periods:
        return ibis.null(null_type)
    values = [value(p) for p in periods]
    if len(periods) == 1:
        return values[0]
    law = scope.law
    return ibis.cases(
        *[(in_period(p, law), v) for p, v in zip(periods, values, strict=True)],
        else_=ibis.null(null_type),
    )


def _fires(rule: Rule, days: Days, scope: Scope) -> Any:
    periods = _periods_in_force(rule, days)
    if not periods:
        return ibis.literal(False)
    if days.law_fixed is not None:
        return compile_expr(periods[0].when.tree, scope)
    shared = all(p.when == periods[0].when for p in periods)
    if shared:
        covered = ibis.or_(*[in_period(period, scope.law) for period in periods])
        return covered & compile_expr(periods[0].when.tree, scope)
    return ibis.or_(*[in_period(p, scope.law) & compile_expr(p.when.tree, scope) for p in periods])


def replayed(table: ir.Table, rulebook: Rulebook, as_of: dt.date | None) -> ir.Table:
    """Judged as of a separate day `D`, a date later than `D` had not happened yet: the
    rules read it as not recorded. The law date itself is checked (and rejected) earlier."""
    days = Days(rulebook, as_of)
    if not days.separate or as_of is None:
        return table
    record = rulebook.record_type
    day = ibis.literal(as_of, type="date")
    later = {
        c.name: ibis.ifelse(table[c.name] > day, ibis.null("date"), table[c.name])
        for c in record.columns
        if c.type == "date" and c.name != record.law_date and c.name in table.columns
    }
    return table.mutate(**later) if later else table


def screened_table(
    validated: ir.Table,
    rulebook: Rulebook,
    as_of: dt.date | None,
    stage: Callable[[str, ir.Table], ir.Table] | None = None,
) -> ir.Table:
    """`validated` plus `_l_*` lets, `_f*` flags, `_u*` end dates and `_o*` outcomes.

    `stage` may store the table with the lets before the rules read them (an engine that
    merges nested selects would otherwise repeat each let wherever a rule uses it)."""
    days = Days(rulebook, as_of)
    with_lets = replayed(validated, rulebook, as_of)
    for let in rulebook.lets:
        scope = rule_scope(with_lets, rulebook, as_of, lets_done=False)
        with_lets = with_lets.mutate(**{_let_column(let.name): compile_expr(let.expr.tree, scope)})
    if stage is not None and rulebook.lets:
        with_lets = stage("nz_lets", with_lets)
    scope = rule_scope(with_lets, rulebook, as_of, lets_done=True)
    flags = {c.flag: with_lets["_ok"] & _fires(c.rule, days, scope) for c in rule_columns(rulebook)}
    flagged = with_lets.mutate(**flags)
    # End dates and outcomes in a stage of their own, which reads each flag by name: the
    # rule's test is written once, and the end date is computed only where it fires.
    scope = rule_scope(flagged, rulebook, as_of, lets_done=True)
    new: dict[str, Any] = {}
    for cols in rule_columns(rulebook):
        fires = flagged[cols.flag]
        if cols.until is not None:
            until = _by_period(
                cols.rule,
                days,
                scope,
                lambda p: (
                    compile_expr(p.until.tree, scope) if p.until is not None else ibis.null("date")
                ),
                "date",
            )
            new[cols.until] = ibis.ifelse(fires, until, ibis.null("date"))
        if cols.outcome is not None:
            outcome = _by_period(
                cols.rule, days, scope, lambda p: ibis.literal(p.outcome, type="string"), "string"
            )
            new[cols.outcome] = ibis.ifelse(fires, outcome, ibis.null("string"))
    if new:
        flagged = flagged.mutate(**new)
    # The verdict is kept with the flags: the summary and the counts both read it.
    flagged = flagged.mutate(_verdict=_verdict(flagged, rulebook, as_of))
    # Record columns that no output reads (reporting-only text, lists already folded into
    # lets) are not stored: writing them costs as much as computing the rules.
    keep = _fields_read_by_outputs(rulebook)
    record = {c.name for c in rulebook.record_type.columns}
    return flagged.select(*[c for c in flagged.columns if c not in record or c in keep])


def _fields_read_by_outputs(rulebook: Rulebook) -> set[str]:
    """Fields the explanations read (directly or through a parameter's keys), the key and
    the law date."""
    params = {p.name: p for p in rulebook.parameters}
    names: set[str] = set()
    for rule in rulebook.rules:
        for period in rule.periods:
            for _, template in period.explains:
                for part in template.parts:
                    if part.expr is not None:
                        names |= names_used(part.expr)
    for name in list(names):
        if name in params:
            for _, key in params[name].keys:
                names |= names_used(key.tree)
    record = rulebook.record_type
    return names | {record.key, record.law_date}


def _verdict_hits(
    screened: ir.Table, rulebook: Rulebook, as_of: dt.date | None
) -> list[tuple[str, Any]]:
    """(verdict, whether the row has it) for every verdict but the clear one."""
    day = eval_day(screened, rulebook, as_of)
    hits: dict[str, list[Any]] = {v.id: [] for v in rulebook.verdicts[:-1]}
    for cols in rule_columns(rulebook):
        flag = screened[cols.flag]
        for outcome_id in cols.rule.outcomes:
            outcome = rulebook.outcome(outcome_id)
            if outcome.verdict not in hits:
                continue  # an outcome that rolls up into the clear verdict
            hit = flag
            if cols.outcome is not None:
                hit = hit & (screened[cols.outcome] == outcome_id).fill_null(False)
            if outcome.has_end and cols.until is not None:
                # without an end date the outcome holds for good
                until = screened[cols.until]
                hit = hit & (until.isnull() | (until >= day)).fill_null(True)
            hits[outcome.verdict].append(hit)
    return [(v, ibis.or_(*h) if h else ibis.literal(False)) for v, h in hits.items()]


def _verdict(screened: ir.Table, rulebook: Rulebook, as_of: dt.date | None) -> Any:
    hits = _verdict_hits(screened, rulebook, as_of)
    clear = ibis.literal(rulebook.clear_verdict)
    if not hits:
        return clear
    return ibis.cases(*[(hit, verdict) for verdict, hit in hits], else_=clear)


def _basis(rule: Rule, days: Days, scope: Scope) -> Any:
    return _by_period(rule, days, scope, lambda p: ibis.literal(p.basis, type="string"), "string")


def _explanation(
    rulebook: Rulebook,
    rule: Rule,
    days: Days,
    scope: Scope,
    names: dict[str, NameInfo],
    lang: str | None,
) -> Any:
    def text(period: RulePeriod) -> Any:
        template: Template = period.explain_in(lang)
        return format_template(template, scope, names, lang, rulebook.wording)

    return _by_period(rule, days, scope, text, "string")


def finding_branches(
    screened: ir.Table, rulebook: Rulebook, as_of: dt.date | None, lang: str | None = None
) -> list[ir.Table]:
    """One select per rule over the rows it fires on, in the findings schema (with `as_of`
    for a rulebook judged on a separate day)."""
    return [branch for _, branch in rule_finding_branches(screened, rulebook, as_of, lang)]


def rule_finding_branches(
    screened: ir.Table, rulebook: Rulebook, as_of: dt.date | None, lang: str | None = None
) -> list[tuple[int, ir.Table]]:
    """`finding_branches`, each with its rule's index (`RuleColumns.index`); a rule with
    no period in force has none."""
    days = Days(rulebook, as_of)
    names = rulebook_names(rulebook)
    branches: list[tuple[int, ir.Table]] = []
    for cols in rule_columns(rulebook):
        if not _periods_in_force(cols.rule, days):
            continue
        fired = screened.filter(screened[cols.flag])
        scope = rule_scope(fired, rulebook, as_of, lets_done=True)
        until = fired[cols.until] if cols.until else ibis.null("date")
        explain_names = dict(names)
        if cols.until:
            scope.cache["until"] = until
            explain_names["until"] = NameInfo("date", "builtin")
        outcome = (
            fired[cols.outcome]
            if cols.outcome
            else ibis.literal(cols.rule.outcomes[0], type="string")
        )
        columns: dict[str, Any] = {
            "_row": fired["_row"],
            "_rule": ibis.literal(cols.index, type="int32"),
            "record_id": fired[rulebook.record_type.key].cast("string"),
            "rule_id": ibis.literal(cols.rule.id, type="string"),
            "outcome": outcome,
            "deferment_until": until.cast("date"),
            "basis": _basis(cols.rule, days, scope),
            "explanation": _explanation(rulebook, cols.rule, days, scope, explain_names, lang),
            "rulebook": ibis.literal(rulebook.ref, type="string"),
        }
        if days.separate:
            columns["as_of"] = days.judged(fired)
        branches.append((cols.index, fired.select(**columns)))
    return branches
