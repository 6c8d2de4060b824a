"""The audit chain's formula and its verification, with nothing but the standard library.

hash = sha256_hex(prev_hash + canonical_json({"seq", "at", "actor", "action", "subject", "data"}))
An outside auditor can check a copy of the `audit_log` table with these few lines.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "GENESIS_HASH",
    "ChainRow",
    "ChainVerdict",
    "canonical_json",
    "entry_hash",
    "verify_chain",
]

GENESIS_HASH = "0" * 64


def canonical_json(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(
    prev_hash: str, seq: int, at: str, actor: str, action: str, subject: str, data: object
) -> str:
    body = {
        "seq": seq,
        "at": at,
        "actor": actor,
        "action": action,
        "subject": subject,
        "data": data,
    }
    return hashlib.sha256((prev_hash + canonical_json(body)).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainRow:
    """One stored entry as read back: `data` is the stored JSON text."""

    seq: int
    at: str
    actor: str
    action: str
    subject: str
    data: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainVerdict:
    ok: bool
    entries: int
    head: str
    broken_seq: int | None = None
    problem: str = ""

    def message(self) -> str:
        if self.ok:
            return f"{self.entries} entries verified, head {self.head}"
        return f"audit log broken at seq {self.broken_seq}: {self.problem}"


def verify_chain(rows: Iterable[ChainRow], head: str | None = None) -> ChainVerdict:
    """Recompute the chain over rows in `seq` order; the first broken entry is reported.

    With `head`, the chain must also contain an entry whose hash is `head`: a published
    head proves that nothing up to that entry was rewritten since.
    """
    prev = GENESIS_HASH
    expected_seq = 1
    count = 0
    head_seen = head is None
    for row in rows:
        problem = _row_problem(row, expected_seq, prev)
        if problem:
            return ChainVerdict(False, count, prev, min(row.seq, expected_seq), problem)
        prev = row.hash
        expected_seq += 1
        count += 1
        head_seen = head_seen or row.hash == head
    if not head_seen:
        return ChainVerdict(
            False,
            count,
            prev,
            expected_seq,
            f"no entry has the published head {head}: entries up to it were changed or removed",
        )
    return ChainVerdict(True, count, prev)


def _row_problem(row: ChainRow, expected_seq: int, prev: str) -> str:
    if row.seq < expected_seq:
        return f"entry {row.seq} appears again or out of order (expected {expected_seq})"
    if row.seq > expected_seq:
        return f"entry {expected_seq} is missing (the next entry is {row.seq})"
    if row.prev_hash != prev:
        return "prev_hash does not match the hash of the entry before it"
    try:
        data = json.loads(row.data)
    except ValueError:
        return "data is not valid JSON"
    recomputed = entry_hash(prev, row.seq, row.at, row.actor, row.action, row.subject, data)
    if recomputed != row.hash:
        return "hash does not match the entry's contents (the entry was changed or inserted)"
    return ""
