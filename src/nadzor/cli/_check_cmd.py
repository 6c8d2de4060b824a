"""`nadzor check`: one record (or a few) from a JSON file, checked as `nadzor screen` would."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.table import Table

from nadzor.cli._app import CommandError
from nadzor.cli._options import load_rulebook_option, parse_date_option

if TYPE_CHECKING:
    from nadzor.screening import CheckResult

__all__ = ["register"]

_HELP = """Check one record, given as JSON, against a rulebook.

RECORD.json holds one object (field -> value, as in a register row; JSON true/false,
numbers and lists are accepted) or a list of them. The findings and rejects are those
`nadzor screen` gives the same rows. The key field may be left out of a single record.

Exit codes: 0 checked; 3 some value could not be read (see the rejects); 2 the file or a
flag is unusable; 1 internal error.
"""


def _records(path: Path, key: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CommandError(f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise CommandError(f"{path} is not JSON: {exc.msg} at line {exc.lineno}") from None
    if isinstance(data, dict):
        return [{key: "record", **data}]
    if isinstance(data, list) and all(isinstance(item, dict) for item in data):
        return data
    raise CommandError(f"{path}: expected a JSON object (one record) or a list of objects")


def _as_json(result: CheckResult) -> str:
    verdict = None if result.rejects else next(iter(result.verdicts.values()), None)
    body: dict[str, Any] = {
        "verdict": verdict,
        "findings": result.findings,
        "rejects": result.rejects,
    }
    if len(result.verdicts) > 1:
        body["verdicts"] = result.verdicts
    return json.dumps(body, ensure_ascii=False, indent=2, default=str)


def _tables(result: CheckResult, console: Console) -> None:
    verdicts = Table(title="Verdict", header_style="bold")
    verdicts.add_column("record")
    verdicts.add_column("verdict")
    for record_id, verdict in result.verdicts.items():
        verdicts.add_row(record_id, verdict)
    console.print(verdicts)
    if result.findings:
        findings = Table(title="Findings", header_style="bold", show_lines=True)
        names = ("record_id", "rule_id", "outcome", "deferment_until", "basis", "explanation")
        for name in names:
            # ids and dates stay whole; the sentences wrap
            whole = name in ("record_id", "rule_id", "outcome", "deferment_until")
            findings.add_column(name, overflow="fold", no_wrap=whole)
        for row in result.findings:
            findings.add_row(*[str(row[k] or "") for k in names])
        console.print(findings)
    if result.rejects:
        rejects = Table(title="Rejects", header_style="bold")
        for name in ("row", "record_id", "column", "value", "error"):
            rejects.add_column(name, overflow="fold")
        for row in result.rejects:
            rejects.add_row(
                *[str(row[k]) for k in ("row", "record_id", "column", "value", "error")]
            )
        console.print(rejects)


def check_command(
    record: Path = typer.Argument(..., help="JSON file: one record object, or a list of them."),
    rulebook: str = typer.Option(
        "ru-2022", "--rulebook", help="Built-in rulebook id or a rulebook directory."
    ),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Judge on this day (YYYY-MM-DD) instead of the call-up date."
    ),
    lang: str = typer.Option("en", "--lang", help="Language of the explanations: en, ru or uk."),
    as_json: bool = typer.Option(
        False, "--json", help="Print JSON, as POST /api/v1/check answers."
    ),
) -> None:
    day = parse_date_option(as_of, "--as-of")
    book = load_rulebook_option(rulebook)
    records = _records(record, book.record_type.key)
    # Imported here: the engine loads only for the commands that screen.
    from nadzor.screening import InputError, check_records

    try:
        result = check_records(book, records, as_of=day, lang=lang)
    except InputError as exc:
        raise CommandError(str(exc)) from None
    console = Console()
    for warning in result.warnings:
        Console(stderr=True).print(f"[yellow]warning:[/] {warning}", highlight=False)
    if as_json:
        console.print_json(_as_json(result))
    else:
        _tables(result, console)
    if result.rejects:
        raise typer.Exit(3)


def register(app: typer.Typer) -> None:
    app.command("check", help=_HELP)(check_command)
