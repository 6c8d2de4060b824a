"""Render rulebooks for people: `list`, `show` and `diff` read like a legal summary."""

from __future__ import annotations

import datetime as dt

from rich.console import Console
from rich.table import Table

from nadzor.cli._rulebook_words import word
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
    Texts,
    language_forms,
)

__all__ = [
    "param_value_text",
    "print_diff",
    "print_rulebook",
    "print_versions_diff",
    "rulebook_table",
]


def _in(text: str | None, lang: str | None) -> str:
    """A rulebook text in `lang` where the rulebook gives it so, else as written."""
    if text is None:
        return ""
    return text.get(lang) if isinstance(text, Texts) else text


def _day(day: dt.date | None, lang: str | None) -> str:
    return day.strftime(language_forms(lang).date_format) if day is not None else ""


def _period_text(period: Period, lang: str | None = None) -> str:
    end = _day(period.end, lang) if period.end else word(lang, "open")
    return f"{_day(period.start, lang)} – {end}"


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


def param_value_text(period: ParamPeriod, lang: str | None = None) -> str:
    if isinstance(period.value, CalendarDays):
        none = word(lang, "none")
        holidays = ", ".join(_day(d, lang) for d in period.value.holidays) or none
        worked = ", ".join(_day(d, lang) for d in period.value.working_days) or none
        return word(lang, "calendar", holidays=holidays, worked=worked)
    if period.table is not None:
        return "; ".join(_row_text(row) for row in period.table)
    if isinstance(period.value, tuple):
        return ", ".join(_day(v, lang) if isinstance(v, dt.date) else str(v) for v in period.value)
    if isinstance(period.value, dt.date):
        return _day(period.value, lang)
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


def _params_table(params: tuple[Parameter, ...], day: dt.date | None, lang: str | None) -> Table:
    table = Table(title=word(lang, "parameters"), header_style="bold", show_lines=True)
    for name in ("parameter", "period", "value", "basis", "confidence"):
        table.add_column(word(lang, name))
    for param in params:
        periods = [p for p in param.periods if day is None or p.covers(day)]
        for period in periods:
            note = f"\n{_in(period.note, lang)}" if period.note else ""
            table.add_row(
                f"{param.name}\n[dim]{_in(param.title, lang)}[/]",
                _period_text(period, lang),
                param_value_text(period, lang),
                _in(period.basis, lang),
                word(lang, f"confidence_{period.confidence}") + note,
            )
    return table


def _column_notes(book: Rulebook, col: Column, lang: str | None) -> str:
    notes: list[str] = []
    if col.values is not None:
        notes.append(
            "; ".join(
                f"{canon}"
                + (f" ({', '.join(s for s in forms if s != canon)})" if len(forms) > 1 else "")
                for canon, forms in col.values.items()
            )
        )
        for lang in book.languages:
            labels = book.wording.labels_of(col.name, lang)
            if labels:
                shown = "; ".join(f"{canon} = {label}" for canon, label in labels.items())
                notes.append(f"labels ({lang}): {shown}")
    if col.min is not None or col.max is not None:
        low = col.min if col.min is not None else ""
        high = col.max if col.max is not None else ""
        notes.append(f"{low}..{high}")
    if col.pattern:
        notes.append(word(lang, "pattern", pattern=col.pattern))
    if col.name == book.record_type.law_date:
        notes.append(word(lang, "law_date"))
    if col.name == book.record_type.key:
        notes.append(word(lang, "key"))
    if col.reporting_only:
        notes.append(word(lang, "reporting_only"))
    if col.description:
        notes.append(_in(col.description, lang))
    return "\n".join(notes)


