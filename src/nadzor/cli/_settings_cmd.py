"""`nadzor settings show | set KEY VALUE`: deployment settings, each change audited."""

from __future__ import annotations

import typer

from nadzor.cli._store_options import DB_OPTION, store_errors, use_store

__all__ = ["register"]

settings_app = typer.Typer(help="Deployment settings (deadlines).", no_args_is_help=True)


@settings_app.command("show")
def show_command(db: str | None = DB_OPTION) -> None:
    """Print every setting with the value in force."""
    use_store(db)
    from nadzor.cases.services import current_settings

    for key, value in current_settings().items():
        typer.echo(f"{key}\t{value}")


@settings_app.command("set")
def set_command(
    key: str = typer.Argument(..., help="e.g. deadline.answer_days"),
    value: str = typer.Argument(..., help="A whole number of days."),
    db: str | None = DB_OPTION,
) -> None:
    """Change a setting (recorded in the audit log)."""
    use_store(db)
    from nadzor.cases.services import change_setting

    with store_errors():
        stored = change_setting(key, value, by=None)
    typer.echo(f"{key} = {stored}")


def register(app: typer.Typer) -> None:
    app.add_typer(settings_app, name="settings")
