"""Fixtures for the account tests: a cheap Argon2, a fixed clock, and a look at every table."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.conftest import cheapen_argon2

T0 = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 still, with the smallest cost: the tests hash many passwords."""
    cheapen_argon2(monkeypatch)


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


def audit_rows(action: str | None = None) -> list[tuple[str, str, str, dict[str, object]]]:
    """(actor, action, subject, data) of the audit log, oldest first."""
    import json

    from nadzor.store.models import AuditEntry

    rows = AuditEntry.objects.order_by("seq")
    if action:
        rows = rows.filter(action=action)
    return [(r.actor, r.action, r.subject, json.loads(r.data)) for r in rows]
