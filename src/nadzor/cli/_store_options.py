"""The `--db` option and opening the store for a command, with one-line errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from nadzor.cli._app import CommandError

if TYPE_CHECKING:
    from nadzor.cases.domain import Actor

__all__ = [
    "AS_OPTION",
    "DB_OPTION",
    "acting_as",
    "operator",
    "print_rows",
    "store_errors",
    "use_store",
]

DB_OPTION = typer.Option(
    None,
    "--db",
    help="Database URL (sqlite:///FILE or postgresql://...); default NADZOR_DATABASE_URL, else sqlite:///nadzor.db.",
    show_default=False,
)


def use_store(db: str | None, *, migrate_now: bool = False) -> list[str]:
    """Open the store for this command; refuse a store that `nadzor init` has not prepared.

    With `migrate_now` (for `nadzor init`) pending migrations are applied and returned.
    """
    from nadzor.store import (
        StoreConfig,
        StoreConfigError,
        StoreError,
        StoreUrlError,
        describe_url,
        migrate,
        open_store,
        pending_migrations,
    )
    from nadzor.store._secret_check import check_secret

    try:
        config = StoreConfig.from_env(db)
        open_store(config)
        if migrate_now:
            applied = migrate()
            check_secret()
            return applied
        pending = pending_migrations()
        if not pending:
            check_secret()
    except (StoreUrlError, StoreError, StoreConfigError) as exc:
        raise CommandError(str(exc)) from None
    except Exception as exc:
        if _is_database_error(exc):
            raise CommandError(
                f"cannot open the store {describe_url(config.database_url)}: {_first_line(exc)}"
            ) from None
        raise
    if pending:
        raise CommandError(
            f"the store {describe_url(config.database_url)} is not initialised or is out of date:"
            " run `nadzor init` first"
        )
    return []


@contextmanager
def store_errors() -> Iterator[None]:
    """Turn refusals of the case services into one-line errors (exit 2; denied: exit 5)."""
    from nadzor.cases.domain import Denied, DomainError

    try:
        yield
    except Denied as exc:
        raise CommandError(str(exc), code=5) from None
    except DomainError as exc:
        raise CommandError(str(exc)) from None
    except Exception as exc:
        if _is_database_error(exc):
            raise CommandError(f"database error: {_first_line(exc)}") from None
        raise


def _is_database_error(exc: Exception) -> bool:
    from django.db import Error

    return isinstance(exc, Error)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def operator() -> Actor:
    """The local operator, who has the database itself in hand: acts as `system` and sees
    every case, as a supervisor does."""
    from nadzor.cases.domain import Actor, Role

    return Actor("system", Role.SUPERVISOR)


AS_OPTION = typer.Option(
    None,
    "--as",
    help="See it as this staff user sees it (their role and cases); default: the local "
    "operator, who sees everything a supervisor sees.",
    show_default=False,
)


def acting_as(name: str | None) -> Actor:
    """The operator, or the active staff user `name` (refused with one line otherwise)."""
    if name is None:
        return operator()
    from nadzor.cases.domain import Role
    from nadzor.cases.services import actor_of, staff_user

    user = staff_user(name, roles=tuple(Role))
    assert user is not None
    return actor_of(user)


def print_rows(header: list[str], lines: list[list[str]]) -> None:
    """A table on a terminal; tab-separated lines when piped, for scripts."""
    console = Console()
    if not console.is_terminal:
        for line in [header, *lines]:
            print("\t".join(line))
        return
    table = Table(*header)
    for line in lines:
        table.add_row(*line)
    console.print(table)
