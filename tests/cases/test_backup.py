"""`nadzor backup` and `nadzor restore`: the restore drill (backup, wipe, restore, check)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from tests.conftest import STORE_URL, CliResult

pytestmark = pytest.mark.store

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

FILL = """
import io, sys
from nadzor.store import StoreConfig, open_store
open_store(StoreConfig.from_env())
from nadzor.cases.domain import Actor, Role
from nadzor.cases.services import add_evidence
from nadzor.complaints.services import Upload, submit
from nadzor.store.models import Case
pdf = sys.stdin.buffer.read()
done = submit({"category": "abuse", "text": "Избивают новобранцев в казарме."},
              [Upload("фото.pdf", io.BytesIO(pdf + b"complaint"))])
case = Case.objects.order_by("id").first()
add_evidence(Actor("system", Role.SUPERVISOR), case.reference, io.BytesIO(pdf + b"case"),
             original_name="scan.pdf")
print(done.code)
"""

LOOK_UP = """
import sys
from nadzor.store import StoreConfig, open_store
open_store(StoreConfig.from_env())
from nadzor.complaints.services import status_of
found = status_of(sys.argv[1])
print("found" if found is not None else "missing")
"""


class Site:
    """A store as a deployment has it: the database, an evidence folder, a secret file."""

    def __init__(self, url: str, root: Path) -> None:
        self.url, self.root = url, root
        self.evidence = root / "evidence"
        self.secret = root / "secret" / "nadzor.secret"
        self.env = {key: value for key, value in os.environ.items() if key != "NADZOR_SECRET_KEY"}
        self.env.update(
            NADZOR_DATABASE_URL=url,
            NADZOR_EVIDENCE_DIR=str(self.evidence),
            NADZOR_SECRET_FILE=str(self.secret),
        )
        self.env.pop("NADZOR_DEBUG", None)

    def run(self, *args: object, stdin: bytes | None = None) -> CliResult:
        done = subprocess.run(
            [sys.executable, "-m", "nadzor", *map(str, args)],
            input=stdin,
            capture_output=True,
            env=self.env,
            cwd=self.root,
            timeout=600,
        )
        return CliResult(done.returncode, done.stdout.decode(), done.stderr.decode())

    def python(self, script: str, *args: str, stdin: bytes = b"") -> str:
        done = subprocess.run(
            [sys.executable, "-c", script, *args],
            input=stdin,
            capture_output=True,
            env=self.env,
            cwd=self.root,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr.decode()
        return done.stdout.decode().strip()

    def wipe(self) -> None:
        shutil.rmtree(self.evidence, ignore_errors=True)
        self.secret.unlink()
        if self.url.startswith("sqlite:///"):
            database = Path(self.url.removeprefix("sqlite:///"))
            for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
                path.unlink(missing_ok=True)
            return
        import psycopg

        name = self.url.rsplit("/", 1)[1]
        with psycopg.connect(STORE_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')


@pytest.fixture
def site(store_url: str, tmp_path: Path) -> Site:
    site = Site(store_url, tmp_path)
    assert site.run("init").code == 0
    findings = tmp_path / "findings.csv"
    findings.write_text("record_id,rule_id,outcome\nR-1,age.minimum,not_subject\n")
    assert site.run("cases", "import", findings).code == 0
    return site


def test_backup_wipe_restore_drill(site: Site, tmp_path: Path) -> None:
    code = site.python(FILL, stdin=PDF)
    assert len(code) == 16
    out = tmp_path / "backups" / "nadzor.tar"

    made = site.run("backup", out)
    assert made.code == 0, made.err
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert "2 evidence file(s)" in made.err
    with tarfile.open(out) as tar:
        names = tar.getnames()
    assert {"manifest.json", "secret"} <= set(names)
    assert sum(name.startswith("evidence/") for name in names) == 2

    site.wipe()

    restored = site.run("restore", out)
    assert restored.code == 0, restored.err
    assert "2 evidence file(s) match their hashes" in restored.err
    # the receipt code opens its complaint: the secret came back with the database
    assert site.python(LOOK_UP, code) == "found"
    assert site.run("audit", "verify").code == 0
    assert oct(site.secret.stat().st_mode & 0o777) == "0o600"


def test_restore_refuses_a_store_that_is_not_empty(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "nadzor.tar"
    assert site.run("backup", out).code == 0
    again = site.run("restore", out)
    assert again.code == 2
    assert "restore failed" in again.err and len(again.err.strip().splitlines()) == 2
    assert site.run("audit", "verify").code == 0


def test_a_damaged_evidence_file_fails_the_restore_check(site: Site, tmp_path: Path) -> None:
    site.python(FILL, stdin=PDF)
    out = tmp_path / "nadzor.tar"
    assert site.run("backup", out).code == 0
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(out) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member)
            if member.name.startswith("evidence/") and data is not None:
                import io

                body = data.read()
                body = bytes([body[0] ^ 1]) + body[1:]
                target.addfile(member, io.BytesIO(body))
            else:
                target.addfile(member, data)
    site.wipe()
    done = site.run("restore", damaged)
    assert done.code == 4
    assert "evidence file(s) are wrong" in done.err


def one_reason(err: str) -> bool:
    """The command said what it was doing and failed with one line, no traceback."""
    lines = err.strip().splitlines()
    return lines[0].startswith("backing up") and len(lines) == 2 and "Traceback" not in err


postgres_only = pytest.mark.skipif(
    not STORE_URL.startswith("postgres"), reason="pg_dump is used on PostgreSQL only"
)


@postgres_only
def test_a_missing_pg_dump_is_one_line_and_writes_nothing(site: Site, tmp_path: Path) -> None:
    empty = tmp_path / "no-tools"
    empty.mkdir()
    site.env["PATH"] = str(empty)
    result = site.run("backup", tmp_path / "b.tar")
    assert result.code != 0
    assert "pg_dump is not installed" in result.err
    assert one_reason(result.err), result.err
    assert not (tmp_path / "b.tar").exists()


@postgres_only
def test_a_pg_dump_older_than_the_server_is_named_with_both_versions(
    site: Site, tmp_path: Path
) -> None:
    import psycopg

    with psycopg.connect(STORE_URL) as conn:
        server = conn.info.server_version // 10000
    tools = tmp_path / "old-tools"
    tools.mkdir()
    fake = tools / "pg_dump"
    fake.write_text(f"#!/bin/sh\necho 'pg_dump (PostgreSQL) {server - 1}.3'\n")
    fake.chmod(0o755)
    site.env["PATH"] = f"{tools}{os.pathsep}{os.environ.get('PATH', '')}"
    result = site.run("backup", tmp_path / "b.tar")
    assert result.code != 0
    assert f"is version {server - 1} and cannot dump the PostgreSQL {server} server" in result.err
    assert f"postgresql-client-{server}" in result.err
    assert one_reason(result.err), result.err
    assert not (tmp_path / "b.tar").exists()
