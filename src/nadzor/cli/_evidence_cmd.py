"""`nadzor cases evidence add | list | get`."""

from __future__ import annotations

import typer

__all__ = ["register"]

evidence_app = typer.Typer(help="Evidence files attached to cases.", no_args_is_help=True)


def register(cases_app: typer.Typer) -> None:
    cases_app.add_typer(evidence_app, name="evidence")
