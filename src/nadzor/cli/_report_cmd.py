"""`nadzor report --from D1 --to D2 [--region R] [--public] --format html|pdf|xlsx|csv --out FILE`."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from nadzor.cli._app import CommandError
from nadzor.cli._progress import stderr
from nadzor.cli._store_options import DB_OPTION, store_errors

__all__ = ["register"]

_FORMATS = ("html", "pdf", "xlsx", "csv")


def report_command(
    start: str = typer.Option(..., "--from", help="First day of the period (YYYY-MM-DD)."),
    end: str = typer.Option(..., "--to", help="Last day of the period (YYYY-MM-DD), included."),
    region: str = typer.Option("", "--region", help="Only cases and complaints of this region."),
    public: bool = typer.Option(
        False, "--public", help="The public form: counts only, small counts suppressed."
    ),
    fmt: str = typer.Option(..., "--format", help="html, pdf, xlsx or csv."),
    out: Path = typer.Option(..., "--out", help="The file to write."),
    lang: str = typer.Option("ru", "--lang", help="Language of the report: ru, uk or en."),
    k: int = typer.Option(5, "--k", help="Public form: counts from 1 to k-1 are suppressed."),
    db: str | None = DB_OPTION,
) -> None:
    """Figures over a period, each with the filter of the cases or complaints behind it."""
    if fmt not in _FORMATS:
        raise CommandError(f"--format must be one of {', '.join(_FORMATS)}, not {fmt!r}")
    if lang not in ("ru", "uk", "en"):
        raise CommandError(f"--lang must be ru, uk or en, not {lang!r}")
    for name, value in (("--from", start), ("--to", end)):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"{name} {value!r} is not a date YYYY-MM-DD") from None
    if not out.parent.is_dir():
        raise CommandError(f"no such directory: {out.parent}")
    _open(db)
    from django.utils import translation

    from nadzor.reports.services import LIST_URL, make_report, parse_options, render

    progress = Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
        disable=not stderr.is_terminal,
    )
    task = progress.add_task("counting", total=None)
    with progress, store_errors(), translation.override(lang):
        opts = parse_options(start, end, region, public=public, k=k)
        report = make_report(
            opts, lambda step: progress.update(task, description=f"counting: {step}")
        )
        progress.update(task, description=f"writing {fmt}")
        # links to the lists behind the figures: on this deployment's site when it is known
        site = os.environ.get("NADZOR_PUBLIC_URL", "").strip().rstrip("/")
        data = render(report, fmt, lang=lang, base=f"{site}{LIST_URL}")
    temporary = out.with_name(f".{out.name}.partial")
    temporary.write_bytes(data)
    temporary.replace(out)
    typer.echo(f"report {opts.start}..{opts.end} written to {out} ({len(data)} bytes)")


def _open(db: str | None) -> None:
    """Django with the web app's settings (translations), on a store `nadzor init` prepared."""
    from nadzor.store import StoreConfig, StoreUrlError, describe_url, pending_migrations
    from nadzor.web._setup import configure_web

    try:
        config = StoreConfig.from_env(db)
        configure_web(config)
        pending = pending_migrations()
    except StoreUrlError as exc:
        raise CommandError(str(exc)) from None
    except Exception as exc:
        from django.db import Error

        if isinstance(exc, Error):
            raise CommandError(
                f"cannot open the store {describe_url(config.database_url)}"
            ) from None
        raise
    if pending:
        raise CommandError(
            f"the store {describe_url(config.database_url)} is not initialised or is out of date:"
            " run `nadzor init` first"
        )


def register(app: typer.Typer) -> None:
    app.command("report")(report_command)
