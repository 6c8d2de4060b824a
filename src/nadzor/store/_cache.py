"""Django's database cache in the store's own database: shared by every worker process of
every server on the store, with no other server to run. The rate limiters keep their counts
here; the table is created by the migrations (`nadzor init`)."""

from __future__ import annotations

from typing import Any

from nadzor.store._append_only import CACHE_TABLE

__all__ = ["CACHE_ALIAS", "CACHE_TABLE", "cache_settings", "create_cache_table"]

CACHE_ALIAS = "limits"


def cache_settings() -> dict[str, Any]:
    return {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        CACHE_ALIAS: {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            # Entries live at most an hour; the bound only matters under a flood of clients.
            "OPTIONS": {"MAX_ENTRIES": 1_000_000, "CULL_FREQUENCY": 4},
        },
    }


def create_cache_table(connection: Any) -> None:
    """The cache table, as `manage.py createcachetable` makes it (idempotent)."""
    import io

    from django.core.management.commands.createcachetable import Command

    command = Command(stdout=io.StringIO(), stderr=io.StringIO())
    command.verbosity = 0
    command.create_table(connection.alias, CACHE_TABLE, False)
