"""`nadzor audit verify | head` on a real store, tampered with directly in the database."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import nadzor_process


def execute(db: str, sql: str) -> None:
    if db.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(db.removeprefix("sqlite:///")) as conn:
            conn.execute(sql)
        return
    import psycopg

    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


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