def _record_table(book: Rulebook, lang: str | None) -> Table:
    record = book.record_type
    table = Table(title=word(lang, "record_type", name=_in(record.name, lang)), header_style="bold")
    for name in ("column", "type", "required", "notes"):
        table.add_column(word(lang, name))
    for col in record.columns:
        table.add_row(
            col.name,
            word(lang, f"type_{col.type}"),
            word(lang, "yes") if col.required else "",
            _column_notes(book, col, lang),
        )
    yes = ", ".join(dict.fromkeys(record.true_spellings))
    no = ", ".join(dict.fromkeys(record.false_spellings))
    table.caption = word(lang, "spellings", yes=yes, no=no)
    return table


def _words_table(book: Rulebook, lang: str | None) -> Table:
    table = Table(title=word(lang, "words"), header_style="bold")
    for name in ("outcome", "meaning", "verdict", "end_date"):
        table.add_column(word(lang, name))
    for outcome in book.outcomes:
        table.add_row(
            outcome.id,
            outcome.meaning.get(lang),
            outcome.verdict,
            word(lang, "yes") if outcome.has_end else "",
        )
    verdicts = "; ".join(f"{v.id}: {v.meaning.get(lang)}" for v in book.verdicts)
    table.caption = word(lang, "verdicts_caption", verdicts=verdicts)
    return table


def _lets_table(book: Rulebook, lang: str | None) -> Table:
    table = Table(title=word(lang, "lets"), header_style="bold")
    for name in ("name", "expression", "type"):
        table.add_column(word(lang, name))
    for let in book.lets:
        table.add_row(let.name, let.expr.source, word(lang, f"type_{let.expr.type}"))
    return table


def _rules_table(book: Rulebook, day: dt.date | None, lang: str | None = None) -> Table:
    table = Table(title=word(lang, "rules"), header_style="bold", show_lines=True)
    for name in ("rule", "outcome", "when", "explanation", "period", "basis", "confidence"):
        table.add_column(word(lang, name))
    for rule in book.rules:
        periods = [p for p in rule.periods if day is None or p.covers(day)]
        for period in periods:
            until = f"\n{word(lang, 'until')}: {period.until.source}" if period.until else ""
            note = f"\n{_in(period.note, lang)}" if period.note else ""
            table.add_row(
                f"{rule.id}\n[dim]{rule.title.get(lang)}[/]",
                period.outcome,
                period.when.source + until,
                period.explain_in(lang).source,
                _period_text(period, lang),
                _in(period.basis, lang),
                word(lang, f"confidence_{period.confidence}") + note,
            )
    return table


def _in_force(book: Rulebook, lang: str | None) -> str:
    start = _day(book.in_force_from, lang)
    if book.in_force_to is None:
        return word(lang, "in_force_from", start=start)
    return word(lang, "in_force_between", start=start, end=_day(book.in_force_to, lang))


def print_rulebook(
    console: Console, book: Rulebook, day: dt.date | None, lang: str | None = None
) -> None:
    console.print(f"[bold]{book.ref}[/] — {book.title.get(lang)}", highlight=False)
    console.print(
        word(
            lang,
            "header",
            jurisdiction=book.jurisdiction,
            in_force=_in_force(book, lang),
            basis=_in(book.in_force_basis, lang),
            verified=_day(book.verified_through, lang),
        ),
        highlight=False,
    )
    if book.description is not None:
        console.print(book.description.get(lang), highlight=False)
    judged = word(lang, "judged_law_date" if book.judgment == "law_date" else "judged_separate")
    case = book.case
    console.print(
        word(
            lang,
            "about",
            law_date=book.record_type.law_date,
            judged=judged,
            languages=", ".join(book.languages),
            kind=case.kind,
            subject_kind=case.subject_kind,
            subject=", ".join(case.subject),
            reporting=", ".join(case.reporting) or word(lang, "nothing"),
        ),
        highlight=False,
    )
    if day is not None:
        console.print(f"[bold]{word(lang, 'as_in_force', day=_day(day, lang))}[/]")
        if day > book.verified_through:
            console.print(
                "[yellow]"
                + word(
                    lang,
                    "warning_after",
                    day=_day(day, lang),
                    verified=_day(book.verified_through, lang),
                )
                + "[/]"
            )
    sources = Table(title=word(lang, "sources"), header_style="bold")
    for name in ("id", "name", "number", "date", "note"):
        sources.add_column(word(lang, name))
    for src in book.sources:
        sources.add_row(
            src.id, _in(src.name, lang), src.number or "", _day(src.date, lang), _in(src.note, lang)
        )
    console.print(sources)
    console.print(_record_table(book, lang))
    console.print(_words_table(book, lang))
    console.print(_params_table(book.parameters, day, lang))
    if book.lets:
        console.print(_lets_table(book, lang))
    console.print(_rules_table(book, day, lang))


