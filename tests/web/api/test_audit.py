"""The audit log's verification over the API."""

from __future__ import annotations

from typing import Any

import pytest

from nadzor.cases.domain import Role
from tests.conftest import owner_tampering
from tests.web.api.conftest import Api

pytestmark = pytest.mark.django_db


def test_an_intact_log_verifies(as_role: dict[Role, Api], case: Any) -> None:
    from nadzor.audit.journal import head
    from nadzor.store.models import AuditEntry

    reply = as_role[Role.SUPERVISOR].get("/audit/verify")

    assert reply.status == 200
    assert reply.body == {
        "ok": True,
        "entries": AuditEntry.objects.count(),
        "head": head(),
        "broken_seq": None,
        "problem": "",
    }
    assert as_role[Role.ADMIN].get("/audit/verify").body["ok"] is True


def test_a_changed_entry_is_reported_with_its_seq(as_role: dict[Role, Api], case: Any) -> None:
    from nadzor.store.models import AuditEntry

    with owner_tampering():
        AuditEntry.objects.filter(seq=2).update(actor="someone else")

    reply = as_role[Role.ADMIN].get("/audit/verify")

    assert reply.status == 200
    assert (reply.body["ok"], reply.body["broken_seq"]) == (False, 2)
    assert reply.body["problem"]
