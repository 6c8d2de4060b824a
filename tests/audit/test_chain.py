"""The audit chain: the formula recomputed independently, and every kind of tampering found."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.db import connection

from nadzor.audit import GENESIS_HASH, ChainRow, verify_chain
from nadzor.audit.journal import Draft, append, append_many, head, verify
from nadzor.store.models import AuditEntry
from tests.conftest import owner_tampering

pytestmark = pytest.mark.django_db


def outside_auditor(rows: list[tuple[int, str, str, str, str, str, str, str]]) -> bool:
    """What an auditor writes from the contract alone, reading the table's columns."""
    prev = "0" * 64
    for number, (seq, at, actor, action, subject, data, prev_hash, hash_) in enumerate(rows, 1):
        body = {
            "seq": seq,
            "at": at,
            "actor": actor,
            "action": action,
            "subject": subject,
            "data": json.loads(data),
        }
        text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        if (
            seq != number
            or prev_hash != prev
            or hashlib.sha256((prev + text).encode()).hexdigest() != hash_
        ):
            return False
        prev = hash_
    return True


def table_rows() -> list[tuple[int, str, str, str, str, str, str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT seq, at, actor, action, subject, data, prev_hash, hash FROM audit_log ORDER BY seq"
        )
        return list(cursor.fetchall())


def fill() -> None:
    append(
        "anna",
        "case.create",
        "case:NZ-2026-000001",
        {"kind": "provision", "note": "Бронежилет не выдан"},
    )
    append_many(
        [
            Draft(
                "system",
                "finding.add",
                "case:NZ-2026-000001",
                {"rule_id": "RU22-AGE-LIMIT", "n": 1},
            ),
            Draft(
                "public",
                "complaint.create",
                "complaint:7",
                {"category": "provision", "nested": {"b": [1, 2], "a": None}},
            ),
        ]
    )
    append(
        "boris",
        "case.status",
        "case:NZ-2026-000001",
        {"from": "new", "to": "triage", "reason": "ok"},
    )


def test_the_formula_alone_recomputes_the_chain() -> None:
    fill()
    rows = table_rows()
    assert len(rows) == 4 and rows[0][6] == GENESIS_HASH
    assert outside_auditor(rows)
    assert verify().ok and verify().entries == 4 and verify().head == rows[-1][7] == head()


def test_at_is_an_iso_utc_string_with_microseconds() -> None:
    entry = append("anna", "user.login", "user:anna", {"result": "ok"})
    assert len(entry.at) == 27 and entry.at.endswith("Z") and entry.at[10] == "T"


def test_columns_are_exactly_the_contracts() -> None:
    names = [
        column.name
        for column in connection.introspection.get_table_description(
            connection.cursor(), "audit_log"
        )
    ]
    assert names == ["seq", "at", "actor", "action", "subject", "data", "prev_hash", "hash"]


def test_a_changed_entry_is_found() -> None:
    fill()
    with owner_tampering():
        AuditEntry.objects.filter(seq=2).update(data='{"rule_id":"RU22-HEALTH-D","n":1}')
    verdict = verify()
    assert not verdict.ok and verdict.broken_seq == 2 and "changed" in verdict.problem
    assert not outside_auditor(table_rows())


def test_a_deleted_entry_is_found() -> None:
    fill()
    with owner_tampering():
        AuditEntry.objects.filter(seq=3).delete()
    verdict = verify()
    assert (verdict.ok, verdict.broken_seq) == (False, 3)
    assert "missing" in verdict.problem


def test_the_last_entry_deleted_is_found_with_a_published_head() -> None:
    fill()
    published = head()
    with owner_tampering():
        AuditEntry.objects.filter(seq=4).delete()
    assert verify().ok  # the truncated chain is consistent in itself...
    verdict = verify(published)  # ...but the published head is gone
    assert not verdict.ok and verdict.broken_seq == 4


def test_an_inserted_entry_is_found() -> None:
    fill()
    last = AuditEntry.objects.get(seq=4)
    AuditEntry.objects.create(
        seq=5,
        at=last.at,
        actor="mallory",
        action="case.status",
        subject=last.subject,
        data="{}",
        prev_hash=last.hash,
        hash="f" * 64,
    )
    verdict = verify()
    assert (verdict.ok, verdict.broken_seq) == (False, 5)


def test_a_rewritten_middle_with_recomputed_hashes_breaks_the_published_head() -> None:
    fill()
    published = head()
    rows = [ChainRow(*row) for row in table_rows()]
    forged = [rows[0]]
    prev = rows[0].hash
    from nadzor.audit import entry_hash

    for row in rows[1:]:
        data = json.loads(row.data) if row.seq != 2 else {"rule_id": "forged"}
        digest = entry_hash(prev, row.seq, row.at, row.actor, row.action, row.subject, data)
        forged.append(
            ChainRow(
                row.seq, row.at, row.actor, row.action, row.subject, json.dumps(data), prev, digest
            )
        )
        prev = digest
    assert verify_chain(forged).ok
    assert not verify_chain(forged, published).ok


def test_invalid_json_in_data_is_reported() -> None:
    fill()
    with owner_tampering():
        AuditEntry.objects.filter(seq=1).update(data="{not json")
    verdict = verify()
    assert (verdict.broken_seq, verdict.problem) == (1, "data is not valid JSON")


def test_an_empty_log_verifies() -> None:
    verdict = verify()
    assert verdict.ok and verdict.entries == 0 and verdict.head == GENESIS_HASH


def test_the_database_refuses_to_change_or_remove_an_entry() -> None:
    """Not only the application: a direct UPDATE or DELETE on `audit_log` is refused."""
    from django.db import DatabaseError, transaction

    fill()
    for sql in (
        "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2",
        "DELETE FROM audit_log WHERE seq = 3",
        "DELETE FROM audit_log",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    if connection.vendor == "postgresql":
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("TRUNCATE audit_log")
    assert verify().ok and verify().entries == 4
    append("sofia", "case.update", "case:NZ-2026-000001", {"still": "appends"})
    assert verify().entries == 5
