"""Printing one case on the terminal: the parts and steps the domain gives the actor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from nadzor.cases.services import CaseView

__all__ = ["print_case"]


def print_case(console: Console, view: CaseView) -> None:
    """The case's facts, then each part the actor may see (headed, even when empty), the
    steps they may take and whether a request awaits their decision (`case_view` decides)."""
    from nadzor.cases.domain import Part
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
    parts = view.parts
    if Part.FINDINGS in parts:
        _heading(console, "findings", len(view.findings))
        if view.findings:
            table = Table("rule", "outcome", "until", "as of", "basis", "explanation")
            for finding in view.findings:
                until = finding.deferment_until.isoformat() if finding.deferment_until else ""
                day = finding.evaluated_on.isoformat() if finding.evaluated_on else ""
                table.add_row(
                    finding.rule_id,
                    finding.outcome,
                    until,
                    day,
                    finding.basis,
                    finding.explanation,
                )
            console.print(table)
    if Part.NOTES in parts:
        _heading(console, "notes", len(view.notes))
        for note in view.notes:
            author = note.author.username if note.author else "system"
            console.print(f"  {note.at:%Y-%m-%d %H:%M} {author}: {note.text}", highlight=False)
    if Part.COMPLAINTS in parts:
        _heading(console, "complaints", len(view.complaints))
        for complaint in view.complaints:
            start = " ".join(complaint.text[:120].split())
            console.print(
                f"  complaint {complaint.pk} {complaint.created_at:%Y-%m-%d}"
                f" {complaint.category} {complaint.status}: {start}",
                highlight=False,
            )
    if Part.EVIDENCE in parts:
        _heading(console, "evidence", len(view.evidence))
        for item in view.evidence:
            console.print(
                f"  {item.sha256[:12]} {item.media_type} {item.size} bytes {item.original_name}",
                highlight=False,
            )
    if Part.HISTORY in parts:
        _heading(console, "history", len(view.history))
        if view.history:
            table = Table("seq", "at", "actor", "action")
            for entry in view.history:
                table.add_row(str(entry.seq), entry.at, entry.actor, entry.action)
            console.print(table)
    if Part.IDENTITY in parts:
        console.print(
            f"personal data: `nadzor cases people {case.reference}` (each view is audited)",
            highlight=False,
        )
    steps = ", ".join(step.value for step in view.steps) or "none"
    console.print(f"steps: {steps}", highlight=False)
    if view.decide:
        console.print("decision: a request on this case awaits your decision", highlight=False)


def _heading(console: Console, name: str, count: int) -> None:
    console.print(f"[bold]{name}[/bold] ({count})")