def _period_changes(before: RulePeriod, after: RulePeriod, lang: str | None) -> list[str]:
    """What changed in a rule from one period to the next: the citation, the condition,
    the outcome, the end of a deferment, the explanation."""
    lines: list[str] = []
    if str(before.basis) != str(after.basis):
        old, new = _in(before.basis, lang), _in(after.basis, lang)
        lines.append(word(lang, "changed_basis", old=old, new=new))
    if before.when.source != after.when.source:
        lines.append(word(lang, "changed_when", old=before.when.source, new=after.when.source))
    if before.outcome != after.outcome:
        lines.append(word(lang, "changed_outcome", old=before.outcome, new=after.outcome))
    old_until = before.until.source if before.until else word(lang, "nothing")
    new_until = after.until.source if after.until else word(lang, "nothing")
    if old_until != new_until:
        lines.append(word(lang, "changed_until", old=old_until, new=new_until))
    if before.explain_in(lang).source != after.explain_in(lang).source:
        lines.append(word(lang, "changed_explain", new=after.explain_in(lang).source))
    return lines


def print_diff(
    console: Console, book: Rulebook, start: dt.date, end: dt.date, lang: str | None = None
) -> int:
    """Print what changed in the law between two days, and from which day; returns the
    number of changes."""
    changes = 0
    console.print(
        "[bold]"
        + word(lang, "diff_header", ref=book.ref, start=_day(start, lang), end=_day(end, lang))
        + "[/]",
        highlight=False,
    )
    for rule in book.rules:
        title = rule.title.get(lang)
        before, after = rule.period_on(start), rule.period_on(end)
        if before is None and after is not None:
            console.print(
                word(lang, "rule_added", id=rule.id, title=title, basis=_in(after.basis, lang))
                + f" ({_period_text(after, lang)})",
                highlight=False,
            )
        elif before is not None and after is not None and before != after:
            console.print(
                word(lang, "rule_changed", id=rule.id, title=title, day=_day(after.start, lang)),
                highlight=False,
            )
            for line in _period_changes(before, after, lang):
                console.print(line, highlight=False)
        elif before is not None and after is None:
            console.print(
                word(lang, "rule_removed", id=rule.id, title=title, basis=_in(before.basis, lang)),
                highlight=False,
            )
        else:
            continue
        changes += 1
    for param in book.parameters:
        before_p, after_p = param.period_on(start), param.period_on(end)
        if before_p == after_p:
            continue
        basis = _in(after_p.basis, lang) if after_p else word(lang, "no_value")
        title = _in(param.title, lang)
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
            console.print(
                word(lang, "param_table", name=param.name, title=title, basis=basis),
                highlight=False,
            )
            for line in lines:
                console.print(line, highlight=False)
        else:
            old = param_value_text(before_p, lang) if before_p else word(lang, "no_value")
            new = param_value_text(after_p, lang) if after_p else word(lang, "no_value")
            if old == new:
                continue
            console.print(
                word(
                    lang,
                    "param_changed",
                    name=param.name,
                    title=title,
                    old=old,
                    new=new,
                    basis=basis,
                ),
                highlight=False,
            )
        changes += 1
    if not changes:
        console.print(word(lang, "no_changes"))
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
