"""`nadzor audit verify | head` on a real store, tampered with directly in the database."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import nadzor_process, tamper_sql


def execute(db: str, sql: str) -> None:
    """As the database's owner, who can lift the append-only triggers first."""
    tamper_sql(db, sql)


@pytest.fixture
def filled(store_url: str, examples: Path) -> str:
    assert nadzor_process("init", db=store_url).code == 0
    done = nadzor_process("cases", "import", examples / "ru-2022-findings.csv", db=store_url)
    assert done.code == 0, done.err
    return store_url


def test_verify_an_intact_log(filled: str) -> None:
    done = nadzor_process("audit", "verify", db=filled)
    head = nadzor_process("audit", "head", db=filled).out.strip()
    assert done.code == 0
    assert done.out.strip() == f"31 entries verified, head {head}"
    assert (
        len(head) == 64 and nadzor_process("audit", "verify", "--head", head, db=filled).code == 0
    )


@pytest.mark.parametrize(
    ("sql", "seq", "what"),
    [
        ("UPDATE audit_log SET actor = 'mallory' WHERE seq = 12", 12, "changed"),
        ("DELETE FROM audit_log WHERE seq = 5", 5, "missing"),
        (
            "INSERT INTO audit_log (seq, at, actor, action, subject, data, prev_hash, hash) "
            "SELECT 32, at, 'mallory', 'case.status', subject, '{}', hash, hash FROM audit_log WHERE seq = 31",
            32,
            "inserted",
        ),
    ],
)
def test_tampering_exits_4_naming_the_first_broken_seq(
    filled: str, sql: str, seq: int, what: str
) -> None:
    execute(filled, sql)
    done = nadzor_process("audit", "verify", db=filled)
    assert done.code == 4
    assert done.out == ""
    line = done.err.strip()
    assert len(line.splitlines()) == 1
    assert f"broken at seq {seq}:" in line and what in line


def test_a_removed_tail_fails_against_the_published_head(filled: str) -> None:
    head = nadzor_process("audit", "head", db=filled).out.strip()
    execute(filled, "DELETE FROM audit_log WHERE seq = 31")
    assert nadzor_process("audit", "verify", db=filled).code == 0
    done = nadzor_process("audit", "verify", "--head", head, db=filled)
    assert done.code == 4 and head in done.err


def test_commands_refuse_a_store_not_initialised(store_url: str) -> None:
    done = nadzor_process("audit", "verify", db=store_url)
    assert done.code == 2
    assert "run `nadzor init` first" in done.err and len(done.err.strip().splitlines()) == 1


def test_a_rehashed_chain_passes_plain_verify_but_fails_against_the_anchor(
    filled: str, tmp_path: Path
) -> None:
    """Whoever writes to the database can change an entry and recompute every hash after
    it; the signed anchor, kept apart, still catches it."""
    key, anchor = tmp_path / "keys" / "anchor.key", tmp_path / "anchor.json"
    made = nadzor_process("audit", "anchor", "--key", key, "--new-key", "--out", anchor, db=filled)
    assert made.code == 0, made.err
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    held = nadzor_process("audit", "verify", "--anchor", anchor, "--key", key, db=filled)
    assert held.code == 0 and "anchor of seq 31" in held.out

    rehash_from(filled, 12, actor="mallory")
    assert nadzor_process("audit", "verify", db=filled).code == 0  # consistent in itself
    caught = nadzor_process("audit", "verify", "--anchor", anchor, "--key", key, db=filled)
    assert caught.code == 4
    assert "broken at seq 31" in caught.err and len(caught.err.strip().splitlines()) == 1


def test_a_forged_anchor_fails_its_signature(filled: str, tmp_path: Path) -> None:
    import json

    key, anchor = tmp_path / "anchor.key", tmp_path / "anchor.json"
    nadzor_process("audit", "anchor", "--key", key, "--new-key", "--out", anchor, db=filled)
    forged = json.loads(anchor.read_text())
    forged["seq"] = 30
    anchor.write_text(json.dumps(forged))
    done = nadzor_process("audit", "verify", "--anchor", anchor, "--key", key, db=filled)
    assert done.code == 4 and "not signed by the key" in done.err


def test_anchor_refuses_a_missing_key_and_never_replaces_one(filled: str, tmp_path: Path) -> None:
    key, anchor = tmp_path / "anchor.key", tmp_path / "anchor.json"
    missing = nadzor_process("audit", "anchor", "--key", key, "--out", anchor, db=filled)
    assert missing.code == 2 and "--new-key" in missing.err
    key.write_text("ab" * 32)
    again = nadzor_process("audit", "anchor", "--key", key, "--new-key", "--out", anchor, db=filled)
    assert again.code == 2 and "already exists" in again.err
    assert key.read_text() == "ab" * 32


def rehash_from(db: str, seq: int, *, actor: str) -> None:
    """Change entry `seq` and recompute every hash after it, as an attacker with the
    database in hand would."""
    import json

    from nadzor.audit import entry_hash

    rows = read_rows(db)
    prev = rows[seq - 2][7] if seq > 1 else "0" * 64
    statements = []
    for row in rows[seq - 1 :]:
        number, at, who, action, subject, data = row[:6]
        who = actor if number == seq else who
        digest = entry_hash(prev, number, at, who, action, subject, json.loads(data))
        statements.append(
            f"UPDATE audit_log SET actor = '{who}', prev_hash = '{prev}', hash = '{digest}'"
            f" WHERE seq = {number}"
        )
        prev = digest
    tamper_sql(db, *statements)


def read_rows(db: str) -> list[tuple[object, ...]]:
    query = (
        "SELECT seq, at, actor, action, subject, data, prev_hash, hash FROM audit_log ORDER BY seq"
    )
    if db.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(db.removeprefix("sqlite:///")) as conn:
            return list(conn.execute(query))
    import psycopg

    with psycopg.connect(db) as conn:
        return list(conn.execute(query))
