"""The screened table: validated rows plus `let` values, one flag and one end date per rule.

Materialising this table once lets every output (findings, summary, counts) read cheap
boolean columns instead of evaluating the rules again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir

from nadzor.rules import NameInfo, Rule, Rulebook, names_used, rulebook_names
from nadzor.screening._compile import Scope, compile_expr
from nadzor.screening._format import format_template
from nadzor.screening._params import compile_parameter, in_period

__all__ = [
    "RuleColumns",
    "eval_day",
    "finding_branches",
    "rule_columns",
    "rule_scope",
    "screened_table",
]


@dataclass(frozen=True)
class RuleColumns:
    rule: Rule
    index: int
    flag: str  # boolean column: the rule applies to the row
    until: str | None  # date column: end of the deferment, if the rule computes one


def rule_columns(rulebook: Rulebook) -> list[RuleColumns]:
    return [
        RuleColumns(rule, i, f"_f{i}", f"_u{i}" if rule.until is not None else None)
        for i, rule in enumerate(rulebook.rules)
    ]


def _let_column(name: str) -> str:
    return f"_l_{name}"


def eval_day(table: ir.Table, rulebook: Rulebook, as_of: dt.date | None) -> ir.DateValue:
    if as_of is not None:
        return ibis.literal(as_of, type="date")
    return table[rulebook.record_type.evaluation_date]


def rule_scope(
    table: ir.Table, rulebook: Rulebook, as_of: dt.date | None, lets_done: bool
) -> Scope:
    """Names over `table`; lets read their materialised column once `lets_done`."""
    record = rulebook.record_type
    params = {p.name: p for p in rulebook.parameters}
    lets = {let.name: let for let in rulebook.lets}
    scope = Scope(
        columns={c.name: table[c.name] for c in record.columns if c.name in table.columns},
        types={c.name: c.value_type for c in record.columns},
        eval_date=eval_day(table, rulebook, as_of),
    )

    def define(name: str) -> ir.Value:
        if name in params:
            return compile_parameter(params[name], scope)
        if lets_done:
            return table[_let_column(name)]
        return compile_expr(lets[name].expr.tree, scope)

    scope.define = define
    return scope


def _in_force(rule: Rule, scope: Scope, as_of: dt.date | None) -> Any:
    if as_of is not None:
        return ibis.literal(rule.period_on(as_of) is not None)
    result = ibis.literal(False)
    for period in rule.periods:
        result |= in_period(period, scope.eval_date)
    return result


def screened_table(validated: ir.Table, rulebook: Rulebook, as_of: dt.date | None) -> ir.Table:
    """`validated` plus `_l_*` lets, `_f*` flags and `_u*` deferment ends."""
    with_lets = validated
    for let in rulebook.lets:
        scope = rule_scope(with_lets, rulebook, as_of, lets_done=False)
        with_lets = with_lets.mutate(**{_let_column(let.name): compile_expr(let.expr.tree, scope)})
    scope = rule_scope(with_lets, rulebook, as_of, lets_done=True)
    new: dict[str, Any] = {}
    for cols in rule_columns(rulebook):
        fires = (
            with_lets["_ok"]
            & _in_force(cols.rule, scope, as_of)
            & compile_expr(cols.rule.when.tree, scope)
        )
        new[cols.flag] = fires
        if cols.until is not None and cols.rule.until is not None:
            until = compile_expr(cols.rule.until.tree, scope)
            new[cols.until] = ibis.ifelse(fires, until, ibis.null("date"))
    flagged = with_lets.mutate(**new)
    # The verdict is kept with the flags: the summary and the counts both read it.
    flagged = flagged.mutate(_verdict=_verdict(flagged, rulebook, as_of))
    # Record columns that no output reads (reporting-only text, lists already folded into
    # lets) are not stored: writing them costs as much as computing the rules.
    keep = _fields_read_by_outputs(rulebook)
    record = {c.name for c in rulebook.record_type.columns}
    return flagged.select(*[c for c in flagged.columns if c not in record or c in keep])


def _fields_read_by_outputs(rulebook: Rulebook) -> set[str]:
    """Fields the explanations read (directly or through a parameter's keys), the key and
    the evaluation date."""
    params = {p.name: p for p in rulebook.parameters}
    names: set[str] = set()
    for rule in rulebook.rules:
        for part in rule.explain.parts:
            if part.expr is not None:
                names |= names_used(part.expr)
    for name in list(names):
        if name in params:
            for _, key in params[name].keys:
                names |= names_used(key.tree)
    record = rulebook.record_type
    return names | {record.key, record.evaluation_date}


def _verdict_parts(
    screened: ir.Table, rulebook: Rulebook, as_of: dt.date | None
) -> tuple[Any, Any]:
    day = eval_day(screened, rulebook, as_of)
    unlawful = ibis.literal(False)
    review = ibis.literal(False)
    for cols in rule_columns(rulebook):
        flag = screened[cols.flag]
        if cols.rule.outcome == "not_subject":
            unlawful |= flag
        elif cols.rule.outcome == "deferment":
            until = screened[cols.until] if cols.until else ibis.null("date")
            unlawful |= flag & (until.isnull() | (until >= day)).fill_null(True)
        else:
            review |= flag
    return unlawful, review


def _verdict(screened: ir.Table, rulebook: Rulebook, as_of: dt.date | None) -> Any:
    unlawful, review = _verdict_parts(screened, rulebook, as_of)
    return ibis.cases((unlawful, "unlawful"), (review, "review"), else_=ibis.literal("clear"))


def _basis(rule: Rule, scope: Scope, as_of: dt.date | None) -> Any:
    if as_of is not None:
        period = rule.period_on(as_of)
        return ibis.literal(period.basis if period else "", type="string")
    if len(rule.periods) == 1:
        return ibis.literal(rule.periods[0].basis, type="string")
    cases = [(in_period(p, scope.eval_date), ibis.literal(p.basis)) for p in rule.periods]
    return ibis.cases(*cases, else_=ibis.null("string"))


def finding_branches(
    screened: ir.Table, rulebook: Rulebook, as_of: dt.date | None
) -> list[ir.Table]:
    """One select per rule over the rows it fires on, in the findings schema."""
    names = rulebook_names(rulebook)
    branches: list[ir.Table] = []
    for cols in rule_columns(rulebook):
        if as_of is not None and cols.rule.period_on(as_of) is None:
            continue
        fired = screened.filter(screened[cols.flag])
        scope = rule_scope(fired, rulebook, as_of, lets_done=True)
        until = fired[cols.until] if cols.until else ibis.null("date")
        explain_names = dict(names)
        if cols.until:
            scope.cache["until"] = until
            explain_names["until"] = NameInfo("date", "builtin")
        branches.append(
            fired.select(
                _row=fired["_row"],
                _rule=ibis.literal(cols.index, type="int32"),
                record_id=fired[rulebook.record_type.key],
                rule_id=ibis.literal(cols.rule.id, type="string"),
                outcome=ibis.literal(cols.rule.outcome, type="string"),
                deferment_until=until.cast("date"),
                basis=_basis(cols.rule, scope, as_of),
                explanation=format_template(cols.rule.explain, scope, explain_names),
                rulebook=ibis.literal(rulebook.ref, type="string"),
            )
        )
    return branches
