"""`nadzor init [--demo]`: create or upgrade the store."""

from __future__ import annotations

import sys

import typer

from nadzor.cli._store_options import DB_OPTION, store_errors, use_store

__all__ = ["register"]


def init_command(
    db: str | None = DB_OPTION,
    demo: bool = typer.Option(
        False, "--demo", help="Also create demo users (printed with their passwords) and demo data."
    ),
) -> None:
    """Create or upgrade the database (migrations; safe to run again)."""
    from nadzor.store import StoreConfig, describe_url

    applied = use_store(db, migrate_now=True)
    where = describe_url(StoreConfig.from_env(db).database_url)
    if applied:
        print(f"store {where}: {len(applied)} migration(s) applied", file=sys.stderr)
    else:
        print(f"store {where}: up to date", file=sys.stderr)
    if demo:
        from nadzor.cli._demo import create_demo

        with store_errors():
            create_demo()


def register(app: typer.Typer) -> None:
    app.command("init")(init_command)
