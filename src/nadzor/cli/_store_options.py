"""The `--db` option and opening the store for a command, with one-line errors."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer

from nadzor.cli._app import CommandError

__all__ = ["DB_OPTION", "store_errors", "use_store"]

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
        StoreError,
        StoreUrlError,
        describe_url,
        migrate,
        open_store,
        pending_migrations,
    )

    try:
        config = StoreConfig.from_env(db)
        open_store(config)
        if migrate_now:
            return migrate()
        pending = pending_migrations()
    except (StoreUrlError, StoreError) as exc:
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
