"""Render rulebooks for people: `list`, `show` and `diff` read like a legal summary."""

from __future__ import annotations

import datetime as dt

from rich.console import Console
from rich.table import Table

from nadzor.rules import Parameter, ParamPeriod, Period, Rulebook, TableRow

__all__ = ["param_value_text", "print_diff", "print_rulebook", "rulebook_table"]


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


def _rules_table(book: Rulebook, day: dt.date | None) -> Table:
    table = Table(title="Rules", header_style="bold", show_lines=True)
    for name in ("rule", "outcome", "when", "period", "basis", "confidence"):
        table.add_column(name)
    for rule in book.rules:
        periods = [p for p in rule.periods if day is None or p.covers(day)]
        for period in periods:
            until = f"\nuntil: {rule.until.source}" if rule.until else ""
            table.add_row(
                f"{rule.id}\n[dim]{rule.title}[/]",
                rule.outcome,
                rule.when.source + until,
                _period_text(period),
                period.basis,
                period.confidence,
            )
    return table


def print_rulebook(console: Console, book: Rulebook, day: dt.date | None) -> None:
    console.print(f"[bold]{book.ref}[/] — {book.title}", highlight=False)
    console.print(
        f"{book.jurisdiction}, {book.period_text} ({book.in_force_basis}); law verified through {book.verified_through}",
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
    console.print(_params_table(book.parameters, day))
    console.print(_rules_table(book, day))


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
