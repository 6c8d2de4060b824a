"""Migration 0005 fills `resolved_at` of cases resolved before it from the audit log."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("store", "0004_case_region_index")]
AFTER = [("store", "0005_reports_screening_runs")]


@pytest.mark.django_db(transaction=True)
def test_resolved_cases_get_the_time_of_their_last_resolution() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Case = apps.get_model("store", "Case")
    AuditEntry = apps.get_model("store", "AuditEntry")
    now = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    common = {"kind": "provision", "created_at": now, "updated_at": now,
              "registered_on": now.date(), "due_on": now.date()}  # fmt: skip
    Case.objects.create(
        reference="NZ-2026-000001", status="resolved", remedy="kit_issued", **common
    )
    Case.objects.create(reference="NZ-2026-000002", status="investigating", **common)
    moves = [
        ("NZ-2026-000001", "2026-03-05T10:00:00.000000Z", "resolved"),
        ("NZ-2026-000001", "2026-03-06T10:00:00.000000Z", "investigating"),
        ("NZ-2026-000001", "2026-03-09T12:30:00.000000Z", "resolved"),
        ("NZ-2026-000002", "2026-03-07T10:00:00.000000Z", "resolved"),
        ("NZ-2026-000002", "2026-03-08T10:00:00.000000Z", "investigating"),
    ]
    for seq, (ref, at, to) in enumerate(moves, start=1):
        AuditEntry.objects.create(
            seq=seq, at=at, actor="sofia", action="case.status", subject=f"case:{ref}",
            data=json.dumps({"to": to}), prev_hash="0" * 64, hash=f"{seq:064d}",
        )  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Case = apps.get_model("store", "Case")
    resolved = dict(Case.objects.values_list("reference", "resolved_at"))
    assert resolved["NZ-2026-000001"] == dt.datetime(2026, 3, 9, 12, 30, tzinfo=dt.UTC)
    assert resolved["NZ-2026-000002"] is None
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
