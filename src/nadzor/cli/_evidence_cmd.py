"""`nadzor cases evidence add | list | get`, run by the local operator."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import typer

from nadzor.cli._app import CommandError
from nadzor.cli._store_options import DB_OPTION, operator, print_rows, store_errors, use_store

__all__ = ["register"]

evidence_app = typer.Typer(help="Evidence files attached to cases.", no_args_is_help=True)

_REFERENCE = typer.Argument(..., help="Case reference, e.g. NZ-2026-000001.")


@evidence_app.command("add")
def add_command(
    reference: str = _REFERENCE,
    file: Path = typer.Argument(
        ..., help="The file to attach (PDF, image, audio, video, document, text)."
    ),
    description: str = typer.Option("", "--description", help="What the file shows."),
    db: str | None = DB_OPTION,
) -> None:
    """Attach a file to a case; prints its SHA-256. The same file twice is stored once."""
    if not file.is_file():
        raise CommandError(f"no such file: {file}")
    use_store(db)
    from nadzor.cases.services import add_evidence

    with store_errors(), file.open("rb") as handle:
        evidence = add_evidence(
            operator(), reference, handle, original_name=file.name, description=description
        )
    print(evidence.sha256)
    if getattr(evidence, "created", True):
        what = f"{evidence.media_type}, {evidence.size} bytes"
        print(f"added to {reference.strip()}: {what}", file=sys.stderr)
    else:
        when = evidence.added_at.strftime("%Y-%m-%d %H:%M UTC")
        print(
            f"already attached to {reference.strip()} on {when}: nothing changed", file=sys.stderr
        )


@evidence_app.command("list")
def list_command(reference: str = _REFERENCE, db: str | None = DB_OPTION) -> None:
    """The files attached to a case: hash, size, type, when and by whom, name, description."""
    use_store(db)
    from nadzor.cases.services import list_evidence

    with store_errors():
        rows = list_evidence(operator(), reference)
        lines = [
            [
                evidence.sha256,
                str(evidence.size),
                evidence.media_type,
                evidence.added_at.strftime("%Y-%m-%d %H:%M"),
                evidence.added_by.username if evidence.added_by else "system",
                evidence.original_name,
                " ".join(evidence.description.split()),
            ]
            for evidence in rows
        ]
    header = ["sha256", "size", "type", "added", "by", "name", "description"]
    print_rows(header, lines)
    print(f"{len(lines)} file(s) attached to {reference.strip()}", file=sys.stderr)


@evidence_app.command("get")
def get_command(
    reference: str = _REFERENCE,
    sha256: str = typer.Argument(..., help="The file's SHA-256, as `evidence list` shows it."),
    out: Path = typer.Option(..., "--out", help="Write the file here (it must not exist yet)."),
    db: str | None = DB_OPTION,
) -> None:
    """Copy a file out of the evidence store (recorded in the audit log), checking its hash."""
    if out.exists():
        raise CommandError(f"{out} already exists: choose another --out")
    if not out.parent.is_dir():
        raise CommandError(f"no such directory: {out.parent}")
    use_store(db)
    from nadzor.cases.services import open_evidence

    partial = out.with_name(f".{out.name}.partial")
    try:
        with store_errors():
            evidence, source = open_evidence(operator(), reference, sha256)
        with source, partial.open("wb") as target:
            digest = _copy(source, target)
        if digest != evidence.sha256:
            raise CommandError(
                f"the stored file does not match its SHA-256 {evidence.sha256}: the evidence"
                " store is damaged and needs an administrator"
            )
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    print(f"{out}: {evidence.media_type}, {evidence.size} bytes", file=sys.stderr)


def _copy(source, target) -> str:  # type: ignore[no-untyped-def]
    """Copy in chunks; the SHA-256 of what was copied."""
    digest = hashlib.sha256()
    while chunk := source.read(1024 * 1024):
        digest.update(chunk)
        target.write(chunk)
    return digest.hexdigest()


def register(cases_app: typer.Typer) -> None:
    cases_app.add_typer(evidence_app, name="evidence")
