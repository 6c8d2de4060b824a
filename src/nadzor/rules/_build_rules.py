"""Build `let` values and rules from `rules.yaml`, and check what each rule relies on."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from nadzor.rules._context import BuildContext
from nadzor.rules._expr_types import NameInfo
from nadzor.rules._files import RuleFile
from nadzor.rules._model import Let, Parameter, Period, Rule, Template
from nadzor.rules._names import UNTIL, names_used
from nadzor.rules._periods import period_problems, span

__all__ = ["build_lets", "build_rules"]

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


def build_lets(
    ctx: BuildContext, file: str, specs: Mapping[str, str], tree: Any, names: dict[str, NameInfo]
) -> list[Let]:
    """Each `let` sees the fields, the parameters and the lets above it."""
    lets: list[Let] = []
    for name, source in specs.items():
        line = tree["let"].key_lines[name]
        if not _NAME_RE.match(name):
            ctx.add(file, line, f"let {name}: names are lower_case_with_underscores")
            continue
        if name in names:
            ctx.add(file, line, f"let {name}: the name is already a {names[name].kind}")
            continue
        checked = ctx.expr(source, names, None, file, line, f"let {name}")
        if checked is None:
            continue
        if checked.type == "duration":
            ctx.add(file, line, f"let {name}: a duration must be added to a date")
            continue
        names[name] = NameInfo(checked.type, "let")
        lets.append(Let(name, checked))
    return lets


def _depends_on(
    rule_names: set[str], lets: Sequence[Let], params: Mapping[str, Parameter]
) -> set[str]:
    """Parameters a rule uses directly, through lets, or through a parameter's keys."""
    by_name = {let.name: let for let in lets}
    pending, seen = list(rule_names), set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        if name in by_name:
            pending.extend(names_used(by_name[name].expr.tree))
    return {n for n in seen if n in params}


def _coverage(
    ctx: BuildContext,
    file: str,
    line: int,
    rule_id: str,
    periods: Sequence[Period],
    used: set[str],
    params: Mapping[str, Parameter],
) -> None:
    for name in sorted(used):
        first, last = span(params[name].periods)
        for period in periods:
            uncovered = period.start < first or (
                last is not None and (period.end is None or period.end > last)
            )
            if uncovered:
                end = period.end.isoformat() if period.end else "open end"
                ctx.add(
                    file,
                    line,
                    f"rule {rule_id}: parameter {name} has no value for part of {period.start} to {end}",
                )


def _until_is_clear(
    ctx: BuildContext,
    file: str,
    tree: Any,
    spec: RuleFile,
    names: Mapping[str, NameInfo],
    explain: Template,
) -> bool:
    """In a deferment's explain `until` is the deferment's end; a field, parameter or let of
    that name would be silently hidden there, so using `until` then is an error."""
    shows_until = any(UNTIL in names_used(p.expr) for p in explain.parts if p.expr is not None)
    if UNTIL not in names or not shows_until:
        return True
    ctx.add(
        file,
        tree.key_lines["explain"],
        f"rule {spec.id} explain: `until` is the deferment's end here, which hides the"
        f" {names[UNTIL].kind} named until; rename the {names[UNTIL].kind}",
    )
    return False


def _rule(
    ctx: BuildContext,
    file: str,
    tree: Any,
    spec: RuleFile,
    names: Mapping[str, NameInfo],
) -> Rule | None:
    line = tree.line
    when = ctx.expr(spec.when, names, "bool", file, tree.key_lines["when"], f"rule {spec.id} when")
    until = None
    if spec.until is not None:
        if spec.outcome != "deferment":
            ctx.add(
                file, tree.key_lines["until"], f"rule {spec.id}: `until` is only for deferments"
            )
        until = ctx.expr(
            spec.until, names, "date", file, tree.key_lines["until"], f"rule {spec.id} until"
        )
    explain_names = dict(names)
    if spec.until is not None:
        explain_names[UNTIL] = NameInfo("date", "builtin")
    explain = ctx.template(
        spec.explain, explain_names, file, tree.key_lines["explain"], f"rule {spec.id} explain"
    )
    if (
        explain is not None
        and spec.until is not None
        and not _until_is_clear(ctx, file, tree, spec, names, explain)
    ):
        explain = None
    periods = tuple(Period(p.from_, p.to, p.basis, p.confidence, p.note) for p in spec.periods)
    for index, message in period_problems(periods, f"rule {spec.id}"):
        ctx.add(file, tree["periods"].item_lines[index], message)
    if when is None or explain is None or (spec.until is not None and until is None):
        return None
    return Rule(
        spec.id,
        spec.title,
        spec.outcome,
        when,
        until,
        explain,
        spec.description,
        periods,
        line,
        documents=tuple(dict(d) for d in spec.documents),
    )


def build_rules(
    ctx: BuildContext,
    file: str,
    specs: Sequence[RuleFile],
    tree: Any,
    names: Mapping[str, NameInfo],
    lets: Sequence[Let],
    params: Mapping[str, Parameter],
    starts: dt.date,
) -> list[Rule]:
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for spec, rule_tree in zip(specs, tree["rules"], strict=True):
        if spec.id in seen:
            ctx.add(
                file,
                rule_tree.line,
                f"rule {spec.id} is defined twice (first on line {seen[spec.id]})",
            )
        seen[spec.id] = rule_tree.line
        rule = _rule(ctx, file, rule_tree, spec, names)
        if rule is None:
            continue
        if rule.periods[-1].end is not None and rule.periods[-1].end < starts:
            ctx.add(
                file, rule.line, f"rule {spec.id} ends before the rulebook is in force ({starts})"
            )
        used = names_used(rule.when.tree) | (names_used(rule.until.tree) if rule.until else set())
        for part in rule.explain.parts:
            if part.expr is not None:
                used |= names_used(part.expr)
        _coverage(
            ctx, file, rule.line, rule.id, rule.periods, _depends_on(used, lets, params), params
        )
        rules.append(rule)
    return rules
