"""`nadzor backup OUT` and `nadzor restore IN`: database, evidence and secret together."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import typer

from nadzor.cli._app import CommandError
from nadzor.cli._store_options import DB_OPTION, use_store

__all__ = ["register"]

RESTORE_BROKEN = 4


def backup_command(
    out: Path = typer.Argument(..., help="The backup file to write (a tar file, mode 0600)."),
    db: str | None = DB_OPTION,
) -> None:
    """Copy the database, the evidence files and the server secret into one file.

    Safe while the server runs: the database is copied as one consistent snapshot (SQLite's
    online backup, or pg_dump), then every evidence file it names.
    """
    use_store(db)
    from django.conf import settings

    from nadzor.audit import journal
    from nadzor.store import StoreConfig, describe_url
    from nadzor.store._backup import BackupError, write_backup

    config = StoreConfig.from_env(db)
    seq, head = journal.head_entry()
    _say(f"backing up {describe_url(config.database_url)} ...")
    try:
        manifest = write_backup(
            config, str(settings.SECRET_KEY), out, seq, head, journal.utc_stamp()
        )
    except (BackupError, OSError) as exc:
        raise CommandError(f"backup failed: {exc}") from None
    _say(
        f"backup written to {out}: the database (audit up to seq {manifest.audit_seq}),"
        f" {manifest.evidence_files} evidence file(s) and the server secret;"
        " keep it as safe as the store itself"
    )


def restore_command(
    source: Path = typer.Argument(..., help="A backup file from `nadzor backup`."),
    db: str | None = DB_OPTION,
) -> None:
    """Restore a backup into a new, empty store, then check it.

    The store named by --db (or NADZOR_DATABASE_URL) must be empty; the evidence folder and
    the secret file are those the store is configured with. After the restore the audit log
    is verified and every evidence file is checked against its recorded hash.
    """
    from nadzor.store import StoreConfig, StoreConfigError, describe_url
    from nadzor.store._backup import BackupError, restore_into

    try:
        config = StoreConfig.from_env(db)
    except StoreConfigError as exc:
        raise CommandError(str(exc)) from None
    if not source.is_file():
        raise CommandError(f"no backup file at {source}")
    _say(f"restoring {source} into {describe_url(config.database_url)} ...")
    try:
        manifest, _secret, written = restore_into(config, source)
    except (BackupError, OSError) as exc:
        raise CommandError(f"restore failed: {exc}") from None
    use_store(db)
    checked = _check_restored(manifest.audit_head)
    _say(
        f"restored: {checked[0]} audit entries verified (the backup's head at seq"
        f" {manifest.audit_seq} included), {checked[1]} evidence file(s) match their hashes"
        f" ({written} written)"
    )


def _check_restored(audit_head: str) -> tuple[int, int]:
    from nadzor.audit import journal

    verdict = journal.verify(audit_head if audit_head.strip("0") else None)
    if not verdict.ok:
        raise CommandError(f"restored, but {verdict.message()}", code=RESTORE_BROKEN)
    problems, count = _evidence_problems()
    if problems:
        raise CommandError(
            f"restored, but {len(problems)} evidence file(s) are wrong: {problems[0]}",
            code=RESTORE_BROKEN,
        )
    return verdict.entries, count


def _evidence_problems() -> tuple[list[str], int]:
    """Every file the store records is there, with its recorded hash."""
    from nadzor.cases._blobs import blob_path
    from nadzor.store.models import ComplaintAttachment, Evidence

    wanted = set(Evidence.objects.values_list("sha256", flat=True))
    wanted |= set(ComplaintAttachment.objects.values_list("sha256", flat=True))
    problems = []
    for sha in sorted(wanted):
        path = blob_path(sha)
        try:
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                while chunk := handle.read(1024 * 1024):
                    digest.update(chunk)
        except FileNotFoundError:
            problems.append(f"{sha} is missing")
            continue
        if digest.hexdigest() != sha:
            problems.append(f"{sha} has other contents")
    return problems, len(wanted)


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def register(app: typer.Typer) -> None:
    app.command("backup")(backup_command)
    app.command("restore")(restore_command)
