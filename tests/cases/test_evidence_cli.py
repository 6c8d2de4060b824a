"""`nadzor cases evidence add | list | get`, run as a user would, in a new process."""

from __future__ import annotations

import hashlib
import stat
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import STORE_URL, CliResult, nadzor_process

# every test here uses the store (the module's fixture is not one `-m store` knows by name)
pytestmark = pytest.mark.store

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


class Store:
    """A store with one case, and the evidence directory the commands use."""

    def __init__(self, url: str, root: Path) -> None:
        self.url = url
        self.root = root
        self.evidence = root / "evidence"
        self.env = {"NADZOR_EVIDENCE_DIR": str(self.evidence)}
        self.reference = ""

    def run(self, *args: object, env: dict[str, str] | None = None) -> CliResult:
        return nadzor_process(*args, db=self.url, cwd=self.root, env={**self.env, **(env or {})})


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One store for the module (each command is a new process: setting up is slow)."""
    root = tmp_path_factory.mktemp("evidence-cli")
    with _database(root) as url:
        store = Store(url, root)
        assert store.run("init").code == 0
        findings = root / "findings.csv"
        findings.write_text("record_id,rule_id,outcome\nR-1,age.minimum,not_subject\n")
        assert store.run("cases", "import", findings).code == 0
        listed = store.run("cases", "list")
        assert listed.code == 0, listed.err
        store.reference = listed.out.splitlines()[1].split("\t")[0]
        yield store


@contextmanager
def _database(root: Path) -> Iterator[str]:
    """A new empty database on the store under test (as the `store_url` fixture makes)."""
    if STORE_URL == "sqlite":
        yield f"sqlite:///{root / 'nadzor.db'}"
        return
    import psycopg

    name = f"nadzor_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(STORE_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(STORE_URL)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(STORE_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def stored(store: Store, data: bytes) -> Path:
    digest = hashlib.sha256(data).hexdigest()
    return store.evidence / digest[:2] / digest[2:4] / digest


def leftovers(store: Store) -> list[Path]:
    scratch = store.evidence / "tmp"
    return sorted(scratch.iterdir()) if scratch.is_dir() else []


def one_line_error(result: CliResult) -> str:
    text = result.err.strip()
    assert "\n" not in text, text
    assert "Traceback" not in text
    return text


def test_add_list_get(store: Store, tmp_path: Path) -> None:
    scan = tmp_path / "scan.jpg"
    scan.write_bytes(PDF)
    digest = hashlib.sha256(PDF).hexdigest()

    added = store.run("cases", "evidence", "add", store.reference, scan, "--description", "order")
    assert added.code == 0, added.err
    assert added.out.strip() == digest
    assert f"added to {store.reference}: application/pdf, {len(PDF)} bytes" in added.err
    path = stored(store, PDF)
    assert path.read_bytes() == PDF
    assert stat.S_IMODE(path.stat().st_mode) & 0o222 == 0
    assert leftovers(store) == []
    before = path.stat()

    again = store.run("cases", "evidence", "add", store.reference, scan)
    assert again.code == 0, again.err
    assert again.out.strip() == digest
    assert "already attached" in again.err
    assert (path.stat().st_ino, path.stat().st_mtime_ns) == (before.st_ino, before.st_mtime_ns)

    listed = store.run("cases", "evidence", "list", store.reference)
    assert listed.code == 0, listed.err
    header, *rows = listed.out.splitlines()
    assert header.split("\t") == ["sha256", "size", "type", "added", "by", "name", "description"]
    assert len(rows) == 1
    fields = rows[0].split("\t")
    assert fields[:3] == [digest, str(len(PDF)), "application/pdf"]
    assert fields[4:] == ["system", "scan.jpg", "order"]

    out = tmp_path / "copy.pdf"
    got = store.run("cases", "evidence", "get", store.reference, digest, "--out", out)
    assert got.code == 0, got.err
    assert out.read_bytes() == PDF
    assert not list(tmp_path.glob(".copy.pdf.partial"))

    refused = store.run("cases", "evidence", "get", store.reference, digest, "--out", out)
    assert refused.code == 2
    assert "already exists" in one_line_error(refused)

    verified = store.run("audit", "verify")
    assert verified.code == 0, verified.err


def test_a_program_is_refused_in_one_line(store: Store, tmp_path: Path) -> None:
    program = tmp_path / "photo.jpg"
    program.write_bytes(b"\x7fELF\x02\x01\x01" + bytes(300))
    result = store.run("cases", "evidence", "add", store.reference, program)
    assert result.code == 2
    assert "application/x-executable" in one_line_error(result)
    assert result.out == ""
    assert not stored(store, program.read_bytes()).exists()
    assert leftovers(store) == []


def test_a_file_over_the_limit_is_refused_in_one_line(store: Store, tmp_path: Path) -> None:
    big = tmp_path / "video.mp4"
    big.write_bytes(PDF + bytes(1024 * 1024))
    result = store.run(
        "cases", "evidence", "add", store.reference, big, env={"NADZOR_EVIDENCE_MAX_MB": "1"}
    )
    assert result.code == 2
    assert one_line_error(result) == "nadzor: error: the file is larger than the 1 MB limit"
    assert not stored(store, big.read_bytes()).exists()
    assert leftovers(store) == []


def test_mistakes_are_one_line_errors(store: Store, tmp_path: Path) -> None:
    missing = store.run("cases", "evidence", "add", store.reference, tmp_path / "nope.pdf")
    assert missing.code == 2
    assert "no such file" in one_line_error(missing)

    no_case = store.run("cases", "evidence", "list", "NZ-2001-000777")
    assert no_case.code == 2
    assert "no case NZ-2001-000777" in one_line_error(no_case)

    bad_hash = store.run(
        "cases", "evidence", "get", store.reference, "abc", "--out", tmp_path / "x"
    )
    assert bad_hash.code == 2
    assert "not a SHA-256" in one_line_error(bad_hash)

    unknown = store.run(
        "cases", "evidence", "get", store.reference, "0" * 64, "--out", tmp_path / "y"
    )
    assert unknown.code == 2
    assert "has no evidence" in one_line_error(unknown)
    assert not (tmp_path / "y").exists()
    assert not list(tmp_path.glob(".y.partial"))
