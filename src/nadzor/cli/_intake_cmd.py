"""`nadzor intake import | clusters` and `nadzor worker`, run by the local operator."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from nadzor.cli._app import CommandError
from nadzor.cli._progress import stderr
from nadzor.cli._store_options import DB_OPTION, operator, store_errors, use_store

__all__ = ["register"]

intake_app = typer.Typer(
    help="Intake of testimonies, videos and posts: import files, list clusters.",
    no_args_is_help=True,
)


@intake_app.command("import")
def import_command(
    folder: Path = typer.Argument(..., help="The folder holding the files."),
    manifest: Path = typer.Option(
        ...,
        "--manifest",
        help="CSV, one row per file: path, source_url, platform, published_at, note"
        " (optional: account, captured_at, language).",
    ),
    db: str | None = DB_OPTION,
) -> None:
    """Add the files a manifest names; files already present add nothing.

    A bad row refuses the whole import, naming the row and the field."""
    if not folder.is_dir():
        raise CommandError(f"no such folder: {folder}")
    if not manifest.is_file():
        raise CommandError(f"no such manifest: {manifest}")
    try:
        text = manifest.read_text("utf-8-sig")
    except UnicodeDecodeError:
        raise CommandError(f"{manifest} is not UTF-8 text") from None
    use_store(db)
    from nadzor.intake.services import import_folder

    columns = (TextColumn("adding"), BarColumn(), MofNCompleteColumn())
    with (
        store_errors(),
        Progress(*columns, console=stderr, transient=True, disable=not stderr.is_terminal) as bar,
    ):
        task = bar.add_task("adding", total=None)
        report = import_folder(
            operator(),
            folder,
            text,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    for sha in report.added:
        print(sha)
    print(
        f"{len(report.added)} item(s) added, {len(report.existing)} already present;"
        " run `nadzor worker --until-idle` to hash and cluster them",
        file=sys.stderr,
    )


@intake_app.command("clusters")
def clusters_command(
    out: Path = typer.Option(..., "--out", help="Write the CSV here."),
    db: str | None = DB_OPTION,
) -> None:
    """Every item with its cluster: sha256, file_name, kind, cluster, status."""
    if not out.parent.is_dir():
        raise CommandError(f"no such directory: {out.parent}")
    use_store(db)
    from nadzor.intake.services import CLUSTER_COLUMNS, cluster_listing

    with store_errors():
        rows = cluster_listing(operator())
    partial = out.with_name(f".{out.name}.partial")
    try:
        with partial.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, fieldnames=CLUSTER_COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    clusters = len({row["cluster"] for row in rows})
    print(f"{out}: {len(rows)} item(s) in {clusters} cluster(s)", file=sys.stderr)


def worker_command(
    until_idle: bool = typer.Option(
        False, "--until-idle", help="Exit once the queue is empty (for scripts and tests)."
    ),
    poll: float = typer.Option(2.0, "--poll", help="Seconds to wait when the queue is empty."),
    db: str | None = DB_OPTION,
) -> None:
    """Work the background queue: hashing, clustering and extraction of intake items.

    Several workers may share the queue. A killed worker's job is taken again once its
    lease runs out."""
    use_store(db)
    from nadzor.intake.services import work

    def said(job: object) -> None:
        item = getattr(job, "item", None)
        kind = getattr(job, "kind", "")
        print(f"{kind} {getattr(item, 'sha256', '')}", file=sys.stderr)

    with store_errors():
        report = work(until_idle=until_idle, poll_seconds=poll, on_job=said)
    print(
        f"{report.done} job(s) done, {report.failed} not done,"
        f" {report.complaints} complaint text(s) clustered",
        file=sys.stderr,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(intake_app, name="intake")
    app.command("worker")(worker_command)
