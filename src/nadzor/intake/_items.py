"""Adding items: a file or a pasted text, stored once by its SHA-256, audited, queued for the
background work.

The same bytes added again change nothing: the existing item is returned with `created`
False and no audit entry is written (the first add is the item's provenance).
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from django.db import transaction
from django.utils import timezone

from nadzor.audit.journal import append
from nadzor.cases._access import staff_user
from nadzor.cases._blobs import staged
from nadzor.cases._errors import BadInput
from nadzor.cases._sniff import accepted_type
from nadzor.cases.domain import Actor, Role
from nadzor.intake._files import MAX_BYTES, intake_root
from nadzor.intake._queue import enqueue
from nadzor.intake.domain import IntakeOp, ItemKind, kind_of, require_intake
from nadzor.store.models import IntakeItem, User

__all__ = ["Added", "Provenance", "add_item", "add_text"]

_TEXT_LIMIT = 1_000_000
_NAME_LENGTH = 255


@dataclass(frozen=True)
class Provenance:
    """Where an item came from, as staff give it (nothing is fetched)."""

    source_url: str = ""
    platform: str = ""
    account: str = ""
    published_at: datetime | None = None
    captured_at: datetime | None = None
    language: str = ""
    note: str = ""


@dataclass(frozen=True)
class Added:
    item: IntakeItem
    created: bool


def add_text(actor: Actor, text: str, provenance: Provenance) -> Added:
    """A pasted text (a post, a testimony), stored as UTF-8 bytes."""
    body = text.strip()
    if not body:
        raise BadInput("the text is empty")
    return add_item(actor, io.BytesIO(body.encode("utf-8")), provenance, file_name="")


def add_item(
    actor: Actor, stream: BinaryIO, provenance: Provenance, *, file_name: str = ""
) -> Added:
    require_intake(actor, IntakeOp.ADD)
    with staged(stream, MAX_BYTES, intake_root()) as upload:
        media_type = accepted_type(upload.path)
        kind = kind_of(media_type)
        words = ""
        if kind is ItemKind.TEXT:
            words = upload.path.read_text("utf-8")[:_TEXT_LIMIT]
        with transaction.atomic():
            existing = IntakeItem.objects.filter(sha256=upload.sha256).first()
            if existing is not None:
                return Added(existing, False)
            upload.store()
            name = _clean_name(file_name)
            item = IntakeItem.objects.create(
                sha256=upload.sha256,
                size=upload.size,
                media_type=media_type,
                kind=kind.value,
                file_name=name,
                source_url=provenance.source_url.strip(),
                platform=provenance.platform.strip(),
                account=provenance.account.strip(),
                published_at=provenance.published_at,
                captured_at=provenance.captured_at,
                language=provenance.language.strip(),
                note=provenance.note.strip(),
                text=words,
                added_by=_user(actor),
                added_at=timezone.now(),
                cluster=upload.sha256,
            )
            enqueue(item)
            append(
                actor.name,
                "intake.add",
                f"intake:{item.sha256}",
                {
                    "sha256": item.sha256,
                    "size": item.size,
                    "media_type": media_type,
                    "file_name": name,
                    "source_url": item.source_url,
                    "platform": item.platform,
                    "account": item.account,
                    "published_at": _iso(item.published_at),
                    "captured_at": _iso(item.captured_at),
                    "language": item.language,
                    "note": item.note,
                },
            )
    return Added(item, True)


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def _user(actor: Actor) -> User | None:
    if actor.name == "system":
        return None
    return staff_user(actor.name, roles=tuple(Role))


def _clean_name(name: str) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    shown = "".join(c for c in base if unicodedata.category(c) not in ("Cc", "Cf"))
    return shown.strip()[:_NAME_LENGTH]
