"""`nadzor audit verify [--head HASH] [--anchor FILE [--key FILE]] | head | anchor`."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from nadzor.cli._app import CommandError
from nadzor.cli._store_options import DB_OPTION, use_store

__all__ = ["register"]

AUDIT_BROKEN = 4

audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)


@audit_app.command("verify")
def verify_command(
    db: str | None = DB_OPTION,
    head: str | None = typer.Option(
        None, "--head", help="A head hash published earlier: prove nothing up to it was rewritten."
    ),
    anchor: Path | None = typer.Option(
        None,
        "--anchor",
        help="An anchor file from `audit anchor`: the entry it names must still have its hash.",
    ),
    key: Path | None = typer.Option(
        None, "--key", help="The anchor key: also check the anchor's signature."
    ),
) -> None:
    """Recompute the hash chain; exit 4 naming the first broken entry."""
    from nadzor.audit._anchor import AnchorError, read_anchor, read_key

    try:
        signed = read_anchor(anchor) if anchor else None
        secret = read_key(key) if key else None
    except AnchorError as exc:
        raise CommandError(str(exc)) from None
    if secret is not None and signed is None:
        raise CommandError("--key checks an anchor's signature: give the anchor with --anchor")
    if signed is not None and secret is not None and not signed.signed_by(secret):
        raise CommandError(
            f"the anchor {anchor} is not signed by the key {key}: it was changed or made with"
            " another key",
            code=AUDIT_BROKEN,
        )
    use_store(db)
    from nadzor.audit import journal

    verdict = journal.verify(head.strip().lower() if head else None)
    if not verdict.ok:
        raise CommandError(verdict.message(), code=AUDIT_BROKEN)
    if signed is not None:
        stored = journal.hash_at(signed.seq) if signed.seq else None
        if signed.seq and stored != signed.head:
            what = "is missing" if stored is None else "has another hash"
            raise CommandError(
                f"audit log broken at seq {signed.seq}: the entry anchored at {signed.at}"
                f" {what}: the chain up to it was rewritten or cut",
                code=AUDIT_BROKEN,
            )
        if secret is None:
            print(
                f"note: the anchor's signature was not checked (give --key); key {signed.key_id}",
                file=sys.stderr,
            )
        typer.echo(f"{verdict.message()}; anchor of seq {signed.seq} ({signed.at}) holds")
        return
    typer.echo(verdict.message())


@audit_app.command("head")
def head_command(db: str | None = DB_OPTION) -> None:
    """Print the current head hash alone, to publish or hand to a third party."""
    use_store(db)
    from nadzor.audit import journal

    typer.echo(journal.head())


@audit_app.command("anchor")
def anchor_command(
    key: Path = typer.Option(
        ..., "--key", help="The anchor key file, kept apart from the database.", show_default=False
    ),
    out: Path = typer.Option(
        ..., "--out", help="Where to write the signed anchor (JSON).", show_default=False
    ),
    new_key: bool = typer.Option(
        False, "--new-key", help="Create the key file first (it must not exist)."
    ),
    db: str | None = DB_OPTION,
) -> None:
    """Write the current head, signed with the anchor key, for an outside party to keep.

    Run it on a schedule (cron, a systemd timer) and send the file away from the server.
    """
    from nadzor.audit._anchor import AnchorError, create_key, make_anchor, read_key

    try:
        secret = create_key(key) if new_key else read_key(key)
    except AnchorError as exc:
        raise CommandError(str(exc)) from None
    if new_key:
        print(f"new anchor key written to {key}: keep it apart from the database", file=sys.stderr)
    use_store(db)
    from nadzor.audit import journal

    verdict = journal.verify()
    if not verdict.ok:
        raise CommandError(
            f"{verdict.message()}: no anchor is written for a broken chain", code=AUDIT_BROKEN
        )
    seq, head = journal.head_entry()
    anchor = make_anchor(seq, head, journal.utc_stamp(), secret)
    _write_new(out, anchor.to_json())
    print(f"anchor of seq {seq}, head {head}, written to {out}", file=sys.stderr)


def _write_new(path: Path, text: str) -> None:
    """Write the whole file under a temporary name, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part")
    part.write_text(text, encoding="utf-8")
    part.replace(path)


def register(app: typer.Typer) -> None:
    app.add_typer(audit_app, name="audit")
