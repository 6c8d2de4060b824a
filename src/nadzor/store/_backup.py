"""One file holding a whole store: the database, the evidence files and the server secret.

A backup is a tar file (mode 0600: it holds personal data and the secret) with
`manifest.json`, `database/` (a SQLite copy made with SQLite's online backup API, or a
`pg_dump` custom-format dump: both a consistent snapshot taken while the server runs),
`evidence/` (the content-addressed files, copied after the snapshot, so every file the
snapshot names is there) and `secret`.

A restore goes into an empty store only (a missing or empty SQLite file, a PostgreSQL
database without tables) and never replaces an evidence file or a secret that differs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from nadzor.store._config import StoreConfig
from nadzor.store._dburl import database_settings

__all__ = ["BackupError", "Manifest", "read_manifest", "restore_into", "write_backup"]

FORMAT = "nadzor-backup/1"
_SQLITE_NAME = "database/store.sqlite3"
_PG_NAME = "database/store.pgdump"


class BackupError(Exception):
    """A backup or restore that cannot go on, in one sentence."""


@dataclass(frozen=True)
class Manifest:
    engine: str
    created: str
    audit_seq: int
    audit_head: str
    evidence_files: int

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, **self.__dict__}, indent=2) + "\n"


def _engine(url: str) -> str:
    return "sqlite" if database_settings(url)["ENGINE"].endswith("sqlite3") else "postgresql"


def _sqlite_path(url: str) -> Path:
    return Path(str(database_settings(url)["NAME"]))


def _pg_uri(url: str) -> str:
    """The URL as libpq takes it (`postgres://` and `postgresql+psycopg://` spelled plainly)."""
    scheme, rest = url.split("://", 1)
    return f"postgresql://{rest}" if scheme != "postgresql" else url


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: install the PostgreSQL client tools of the server's version"
        )
    return found


def _tool_major(tool: str) -> int | None:
    """The major version of a PostgreSQL client tool (`pg_dump (PostgreSQL) 15.4` -> 15)."""
    try:
        done = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False)
    except OSError:
        return None
    found = re.search(r"\(PostgreSQL\)\s+(\d+)", done.stdout) or re.search(r"(\d+)\.", done.stdout)
    return int(found.group(1)) if found else None


def _server_major(uri: str) -> int:
    import psycopg

    try:
        with psycopg.connect(uri) as conn:
            version = conn.info.server_version
    except psycopg.Error as exc:
        raise BackupError(f"cannot open the database: {str(exc).strip().splitlines()[0]}") from None
    # 150004 -> 15 (10 and later); 90624 -> 9
    return version // 10000


def _pg_dump_for(uri: str) -> str:
    """The `pg_dump` on PATH, if it can dump this server: pg_dump refuses a server of a
    newer major version than its own (a newer pg_dump reads older servers)."""
    tool = _pg_tool("pg_dump")
    server = _server_major(uri)
    mine = _tool_major(tool)
    if mine is not None and mine < server:
        raise BackupError(
            f"{tool} is version {mine} and cannot dump the PostgreSQL {server} server:"
            f" put the pg_dump of version {server} or newer first on PATH"
            f" (Debian: package postgresql-client-{server},"
            f" /usr/lib/postgresql/{server}/bin)"
        )
    return tool


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        first = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[0]
        raise BackupError(f"{Path(command[0]).name} failed: {first}")


def write_backup(
    config: StoreConfig, secret: str, out: Path, audit_seq: int, audit_head: str, created: str
) -> Manifest:
    """Write the backup to `out` (complete or not at all). `audit_seq`/`audit_head` must be
    read before this is called: the snapshot then holds at least that entry."""
    engine = _engine(config.database_url)
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(f".{out.name}.part")
    with tempfile.TemporaryDirectory(prefix="nadzor-backup-", dir=out.parent) as scratch:
        snapshot = Path(scratch) / "snapshot"
        if engine == "sqlite":
            _sqlite_snapshot(_sqlite_path(config.database_url), snapshot)
        else:
            uri = _pg_uri(config.database_url)
            _run(
                [
                    _pg_dump_for(uri),
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    f"--file={snapshot}",
                    f"--dbname={uri}",
                ]
            )
        files = list(_evidence_files(config.evidence_dir))
        manifest = Manifest(engine, created, audit_seq, audit_head, len(files))
        fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle, tarfile.open(fileobj=handle, mode="w") as tar:
                _add_text(tar, "manifest.json", manifest.to_json())
                tar.add(snapshot, _SQLITE_NAME if engine == "sqlite" else _PG_NAME)
                for relative in files:
                    tar.add(config.evidence_dir / relative, f"evidence/{relative.as_posix()}")
                _add_text(tar, "secret", secret + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            part.replace(out)
        except BaseException:
            part.unlink(missing_ok=True)
            raise
    return manifest


def _sqlite_snapshot(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"no store at {source}")
    # SQLite's online backup: a consistent copy while other connections keep writing.
    with (
        _closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src,
        _closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)


@contextmanager
def _closing(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    try:
        yield connection
    finally:
        connection.close()


def _evidence_files(root: Path) -> Iterator[Path]:
    """Stored files (`aa/bb/<sha256>`), not the temporaries of uploads in progress."""
    if not root.is_dir():
        return
    for path in sorted(root.glob("??/??/*")):
        if path.is_file():
            yield path.relative_to(root)


def _add_text(tar: tarfile.TarFile, name: str, text: str) -> None:
    import io

    data = text.encode("utf-8")
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def read_manifest(tar: tarfile.TarFile) -> Manifest:
    raw = json.loads(_read(tar, "manifest.json"))
    if not isinstance(raw, dict) or raw.pop("format", None) != FORMAT:
        raise BackupError(f"not a nadzor backup (format {FORMAT} expected)")
    return Manifest(**raw)


def _read(tar: tarfile.TarFile, name: str) -> bytes:
    try:
        member = tar.extractfile(name)
    except KeyError:
        raise BackupError(f"the backup has no {name}: it is incomplete") from None
    if member is None:
        raise BackupError(f"the backup's {name} is not a file")
    return member.read()


def restore_into(config: StoreConfig, source: Path) -> tuple[Manifest, str, int]:
    """Restore into the empty store of `config`; (manifest, secret, evidence files written).

    The caller then points the server at the secret (its file is written when
    NADZOR_SECRET_KEY is not used) and checks the store."""
    try:
        tar = tarfile.open(source, mode="r:*")  # noqa: SIM115 - closed by the `with` below
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"cannot read the backup {source}: {exc}") from None
    with tar:
        manifest = read_manifest(tar)
        engine = _engine(config.database_url)
        if engine != manifest.engine:
            raise BackupError(
                f"the backup holds a {manifest.engine} store; restore it into a {manifest.engine}"
                " store (--db)"
            )
        secret = _read(tar, "secret").decode("utf-8").strip()
        _check_secret_target(config, secret)
        _check_evidence_target(tar, config.evidence_dir)
        if engine == "sqlite":
            _restore_sqlite(tar, _sqlite_path(config.database_url))
        else:
            _restore_postgres(tar, config.database_url)
        written = _restore_evidence(tar, config.evidence_dir)
        _write_secret(config, secret)
    return manifest, secret, written


def _check_secret_target(config: StoreConfig, secret: str) -> None:
    from_env = os.environ.get("NADZOR_SECRET_KEY")
    if from_env and from_env != secret:
        raise BackupError(
            "NADZOR_SECRET_KEY differs from the backup's secret: unset it (the secret file is"
            " then written) or set it to the backup's secret"
        )
    path = config.secret_file
    if not from_env and path.exists() and path.read_text().strip() != secret:
        raise BackupError(f"{path} holds another secret: it is not replaced (move it away first)")


def _write_secret(config: StoreConfig, secret: str) -> None:
    if os.environ.get("NADZOR_SECRET_KEY") or config.secret_file.exists():
        return
    config.secret_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(config.secret_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret)


def _members(tar: tarfile.TarFile, prefix: str) -> Iterator[tuple[tarfile.TarInfo, str]]:
    for member in tar.getmembers():
        if member.isfile() and member.name.startswith(prefix):
            relative = member.name[len(prefix) :]
            parts = relative.split("/")
            if len(parts) != 3 or any(p in ("", ".", "..") for p in parts):
                raise BackupError(f"the backup holds an unexpected file {member.name!r}")
            yield member, relative


def _check_evidence_target(tar: tarfile.TarFile, root: Path) -> None:
    for member, relative in _members(tar, "evidence/"):
        target = root / relative
        if target.exists() and target.stat().st_size != member.size:
            raise BackupError(f"{target} exists with other contents: it is not replaced")


def _restore_evidence(tar: tarfile.TarFile, root: Path) -> int:
    written = 0
    for member, relative in _members(tar, "evidence/"):
        target = root / relative
        if target.exists():
            continue  # the same address and size: the same bytes (checked afterwards)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = tar.extractfile(member)
        assert handle is not None
        part = target.with_name(f".{target.name}.part")
        with part.open("wb") as out:
            shutil.copyfileobj(handle, out)
        part.chmod(0o440)
        part.replace(target)
        written += 1
    return written


def _restore_sqlite(tar: tarfile.TarFile, target: Path) -> None:
    if target.exists() and target.stat().st_size > 0:
        raise BackupError(f"{target} already holds a store: restore into a new one (or move it)")
    for suffix in ("-wal", "-shm", "-journal"):
        leftover = Path(f"{target}{suffix}")
        if leftover.exists():
            raise BackupError(f"{leftover} is left from another store: move it away first")
    handle = tar.extractfile(_SQLITE_NAME)
    if handle is None:
        raise BackupError(f"the backup has no {_SQLITE_NAME}")
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f".{target.name}.part")
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        shutil.copyfileobj(handle, out)
        out.flush()
        os.fsync(out.fileno())
    part.replace(target)


def _restore_postgres(tar: tarfile.TarFile, url: str) -> None:
    import psycopg

    uri = _pg_uri(url)
    try:
        with psycopg.connect(uri) as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
            ).fetchone()
    except psycopg.Error as exc:
        raise BackupError(f"cannot open the database: {str(exc).strip().splitlines()[0]}") from None
    if row is not None and row[0]:
        raise BackupError("the database already holds tables: restore into a new, empty database")
    handle = tar.extractfile(_PG_NAME)
    if handle is None:
        raise BackupError(f"the backup has no {_PG_NAME}")
    with tempfile.NamedTemporaryFile(prefix="nadzor-restore-", suffix=".pgdump") as dump:
        shutil.copyfileobj(handle, dump)
        dump.flush()
        restore = _pg_tool("pg_restore")
        try:
            _run_restore(restore, uri, dump.name)
        except BackupError as exc:
            if "unsupported version" not in str(exc):
                raise
            raise BackupError(
                f"{restore} (version {_tool_major(restore)}) cannot read this dump, made by a"
                " newer pg_dump: put the pg_restore of the pg_dump's version or newer first"
                " on PATH"
            ) from None


def _run_restore(restore: str, uri: str, dump: str) -> None:
    _run(
        [
            restore,
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={uri}",
            dump,
        ]
    )
