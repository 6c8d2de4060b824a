"""`nadzor audit verify [--head HASH] | head`."""

from __future__ import annotations

import typer

from nadzor.cli._app import CommandError
from nadzor.cli._store_options import DB_OPTION, use_store

__all__ = ["register"]

AUDIT_BROKEN = 4

audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)


@audit_app.command("verify")
def verify_command(
    db: str | None = DB_OPTION,
    head: str | None = typer.Option(
        None, "--head", help="A head hash published earlier: prove nothing up to it was rewritten."
    ),
) -> None:
    """Recompute the hash chain; exit 4 naming the first broken entry."""
    use_store(db)
    from nadzor.audit import journal

    verdict = journal.verify(head.strip().lower() if head else None)
    if not verdict.ok:
        raise CommandError(verdict.message(), code=AUDIT_BROKEN)
    typer.echo(verdict.message())


@audit_app.command("head")
def head_command(db: str | None = DB_OPTION) -> None:
    """Print the current head hash alone, to publish or hand to a third party."""
    use_store(db)
    from nadzor.audit import journal

    typer.echo(journal.head())


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
