"""`nadzor users add | token | disable | list`."""

from __future__ import annotations

import typer

__all__ = ["register"]

users_app = typer.Typer(help="Staff accounts and API tokens.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
