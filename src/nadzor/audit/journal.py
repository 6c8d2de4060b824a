"""Appending to the stored audit log as one unbroken chain, and verifying it.

Callers append inside the transaction that makes the change, so a change and its entry
commit together. Writers are serialized: on PostgreSQL by a transaction-scoped advisory
lock, on SQLite by its single writer (transactions start IMMEDIATE).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction

from nadzor.audit._chain import (
    GENESIS_HASH,
    ChainRow,
    ChainVerdict,
    canonical_json,
    entry_hash,
    verify_chain,
)
from nadzor.store import bulk_insert
from nadzor.store.models import AuditEntry

__all__ = [
    "Draft",
    "append",
    "append_many",
    "entries_for",
    "hash_at",
    "head",
    "head_entry",
    "utc_stamp",
    "verify",
]

# An arbitrary constant naming nadzor's audit lock among the server's advisory locks.
_ADVISORY_LOCK_KEY = 0x6E61647A6F72
_COLUMNS = ("seq", "at", "actor", "action", "subject", "data", "prev_hash", "hash")


@dataclass(frozen=True)
class Draft:
    actor: str
    action: str
    subject: str
    data: dict[str, Any] = field(default_factory=dict)


def utc_stamp(moment: datetime | None = None) -> str:
    """The `at` text: UTC, ISO 8601 with microseconds and a Z."""
    moment = moment or datetime.now(UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def append(actor: str, action: str, subject: str, data: dict[str, Any] | None = None) -> AuditEntry:
    return append_many([Draft(actor, action, subject, data or {})])[-1]


def append_many(drafts: Sequence[Draft]) -> list[AuditEntry]:
    """Append entries in order, chained after the current head, in the caller's transaction."""
    if not drafts:
        return []
    with transaction.atomic():
        _lock()
        last = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
        seq, prev = last if last else (0, GENESIS_HASH)
        at = utc_stamp()
        entries = []
        for draft in drafts:
            seq += 1
            # Stored text and hashed value must agree: round-trip the data through JSON.
            text = canonical_json(draft.data)
            value = json.loads(text)
            digest = entry_hash(prev, seq, at, draft.actor, draft.action, draft.subject, value)
            entries.append((seq, at, draft.actor, draft.action, draft.subject, text, prev, digest))
            prev = digest
        bulk_insert(AuditEntry, _COLUMNS, entries)
        return [AuditEntry(*entry) for entry in entries]


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])


def _rows() -> Iterator[ChainRow]:
    for values in AuditEntry.objects.order_by("seq").values_list(*_COLUMNS).iterator(2000):
        yield ChainRow(*values)


def verify(head_hash: str | None = None) -> ChainVerdict:
    return verify_chain(_rows(), head_hash)


def head_entry() -> tuple[int, str]:
    """(seq, hash) of the last entry; (0, the genesis hash) for an empty log."""
    last = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    return (int(last[0]), str(last[1])) if last else (0, GENESIS_HASH)


def hash_at(seq: int) -> str | None:
    """The stored hash of entry `seq`, if there is one."""
    return AuditEntry.objects.filter(seq=seq).values_list("hash", flat=True).first()


def head() -> str:
    last = AuditEntry.objects.order_by("-seq").values_list("hash", flat=True).first()
    return last or GENESIS_HASH


def entries_for(subject: str) -> list[AuditEntry]:
    """The history of one subject (e.g. `case:NZ-2026-000001`), oldest first."""
    return list(AuditEntry.objects.filter(subject=subject).order_by("seq"))
