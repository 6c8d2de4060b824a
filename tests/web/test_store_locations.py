"""The store's secret and evidence locations: explicit on PostgreSQL, never a silent new secret."""

from __future__ import annotations

from pathlib import Path

import pytest

from nadzor.store import StoreConfig, StoreConfigError
from tests.conftest import nadzor_process

PG = "postgresql://nadzor@db.example.org/nadzor"


def test_a_postgresql_store_needs_its_evidence_and_secret_locations() -> None:
    """Issue: `serve` from another folder silently made a new secret and lost the evidence."""
    with pytest.raises(StoreConfigError, match="NADZOR_EVIDENCE_DIR and NADZOR_SECRET_FILE"):
        StoreConfig.from_env(PG, env={})
    with pytest.raises(StoreConfigError, match="needs NADZOR_SECRET_FILE"):
        StoreConfig.from_env(PG, env={"NADZOR_EVIDENCE_DIR": "/srv/evidence"})
    config = StoreConfig.from_env(
        PG, env={"NADZOR_EVIDENCE_DIR": "/srv/evidence", "NADZOR_SECRET_FILE": "/etc/nz/secret"}
    )
    assert (config.evidence_dir, config.secret_file) == (
        Path("/srv/evidence"),
        Path("/etc/nz/secret"),
    )
    with_key = StoreConfig.from_env(
        PG, env={"NADZOR_EVIDENCE_DIR": "/srv/evidence", "NADZOR_SECRET_KEY": "k"}
    )
    assert with_key.evidence_dir == Path("/srv/evidence")


def test_sqlite_keeps_them_beside_the_database(tmp_path: Path) -> None:
    config = StoreConfig.from_env(f"sqlite:///{tmp_path / 'n.db'}", env={})
    assert config.evidence_dir == tmp_path / "nadzor-evidence"
    assert config.secret_file == tmp_path / "nadzor.secret"


def test_no_new_secret_beside_an_existing_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("NADZOR_SECRET_KEY", raising=False)
    database = tmp_path / "n.db"
    config = StoreConfig.from_env(f"sqlite:///{database}", env={})
    first = config.secret_key()  # a new store: the secret is made once, 0600
    assert oct(config.secret_file.stat().st_mode & 0o777) == "0o600"
    assert config.secret_key() == first
    database.write_bytes(b"SQLite format 3\x00" + bytes(100))
    config.secret_file.unlink()
    with pytest.raises(StoreConfigError, match=r"secret file .* is missing"):
        config.secret_key()
    assert not config.secret_file.exists()


@pytest.mark.store
def test_commands_refuse_a_secret_the_store_was_not_made_with(store_url: str) -> None:
    assert nadzor_process("init", db=store_url, env={"NADZOR_SECRET_KEY": "first"}).code == 0
    assert (
        nadzor_process("users", "list", db=store_url, env={"NADZOR_SECRET_KEY": "first"}).code == 0
    )
    other = nadzor_process("users", "list", db=store_url, env={"NADZOR_SECRET_KEY": "another"})
    assert other.code == 2
    assert "not the one this store was created with" in other.err
    assert len(other.err.strip().splitlines()) == 1


def test_a_new_sqlite_store_and_its_wal_are_private(tmp_path: Path) -> None:
    """Issue: the SQLite store and its WAL were world-readable."""
    import stat

    database = tmp_path / "private" / "nadzor.db"
    done = nadzor_process("init", db=f"sqlite:///{database}")
    assert done.code == 0, done.err
    assert (
        nadzor_process("users", "add", "vera", "--role", "intake", db=f"sqlite:///{database}").code
        == 0
    )
    made = [database, *(tmp_path / "private").glob("nadzor.db-*")]
    assert len(made) >= 1
    for path in made:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


def test_the_csrf_cookie_lasts_the_browser_session() -> None:
    """Issue: the CSRF cookie lived a year on the public pages."""
    from django.test import Client

    response = Client().get("/complaints/new?lang=ru")
    cookie = response.cookies["csrftoken"]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert cookie["samesite"] == "Strict"
