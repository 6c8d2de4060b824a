"""Render rulebooks for people: `list`, `show` and `diff` read like a legal summary."""

from __future__ import annotations

import datetime as dt

from rich.console import Console
from rich.table import Table

from nadzor.rules import (
    CalendarDays,
    Column,
    Parameter,
    ParamPeriod,
    Period,
    Rule,
    Rulebook,
    RulePeriod,
    TableRow,
)

__all__ = [
    "param_value_text",
    "print_diff",
    "print_rulebook",
    "print_versions_diff",
    "rulebook_table",
]


def _period_text(period: Period) -> str:
    end = period.end.isoformat() if period.end else "open"
    return f"{period.start} – {end}"


def _row_text(row: TableRow) -> str:
    parts = []
    for cond in row.conditions:
        if cond.equals is not None:
            parts.append(f"{cond.key}={cond.equals}")
        else:
            low = f"{cond.min} ≤ " if cond.min is not None else ""
            high = f" ≤ {cond.max}" if cond.max is not None else ""
            parts.append(f"{low}{cond.key}{high}")
    return f"{', '.join(parts)}: {row.value}"


def param_value_text(period: ParamPeriod) -> str:
    if isinstance(period.value, CalendarDays):
        holidays = ", ".join(d.isoformat() for d in period.value.holidays) or "none"
        worked = ", ".join(d.isoformat() for d in period.value.working_days) or "none"
        return f"weekdays off: {holidays}; weekend days worked: {worked}"
    if period.table is not None:
        return "; ".join(_row_text(row) for row in period.table)
    if isinstance(period.value, tuple):
        return ", ".join(str(v) for v in period.value)
    return str(period.value)


def rulebook_table(books: list[tuple[Rulebook, str]]) -> Table:
    table = Table(header_style="bold")
    for name in ("id", "version", "title", "in force", "verified through", "rules", "from"):
        table.add_column(name)
    for book, origin in books:
        table.add_row(
            book.id,
            book.version,
            book.title,
            book.period_text.removeprefix("in force "),
            str(book.verified_through),
            str(len(book.rules)),
            origin,
        )
    return table


def _params_table(params: tuple[Parameter, ...], day: dt.date | None) -> Table:
    table = Table(title="Parameters", header_style="bold", show_lines=True)
    for name in ("parameter", "period", "value", "basis", "confidence"):
        table.add_column(name)
    for param in params:
        periods = [p for p in param.periods if day is None or p.covers(day)]
        for period in periods:
            note = f"\n{period.note}" if period.note else ""
            table.add_row(
                f"{param.name}\n[dim]{param.title}[/]",
                _period_text(period),
                param_value_text(period),
                period.basis,
                period.confidence + note,
            )
    return table


def _column_notes(book: Rulebook, col: Column) -> str:
    notes: list[str] = []
    if col.values is not None:
        notes.append(
            "; ".join(
                f"{canon}"
                + (f" ({', '.join(s for s in forms if s != canon)})" if len(forms) > 1 else "")
                for canon, forms in col.values.items()
            )
        )
    if col.min is not None or col.max is not None:
        low = col.min if col.min is not None else ""
        high = col.max if col.max is not None else ""
        notes.append(f"{low}..{high}")
    if col.pattern:
        notes.append(f"pattern {col.pattern}")
    if col.name == book.record_type.law_date:
        notes.append("law date")
    if col.name == book.record_type.key:
        notes.append("key")
    if col.reporting_only:
        notes.append("reporting only")
    if col.description:
        notes.append(col.description)
    return "\n".join(notes)


def _record_table(book: Rulebook) -> Table:
    record = book.record_type
    table = Table(title=f"Record type: {record.name}", header_style="bold")
    for name in ("column", "type", "required", "values, range, notes"):
        table.add_column(name)
    for col in record.columns:
        table.add_row(col.name, col.type, "yes" if col.required else "", _column_notes(book, col))
    yes = ", ".join(dict.fromkeys(record.true_spellings))
    no = ", ".join(dict.fromkeys(record.false_spellings))
    table.caption = f"yes/no spellings (any case): yes = {yes}; no = {no}"
    return table


def _words_table(book: Rulebook, lang: str | None) -> Table:
    table = Table(title="Outcomes and verdicts", header_style="bold")
    for name in ("outcome", "meaning", "verdict", "end date"):
        table.add_column(name)
    for outcome in book.outcomes:
        table.add_row(
            outcome.id,
            outcome.meaning.get(lang),
            outcome.verdict,
            "yes" if outcome.has_end else "",
        )
    verdicts = "; ".join(f"{v.id}: {v.meaning.get(lang)}" for v in book.verdicts)
    table.caption = f"verdicts, most severe first: {verdicts}"
    return table


