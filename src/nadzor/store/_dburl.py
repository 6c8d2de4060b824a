"""Database URLs (`sqlite:///nadzor.db`, `postgresql://user@host:5432/name`) as Django settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

__all__ = ["DEFAULT_DATABASE_URL", "StoreUrlError", "database_settings", "describe_url"]

DEFAULT_DATABASE_URL = "sqlite:///nadzor.db"


class StoreUrlError(ValueError):
    """A database URL nadzor cannot use; the message names the problem."""


def database_settings(url: str) -> dict[str, Any]:
    """One entry of Django's DATABASES for `url`."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        return _sqlite(url, parts.netloc, parts.path)
    if scheme in ("postgresql", "postgres"):
        return _postgresql(parts.username, parts.password, parts.hostname, parts.port, parts)
    raise StoreUrlError(
        f"unsupported database URL {describe_url(url)!r}: use sqlite:///FILE or postgresql://..."
    )


def describe_url(url: str) -> str:
    """The URL with any password masked, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


def _sqlite(url: str, netloc: str, path: str) -> dict[str, Any]:
    if netloc:
        raise StoreUrlError(
            f"a SQLite URL has no host: {url!r} (use sqlite:///relative.db or sqlite:////abs.db)"
        )
    # sqlite:///nadzor.db is relative to the current directory, sqlite:////srv/n.db absolute.
    name = unquote(path[1:]) if path.startswith("/") else unquote(path)
    if not name:
        raise StoreUrlError(f"a SQLite URL needs a file name: {url!r}")
    if name != ":memory:":
        name = str(Path(name).expanduser().resolve())
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": name,
        "OPTIONS": {
            # IMMEDIATE takes the write lock when a transaction starts, so concurrent
            # writers queue instead of failing when a reader upgrades to a writer.
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        },
    }


def _postgresql(
    user: str | None, password: str | None, host: str | None, port: int | None, parts: Any
) -> dict[str, Any]:
    name = unquote(parts.path.lstrip("/"))
    if not name:
        raise StoreUrlError(
            "a PostgreSQL URL needs a database name: postgresql://user@host:5432/NAME"
        )
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": name,
        "USER": unquote(user or ""),
        "PASSWORD": unquote(password or ""),
        "HOST": host or "",
        "PORT": str(port or ""),
        "OPTIONS": options,
        # Keep connections for a minute (at most one per worker thread), checked before reuse.
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
