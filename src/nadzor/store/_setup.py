"""Opening the store: configure Django once per process, and bring the schema up to date."""

from __future__ import annotations

import io

from nadzor.store._config import StoreConfig, django_settings, private_sqlite_file

__all__ = ["StoreError", "migrate", "open_store", "pending_migrations"]


class StoreError(Exception):
    """The store cannot be used as asked (unreachable, not initialised, wrong URL)."""


def open_store(config: StoreConfig) -> None:
    """Configure Django for `config` (a no-op when this process already uses the same database)."""
    import django
    from django.conf import settings

    wanted = django_settings(config)
    if settings.configured:
        current = settings.DATABASES["default"]["NAME"]
        if current != wanted["DATABASES"]["default"]["NAME"]:
            raise StoreError("this process already uses another database")
        return
    private_sqlite_file(config.database_url)
    settings.configure(**wanted)
    django.setup()


def migrate(*, verbose: bool = False) -> list[str]:
    """Apply pending migrations; returns the names applied (empty when up to date)."""
    from django.core.management import call_command

    pending = pending_migrations()
    call_command("migrate", interactive=False, verbosity=1 if verbose else 0, stdout=io.StringIO())
    return pending


def pending_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]
