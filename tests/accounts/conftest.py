"""Fixtures for the account tests: a cheap Argon2, a fixed clock, and a look at every table."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 still, with the smallest cost: the tests hash many passwords."""
    from django.contrib.auth.hashers import Argon2PasswordHasher

    monkeypatch.setattr(Argon2PasswordHasher, "time_cost", 1)
    monkeypatch.setattr(Argon2PasswordHasher, "memory_cost", 64)
    monkeypatch.setattr(Argon2PasswordHasher, "parallelism", 1)


@pytest.fixture
def hasher_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts password verifications (one entry per run of the hasher)."""
    from django.contrib.auth.hashers import Argon2PasswordHasher

    runs: list[str] = []
    verify = Argon2PasswordHasher.verify

    def counting(self: Argon2PasswordHasher, password: str, encoded: str) -> bool:
        runs.append(encoded)
        return verify(self, password, encoded)

    monkeypatch.setattr(Argon2PasswordHasher, "verify", counting)
    return runs


def every_cell() -> Iterator[tuple[str, str]]:
    """(table, value as text) for every non-null cell of every table in the store."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if value is None:
                        continue
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    yield table, str(value)


def audit_rows(action: str | None = None) -> list[tuple[str, str, str, dict[str, object]]]:
    """(actor, action, subject, data) of the audit log, oldest first."""
    import json

    from nadzor.store.models import AuditEntry

    rows = AuditEntry.objects.order_by("seq")
    if action:
        rows = rows.filter(action=action)
    return [(r.actor, r.action, r.subject, json.loads(r.data)) for r in rows]
