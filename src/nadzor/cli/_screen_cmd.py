"""`nadzor screen`: screen a register against a rulebook."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from nadzor.cli._app import CommandError
from nadzor.cli._options import load_rulebook_option, parse_date_option
from nadzor.cli._progress import PhaseProgress, stderr

if TYPE_CHECKING:
    from nadzor.screening import ScreenReport

__all__ = ["register"]

_HELP = """Screen a register against a rulebook.

Writes one finding per (record, rule) that applies, with its legal basis and an
explanation naming the facts; rows that cannot be read go to the rejects file.

Exit codes: 0 every row screened; 3 some rows rejected (findings for the rest are
written); 2 the input or a flag is unusable (nothing written); 1 internal error.
"""


def _summary_table(report: ScreenReport) -> Table:
    table = Table(title="Screening summary", show_header=True, header_style="bold")
    table.add_column("")
    table.add_column("records", justify="right")
    table.add_row("rows read", f"{report.rows_read:,}")
    table.add_row("screened", f"{report.screened:,}")
    table.add_row("rejected", f"{report.rejected:,}")
    if report.as_of is not None:
        table.add_row("judged as of", report.as_of.isoformat())
    table.add_section()
    for verdict, count in report.verdicts.items():
        table.add_row(f"verdict: {verdict}", f"{count:,}")
    table.add_section()
    for rule_id, count in report.rules.items():
        if count:
            table.add_row(rule_id, f"{count:,}")
    return table


def screen_command(
    register: str = typer.Argument(
        ...,
        help="CSV, Parquet or XLSX file, or a directory or glob of Parquet files; with Spark"
        " also a URL (hdfs://, s3a://, file://) of a Parquet or .csv register.",
    ),
    rulebook: str = typer.Option(
        "ru-2022", "--rulebook", help="Built-in rulebook id or a rulebook directory."
    ),
    out: str = typer.Option(
        "findings.csv",
        "--out",
        help="Findings file (.csv or .parquet), or with Spark a URL (hdfs://, s3a://,"
        " file://) ending in .parquet.",
    ),
    rejects: str | None = typer.Option(
        None,
        "--rejects",
        help="Rejected rows (.csv or .parquet); default rejects.csv beside --out"
        " (rejects.parquet beside a URL).",
    ),
    summary: str | None = typer.Option(
        None, "--summary", help="Per-record verdicts (.csv or .parquet)."
    ),
    as_of: str | None = typer.Option(
        None,
        "--as-of",
        help="The judgment day (YYYY-MM-DD): for most rulebooks, judge every record on this"
        " day instead of its own law date; for a rulebook judged on a separate day, the day"
        " its facts are judged on (default: today).",
    ),
    engine: str = typer.Option(
        "duckdb",
        "--engine",
        help="duckdb (embedded), a postgresql:// URL, or Spark: local[N], spark://HOST:PORT,"
        " sc://HOST:PORT (Spark Connect) or spark (as spark-submit configured it).",
    ),
    lang: str | None = typer.Option(
        None, "--lang", help="Language of the explanations (en, ru, ...); default English."
    ),
    cache: bool = typer.Option(
        True,
        "--cache/--no-cache",
        help="Reuse the SQL compiled for this rulebook version by an earlier run (kept in"
        " NADZOR_CACHE_DIR, else the user's cache directory); --no-cache compiles afresh"
        " and keeps nothing.",
    ),
) -> None:
    day = parse_date_option(as_of, "--as-of")
    book = load_rulebook_option(rulebook, cache=cache)
    if lang is not None and lang not in book.languages:
        raise CommandError(
            f"--lang {lang}: rulebook {book.id} is written in {', '.join(book.languages)}"
        )
    # Imported here: the engines load only for the commands that screen.
    from nadzor.screening import InputError, ScreenRequest, screen

    request = ScreenRequest(
        register,
        book,
        _target(out),
        None if rejects is None else _target(rejects),
        None if summary is None else _target(summary),
        day,
        engine,
        lang,
        cache,
    )
    try:
        with PhaseProgress() as progress:
            report = screen(request, progress)
    except InputError as exc:
        raise CommandError(str(exc)) from None
    for warning in report.warnings:
        stderr.print(f"[yellow]warning:[/] {warning}", highlight=False)
    stdout = Console()
    stdout.print(_summary_table(report))
    for kind, path in report.written.items():
        stdout.print(f"{kind}: {path}", highlight=False, soft_wrap=True)
    if report.rejected:
        raise typer.Exit(3)


def _target(text: str) -> Path | str:
    """A local output as a path; a URL as it is (a path would fold its `//`)."""
    from nadzor.screening import is_url

    return text if is_url(text) else Path(text)


def register(app: typer.Typer) -> None:
    app.command("screen", help=_HELP)(screen_command)
