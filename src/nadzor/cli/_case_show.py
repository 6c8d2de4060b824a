"""Printing one case on the terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from nadzor.cases.services import CaseView

__all__ = ["print_case"]


def print_case(console: Console, view: CaseView) -> None:
    from nadzor.store.models import PLACE_FIELDS

    case = view.case
    subject = f"{case.subject_kind or 'record'} {case.record_id}"
    console.print(f"[bold]{case.reference}[/bold]  {case.kind}  status [bold]{case.status}[/bold]")
    facts = [
        ("title", case.title),
        *((name, getattr(case, name)) for name in PLACE_FIELDS),
        ("facility", case.facility),
        ("source", f"{case.source} {subject}" if case.source else ""),
        ("priority", case.priority),
        ("assignee", case.assignee.username if case.assignee else "(unassigned)"),
        ("registered", case.registered_on.isoformat()),
        ("due", case.due_on.isoformat() + (" (extended)" if case.deadline_extended else "")),
        ("remedy", " ".join(x for x in (case.remedy, case.remedy_text) if x)),
        ("legal hold", "yes" if case.legal_hold else ""),
    ]
    for label, value in facts:
        if value:
            console.print(f"  {label}: {value}", highlight=False)
    if view.findings:
        table = Table("rule", "outcome", "until", "as of", "basis", "explanation", title="findings")
        for finding in view.findings:
            until = finding.deferment_until.isoformat() if finding.deferment_until else ""
            day = finding.evaluated_on.isoformat() if finding.evaluated_on else ""
            table.add_row(
                finding.rule_id, finding.outcome, until, day, finding.basis, finding.explanation
            )
        console.print(table)
    for note in view.notes:
        author = note.author.username if note.author else "system"
        console.print(f"  note {note.at:%Y-%m-%d %H:%M} {author}: {note.text}", highlight=False)
    for item in view.evidence:
        console.print(
            f"  evidence {item.sha256[:12]} {item.media_type} {item.size} bytes {item.original_name}"
        )
    if view.history:
        table = Table("seq", "at", "actor", "action", title="history")
        for entry in view.history:
            table.add_row(str(entry.seq), entry.at, entry.actor, entry.action)
        console.print(table)