def _lets_table(book: Rulebook) -> Table:
    table = Table(title="Definitions (let)", header_style="bold")
    table.add_column("name")
    table.add_column("expression")
    table.add_column("type")
    for let in book.lets:
        table.add_row(let.name, let.expr.source, let.expr.type)
    return table


def _rules_table(book: Rulebook, day: dt.date | None, lang: str | None = None) -> Table:
    table = Table(title="Rules", header_style="bold", show_lines=True)
    for name in ("rule", "outcome", "when", "explanation", "period", "basis", "confidence"):
        table.add_column(name)
    for rule in book.rules:
        periods = [p for p in rule.periods if day is None or p.covers(day)]
        for period in periods:
            until = f"\nuntil: {period.until.source}" if period.until else ""
            table.add_row(
                f"{rule.id}\n[dim]{rule.title.get(lang)}[/]",
                period.outcome,
                period.when.source + until,
                period.explain_in(lang).source,
                _period_text(period),
                period.basis,
                period.confidence,
            )
    return table


def print_rulebook(
    console: Console, book: Rulebook, day: dt.date | None, lang: str | None = None
) -> None:
    console.print(f"[bold]{book.ref}[/] — {book.title.get(lang)}", highlight=False)
    console.print(
        f"{book.jurisdiction}, {book.period_text} ({book.in_force_basis}); law verified through {book.verified_through}",
        highlight=False,
    )
    if book.description is not None:
        console.print(book.description.get(lang), highlight=False)
    judged = (
        "judged on the law date"
        if book.judgment == "law_date"
        else "judged as of a separate day (--as-of, by default the day of the run)"
    )
    case = book.case
    console.print(
        f"law date: {book.record_type.law_date}; {judged}. Languages: {', '.join(book.languages)}."
        f" Case: {case.kind} about the {case.subject_kind} ({', '.join(case.subject)});"
        f" reporting by {', '.join(case.reporting) or 'nothing'}.",
        highlight=False,
    )
    if day is not None:
        console.print(f"[bold]As in force on {day}[/]")
        if day > book.verified_through:
            console.print(
                f"[yellow]warning:[/] {day} is after {book.verified_through}: later amendments may be missing"
            )
    sources = Table(title="Sources", header_style="bold")
    for name in ("id", "name", "number", "date", "note"):
        sources.add_column(name)
    for src in book.sources:
        sources.add_row(src.id, src.name, src.number or "", str(src.date or ""), src.note or "")
    console.print(sources)
    console.print(_record_table(book))
    console.print(_words_table(book, lang))
    console.print(_params_table(book.parameters, day))
    if book.lets:
        console.print(_lets_table(book))
    console.print(_rules_table(book, day, lang))


def print_diff(console: Console, book: Rulebook, start: dt.date, end: dt.date) -> int:
    """Print what changed between two days; returns the number of changes."""
    changes = 0
    console.print(f"[bold]{book.ref}[/]: changes in the law from {start} to {end}")
    for rule in book.rules:
        before, after = rule.period_on(start), rule.period_on(end)
        if before is None and after is not None:
            console.print(
                f"+ rule {rule.id} ({rule.title}) comes into force: {after.basis}", highlight=False
            )
        elif before is not None and after is None:
            console.print(
                f"- rule {rule.id} ({rule.title}) no longer in force (was: {before.basis})",
                highlight=False,
            )
        elif before is not None and after is not None and before != after:
            console.print(
                f"~ rule {rule.id}: basis {before.basis!r} -> {after.basis!r}", highlight=False
            )
        else:
            continue
        changes += 1
    for param in book.parameters:
        before_p, after_p = param.period_on(start), param.period_on(end)
        if before_p == after_p:
            continue
        basis = after_p.basis if after_p else "(no value)"
        if (
            before_p is not None
            and after_p is not None
            and before_p.table is not None
            and after_p.table is not None
        ):
            old_rows = [_row_text(r) for r in before_p.table]
            new_rows = [_row_text(r) for r in after_p.table]
            lines = [f"    - {r}" for r in old_rows if r not in new_rows]
            lines += [f"    + {r}" for r in new_rows if r not in old_rows]
            if not lines:
                continue
            console.print(f"~ parameter {param.name} ({basis}):", highlight=False)
            for line in lines:
                console.print(line, highlight=False)
        else:
            old = param_value_text(before_p) if before_p else "(no value)"
            new = param_value_text(after_p) if after_p else "(no value)"
            if old == new:
                continue
            console.print(f"~ parameter {param.name}: {old} -> {new} ({basis})", highlight=False)
        changes += 1
    if not changes:
        console.print("no changes")
    return changes


