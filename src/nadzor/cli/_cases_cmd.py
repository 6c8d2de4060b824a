"""`nadzor cases import | list | show | export` (and `evidence`), run by the local operator."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from nadzor.cli import _evidence_cmd
from nadzor.cli._app import CommandError
from nadzor.cli._options import parse_date_option
from nadzor.cli._progress import stderr
from nadzor.cli._store_options import (
    AS_OPTION,
    DB_OPTION,
    acting_as,
    operator,
    print_rows,
    store_errors,
    use_store,
)

__all__ = ["register"]

cases_app = typer.Typer(help="Cases: import findings, list, show and export.", no_args_is_help=True)


@cases_app.command("import")
def import_command(
    findings: Path = typer.Argument(..., help="Findings from `nadzor screen` (CSV or Parquet)."),
    rulebook: str | None = typer.Option(
        None,
        "--rulebook",
        help="The rulebook the findings came from (an id or a directory); needed only when "
        "the file has no `rulebook` column.",
    ),
    source: str | None = typer.Option(
        None, "--source", help="Name of the screened register (default: the findings file's name)."
    ),
    register_file: Path | None = typer.Option(
        None,
        "--register",
        help="The screened register, to read the rulebook's case subject (e.g. a facility) "
        "and reporting columns (and the day each record was judged on).",
    ),
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        metavar="YYYY-MM-DD",
        help="The day the findings were screened as of (`nadzor screen --as-of`), kept as "
        "each finding's evaluation date when the file does not carry its own `as_of`.",
    ),
    db: str | None = DB_OPTION,
) -> None:
    """One open case per subject with findings (a person, a unit or a facility, as the
    rulebook says), of the rulebook's case kind; re-importing creates nothing new."""
    if not findings.is_file():
        raise CommandError(f"no such file: {findings}")
    day = parse_date_option(as_of, "--as-of")
    use_store(db)
    from nadzor.cases.services import import_findings

    progress = Progress(
        TextColumn("[bold]importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("records"),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
        disable=not stderr.is_terminal,
    )
    task = progress.add_task("import", total=None)
    with progress, store_errors():
        report = import_findings(
            findings,
            rulebook=rulebook,
            source=source,
            register=register_file,
            as_of=day,
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    typer.echo(report.message())


@cases_app.command("list")
def list_command(
    status: str | None = typer.Option(None, "--status", help="Only cases in this status."),
    kind: str | None = typer.Option(None, "--kind", help="Only cases of this kind."),
    region: str | None = typer.Option(None, "--region", help="Only cases in this region."),
    assignee: str | None = typer.Option(
        None, "--assignee", help="Only cases assigned to this user."
    ),
    overdue: bool = typer.Option(False, "--overdue", help="Only open cases past their deadline."),
    limit: int = typer.Option(50, "--limit", min=1, help="Show at most this many cases."),
    db: str | None = DB_OPTION,
) -> None:
    """Cases, open and overdue first, then by deadline."""
    use_store(db)
    from nadzor.cases.services import CaseFilters, list_cases
    from nadzor.store.models import Case

    with store_errors():
        filters = CaseFilters(status, kind, region, assignee, overdue)
        rows = list_cases(operator(), filters)
        total = rows.count()
        lines = [
            [
                case.reference,
                case.status,
                case.kind,
                case.region,
                case.due_on.isoformat(),
                case.assignee.username if case.assignee else "",
                str(case.n_findings),
            ]
            for case in rows[:limit]
        ]
    # the case's own field names (the store's, not a register's columns)
    place = Case.region.field.name
    print_rows(["reference", "status", "kind", place, "due", "assignee", "findings"], lines)
    print(f"{min(limit, total)} of {total} cases shown", file=sys.stderr)


@cases_app.command("show")
def show_command(
    reference: str = typer.Argument(..., help="Case reference, e.g. NZ-2026-000001."),
    as_user: str | None = AS_OPTION,
    db: str | None = DB_OPTION,
) -> None:
    """One case: its facts, findings (rule, basis, explanation), notes, complaints,
    evidence and history, as far as the viewer may see them, and the steps they may take.
    Showing the complaints is recorded in the audit log, as on the staff pages."""
    use_store(db)
    from nadzor.cases.services import case_view
    from nadzor.cli._case_show import print_case

    with store_errors():
        view = case_view(acting_as(as_user), reference)
    print_case(Console(), view)


@cases_app.command("people")
def people_command(
    reference: str = typer.Argument(..., help="Case reference, e.g. NZ-2026-000001."),
    as_user: str | None = AS_OPTION,
    db: str | None = DB_OPTION,
) -> None:
    """The people of a case with their personal data; every call is an `identity.view`
    audit entry (naming the fields, never their values)."""
    use_store(db)
    from nadzor.cases.services import view_identity

    with store_errors():
        people = view_identity(acting_as(as_user), reference)
    lines = [
        [
            p.full_name,
            p.birth_date.isoformat() if p.birth_date else "",
            p.contact,
            p.health_notes,
            p.notes,
        ]
        for p in people
    ]
    print_rows(["full name", "birth date", "contact", "health", "notes"], lines)
    print(f"{len(lines)} people shown; this view was recorded in the audit log", file=sys.stderr)


@cases_app.command("export")
def export_command(
    out: Path | None = typer.Option(
        None, "--out", help="Write the CSV here (default: standard output)."
    ),
    status: str | None = typer.Option(None, "--status", help="Only cases in this status."),
    kind: str | None = typer.Option(None, "--kind", help="Only cases of this kind."),
    region: str | None = typer.Option(None, "--region", help="Only cases in this region."),
    db: str | None = DB_OPTION,
) -> None:
    """CSV of cases for analysts: figures and references, no personal data."""
    use_store(db)
    from nadzor.cases.services import CaseFilters, export_cases

    filters = CaseFilters(status=status, kind=kind, region=region)
    with store_errors():
        if out is None:
            count = export_cases(None, sys.stdout, filters)
        else:
            partial = out.with_name(f".{out.name}.partial")
            with partial.open("w", encoding="utf-8", newline="") as handle:
                count = export_cases(None, handle, filters)
            partial.replace(out)
    print(f"{count} cases exported", file=sys.stderr)


def register(app: typer.Typer) -> None:
    _evidence_cmd.register(cases_app)
    app.add_typer(cases_app, name="cases")
