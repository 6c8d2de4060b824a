"""`nadzor backup OUT` and `nadzor restore IN`."""

from __future__ import annotations

import typer

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    pass