def _rule_text(period: RulePeriod) -> str:
    until = f", until {period.until.source}" if period.until else ""
    return f"{period.outcome} when {period.when.source}{until}"


def _rule_changes(old: Rule, new: Rule) -> list[str]:
    lines: list[str] = []
    if old.title != new.title:
        lines.append(f"    title: {old.title!s} -> {new.title!s}")
    old_periods = {p.start: p for p in old.periods}
    new_periods = {p.start: p for p in new.periods}
    for start in sorted(set(old_periods) | set(new_periods)):
        before, after = old_periods.get(start), new_periods.get(start)
        if before is None and after is not None:
            lines.append(f"    + period {_period_text(after)}: {_rule_text(after)} ({after.basis})")
        elif after is None and before is not None:
            lines.append(f"    - period {_period_text(before)} ({before.basis})")
        elif before is not None and after is not None:
            if before.end != after.end:
                lines.append(
                    f"    ~ period from {start}: ends {before.end or 'open'} -> {after.end or 'open'}"
                )
            if before.basis != after.basis:
                lines.append(f"    ~ basis from {start}: {before.basis!r} -> {after.basis!r}")
            if _rule_text(before) != _rule_text(after):
                lines.append(f"    ~ from {start}: {_rule_text(before)} -> {_rule_text(after)}")
            if before.explain.source != after.explain.source:
                lines.append(f"    ~ explanation from {start}: {after.explain.source!r}")
    return lines


def _param_changes(old: Parameter, new: Parameter) -> list[str]:
    lines: list[str] = []
    old_periods = {p.start: p for p in old.periods}
    new_periods = {p.start: p for p in new.periods}
    for start in sorted(set(old_periods) | set(new_periods)):
        before, after = old_periods.get(start), new_periods.get(start)
        if before is None and after is not None:
            lines.append(
                f"    + from {_period_text(after)}: {param_value_text(after)} ({after.basis})"
            )
        elif after is None and before is not None:
            lines.append(f"    - from {_period_text(before)}: {param_value_text(before)}")
        elif before is not None and after is not None and before != after:
            old_text, new_text = param_value_text(before), param_value_text(after)
            change = f"{old_text} -> {new_text}" if old_text != new_text else new_text
            lines.append(f"    ~ from {start}: {change} ({after.basis})")
    return lines


def print_versions_diff(console: Console, old: Rulebook, new: Rulebook) -> int:
    """What differs between two versions of a rulebook: rules and parameters added, removed
    or changed, with their citations. Returns the number of changes."""
    console.print(f"[bold]{old.ref}[/] -> [bold]{new.ref}[/]", highlight=False)
    changes = 0
    old_rules, new_rules = {r.id: r for r in old.rules}, {r.id: r for r in new.rules}
    for rule_id in [*old_rules, *(i for i in new_rules if i not in old_rules)]:
        before, after = old_rules.get(rule_id), new_rules.get(rule_id)
        if before is None and after is not None:
            bases = "; ".join(p.basis for p in after.periods)
            console.print(f"+ rule {rule_id} ({after.title}): {bases}", highlight=False)
        elif after is None and before is not None:
            console.print(f"- rule {rule_id} ({before.title}) removed", highlight=False)
        elif before is not None and after is not None:
            lines = _rule_changes(before, after)
            if not lines:
                continue
            console.print(f"~ rule {rule_id} ({after.title}):", highlight=False)
            for line in lines:
                console.print(line, highlight=False)
        changes += 1
    old_params = {p.name: p for p in old.parameters}
    new_params = {p.name: p for p in new.parameters}
    for name in [*old_params, *(n for n in new_params if n not in old_params)]:
        before_p, after_p = old_params.get(name), new_params.get(name)
        if before_p is None and after_p is not None:
            console.print(f"+ parameter {name} ({after_p.title})", highlight=False)
            for period in after_p.periods:
                console.print(
                    f"    {_period_text(period)}: {param_value_text(period)} ({period.basis})",
                    highlight=False,
                )
        elif after_p is None and before_p is not None:
            console.print(f"- parameter {name} ({before_p.title}) removed", highlight=False)
        elif before_p is not None and after_p is not None:
            lines = _param_changes(before_p, after_p)
            if not lines:
                continue
            console.print(f"~ parameter {name}:", highlight=False)
            for line in lines:
                console.print(line, highlight=False)
        changes += 1
    if not changes:
        console.print("no changes")
    return changes
