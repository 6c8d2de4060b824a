"""Build `let` values and rules from `rules.yaml`, and check what each rule relies on."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from nadzor.rules._build_meta import choices_text, lang_items, texts
from nadzor.rules._context import BuildContext
from nadzor.rules._expr_ast import DateLit, Expr, Name
from nadzor.rules._expr_types import CALENDAR_FUNCTIONS, NameInfo
from nadzor.rules._files import LangSourceFile, RuleFile, RulePeriodFile
from nadzor.rules._model import Let, Parameter, Period, Rule, RulePeriod, Template
from nadzor.rules._names import UNTIL, calls, names_used
from nadzor.rules._outcomes import DEFAULT_OUTCOMES, OutcomeDef
from nadzor.rules._periods import period_problems, span
from nadzor.rules._texts import DEFAULT_LANGUAGE

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
        if params[name].type == "calendar":
            continue  # a calendar is read by the day it counts, not by the law day
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
    line: int,
    rule_id: str,
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
        line,
        f"rule {rule_id} explain: `until` is the deferment's end here, which hides the"
        f" {names[UNTIL].kind} named until; rename the {names[UNTIL].kind}",
    )
    return False


@dataclass(frozen=True)
class _Words:
    """What the rulebook declares that every rule is checked against."""

    outcomes: Mapping[str, OutcomeDef]
    languages: tuple[str, ...]


def _outcome(
    ctx: BuildContext, file: str, line: int, where: str, value: str | None, words: _Words
) -> str | None:
    if value is None:
        return None
    if value not in words.outcomes:
        ctx.add(
            file, line, f"{where}.outcome: Input should be {choices_text(list(words.outcomes))}"
        )
        return None
    return value


def _explains(
    ctx: BuildContext,
    file: str,
    line: int,
    rule_id: str,
    value: str | LangSourceFile,
    names: Mapping[str, NameInfo],
    words: _Words,
) -> tuple[tuple[str, Template], ...] | None:
    built: list[tuple[str, Template]] = []
    ok = True
    for lang, source in lang_items(value).items():
        what = f"rule {rule_id} explain" + ("" if lang == DEFAULT_LANGUAGE else f" ({lang})")
        if lang not in words.languages:
            declared = ", ".join(words.languages)
            ctx.add(
                file, line, f"{what}: language {lang!r} is not declared (languages: {declared})"
            )
            ok = False
            continue
        if not isinstance(source, str) or not source.strip():
            ctx.add(file, line, f"{what}: expected a non-empty template")
            ok = False
            continue
        template = ctx.template(source, names, file, line, what)
        if template is None:
            ok = False
            continue
        built.append((lang, template))
    return tuple(built) if ok else None


def _period(
    ctx: BuildContext,
    file: str,
    tree: Any,
    rule_tree: Any,
    spec: RuleFile,
    period: RulePeriodFile,
    names: Mapping[str, NameInfo],
    words: _Words,
    index: int,
    rule_index: int,
) -> RulePeriod | None:
    """One period with its condition, outcome, end and explanation (its own or the rule's)."""
    own = set(period.model_fields_set)
    src = tree if own & {"when", "outcome", "until", "explain"} else rule_tree
    where = f"rules[{rule_index}]" + (f".periods[{index}]" if src is tree else "")
    outcome_value = period.outcome if "outcome" in own else spec.outcome
    outcome_tree = tree if "outcome" in own else rule_tree
    outcome = _outcome(
        ctx,
        file,
        outcome_tree.key_lines.get("outcome", outcome_tree.line),
        where if "outcome" in own else f"rules[{rule_index}]",
        outcome_value,
        words,
    )
    when_src = period.when if "when" in own else spec.when
    until_src = period.until if "until" in own else spec.until
    explain_src = period.explain if "explain" in own else spec.explain
    if outcome_value is None or when_src is None or explain_src is None:
        return None  # reported by `_missing_parts`
    assert when_src is not None and explain_src is not None
    when_tree = tree if "when" in own else rule_tree
    when = ctx.expr(
        when_src, names, "bool", file, when_tree.key_lines["when"], f"rule {spec.id} when"
    )
    until = None
    until_tree = tree if "until" in own else rule_tree
    if until_src is not None:
        until_line = until_tree.key_lines["until"]
        if outcome is not None and not words.outcomes[outcome].has_end:
            with_end = [o.id for o in words.outcomes.values() if o.has_end]
            kinds = (
                " or ".join(f"{w}s" for w in with_end)
                if with_end
                else "outcomes with an end date (none is declared)"
            )
            ctx.add(file, until_line, f"rule {spec.id}: `until` is only for {kinds}")
        until = ctx.expr(until_src, names, "date", file, until_line, f"rule {spec.id} until")
    explain_names = dict(names)
    if until_src is not None:
        explain_names[UNTIL] = NameInfo("date", "builtin")
    explain_tree = tree if "explain" in own else rule_tree
    explain_line = explain_tree.key_lines["explain"]
    explains = _explains(ctx, file, explain_line, spec.id, explain_src, explain_names, words)
    if explains is not None and until_src is not None:
        for _, template in explains:
            if not _until_is_clear(ctx, file, explain_line, spec.id, names, template):
                explains = None
                break
    if when is None or explains is None or outcome is None:
        return None
    if until_src is not None and until is None:
        return None
    return RulePeriod(
        start=period.from_,
        end=period.to,
        basis=period.basis,
        confidence=period.confidence,
        note=period.note,
        when=when,
        outcome=outcome,
        until=until,
        explains=explains,
    )


def _missing_parts(
    ctx: BuildContext, file: str, tree: Any, spec: RuleFile, rule_index: int
) -> bool:
    """A rule's `when`, `outcome` and `explain` are given on the rule or on every period."""
    missing = False
    for key in ("when", "outcome", "explain"):
        if getattr(spec, key) is not None:
            continue
        lacking = [i for i, p in enumerate(spec.periods) if getattr(p, key) is None]
        if len(lacking) == len(spec.periods):
            ctx.add(file, tree.line, f"rules[{rule_index}].{key}: Field required")
        for i in lacking if len(lacking) < len(spec.periods) else []:
            ctx.add(
                file,
                tree["periods"].item_lines[i],
                f"rules[{rule_index}].periods[{i}].{key}: Field required (not given on the rule)",
            )
        missing = missing or bool(lacking)
    return missing


def _rule(
    ctx: BuildContext,
    file: str,
    tree: Any,
    spec: RuleFile,
    names: Mapping[str, NameInfo],
    words: _Words,
    rule_index: int,
) -> Rule | None:
    line = tree.line
    title = texts(
        ctx, file, tree.key_lines["title"], spec.title, words.languages, f"rule {spec.id} title"
    )
    description = (
        texts(
            ctx,
            file,
            tree.key_lines["description"],
            spec.description,
            words.languages,
            f"rule {spec.id} description",
        )
        if spec.description is not None
        else None
    )
    plain = [Period(p.from_, p.to, p.basis, p.confidence, p.note) for p in spec.periods]
    for index, message in period_problems(plain, f"rule {spec.id}"):
        ctx.add(file, tree["periods"].item_lines[index], message)
    if _missing_parts(ctx, file, tree, spec, rule_index):
        return None
    built: list[RulePeriod] = []
    for index, period in enumerate(spec.periods):
        made = _period(
            ctx, file, tree["periods"][index], tree, spec, period, names, words, index, rule_index
        )
        if made is None:
            return None
        built.append(made)
    first = built[0]
    return Rule(
        spec.id,
        title,
        first.outcome,
        first.when,
        first.until,
        first.explain,
        description,
        tuple(built),
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
    outcomes: Sequence[OutcomeDef] = DEFAULT_OUTCOMES,
    languages: Sequence[str] = (DEFAULT_LANGUAGE,),
) -> list[Rule]:
    words = _Words({o.id: o for o in outcomes}, tuple(languages))
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for index, (spec, rule_tree) in enumerate(zip(specs, tree["rules"], strict=True)):
        if spec.id in seen:
            ctx.add(
                file,
                rule_tree.line,
                f"rule {spec.id} is defined twice (first on line {seen[spec.id]})",
            )
        seen[spec.id] = rule_tree.line
        rule = _rule(ctx, file, rule_tree, spec, names, words, index)
        if rule is None:
            continue
        if rule.periods[-1].end is not None and rule.periods[-1].end < starts:
            ctx.add(
                file, rule.line, f"rule {spec.id} ends before the rulebook is in force ({starts})"
            )
        # Each period needs values only for the parameters it uses itself: a condition
        # gained on a later period may read a parameter that starts with that period.
        for period in rule.periods:
            used = names_used(period.when.tree)
            used |= names_used(period.until.tree) if period.until else set()
            for _, template in period.explains:
                for part in template.parts:
                    if part.expr is not None:
                        used |= names_used(part.expr)
            _coverage(
                ctx, file, rule.line, rule.id, [period], _depends_on(used, lets, params), params
            )
        rules.append(rule)
    return rules


def calendar_literal_problems(tree: Expr, params: Mapping[str, Parameter]) -> list[str]:
    """A literal date the calendar does not cover: known when the rulebook loads."""
    found: list[str] = []
    for call in calls(tree):
        if call.func not in CALENDAR_FUNCTIONS or not isinstance(call.args[-1], Name):
            continue
        param = params.get(call.args[-1].name)
        span = param.calendar_span if param is not None else None
        if span is None:
            continue
        for arg in call.args[:-1]:
            if isinstance(arg, DateLit) and not span[0] <= arg.value <= span[1]:
                found.append(
                    f"{call.func}: {arg.value} is outside the calendar {call.args[-1].name}"
                    f" ({span[0]} to {span[1]})"
                )
    return found


def check_calendar_literals(
    ctx: BuildContext,
    file: str,
    rules: Sequence[Rule],
    lets: Sequence[Let],
    params: Mapping[str, Parameter],
    let_lines: Mapping[str, int],
) -> None:
    for let in lets:
        for message in calendar_literal_problems(let.expr.tree, params):
            ctx.add(file, let_lines.get(let.name, 0), f"let {let.name}: {message}")
    for rule in rules:
        for period in rule.periods:
            trees = [period.when.tree] + ([period.until.tree] if period.until else [])
            for _, template in period.explains:
                trees += [p.expr for p in template.parts if p.expr is not None]
            for tree in trees:
                for message in calendar_literal_problems(tree, params):
                    ctx.add(file, rule.line, f"rule {rule.id}: {message}")
