"""Evidence files on cases: add, list, open and delete, each change and each view audited.

- An upload is streamed to a temporary file (hashed, counted, its type sniffed from the
  bytes) before any row is locked, so a slow upload holds no lock; the permission is checked
  before the first byte is read and again, with the case locked, before the row is written.
- The same bytes added again to the same case change nothing: the existing row is returned
  (with `created` False; a new row has `created` True) and no audit entry is written; the
  name and description given the second time are ignored. The same bytes on another case
  get their own row and share the one stored file.
- Evidence is deleted only by a supervisor, only once its case is resolved or closed and
  not under a legal hold, and only with a reason. The file goes when no row of any case
  refers to it any more.

Adding and deleting the same bytes at once (from two cases) is serialized by a lock on the
content's hash (PostgreSQL: a transaction-scoped advisory lock; SQLite: its single writer),
so a file is never removed while a new row comes to refer to it.
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from nadzor.audit.journal import append
from nadzor.cases._access import case_for, staff_user
from nadzor.cases._blobs import (
    BlobError,
    blob_path,
    open_blob,
    park_blob,
    restore_blob,
    staged,
)
from nadzor.cases._errors import BadInput, NotFound
from nadzor.cases._sniff import accepted_type
from nadzor.cases.domain import Actor, Operation, Role, Status
from nadzor.store.models import Case, ComplaintAttachment, Evidence, User

__all__ = ["add_evidence", "delete_evidence", "list_evidence", "open_evidence"]

# The first key of the advisory locks on evidence content (the second is from the hash);
# the two-key locks are a key space apart from the audit log's one-key lock.
_CONTENT_LOCK = 0x6E7A6576
_NAME_LENGTH = 255


def add_evidence(
    actor: Actor,
    reference: str,
    stream: BinaryIO,
    *,
    original_name: str = "",
    description: str = "",
) -> Evidence:
    """Attach the bytes of `stream` to the case; see the module's notes on repeated bytes."""
    case_for(actor, reference, Operation.EVIDENCE_ADD)
    name = _clean_name(original_name)
    text = description.strip()
    with staged(stream, settings.NADZOR_EVIDENCE_MAX_BYTES) as upload:
        media_type = accepted_type(upload.path, original_name)
        with transaction.atomic():
            case = case_for(actor, reference, Operation.EVIDENCE_ADD, lock=True)
            _lock_content(upload.sha256)
            existing = _rows(case).filter(sha256=upload.sha256).first()
            if existing is not None:
                existing.created = False  # type: ignore[attr-defined]
                return existing
            upload.store()
            now = timezone.now()
            evidence = Evidence.objects.create(
                case=case,
                sha256=upload.sha256,
                size=upload.size,
                media_type=media_type,
                original_name=name,
                description=text,
                added_by=_user(actor),
                added_at=now,
            )
            Case.objects.filter(pk=case.pk).update(updated_at=now)
            data = {
                "sha256": evidence.sha256,
                "size": evidence.size,
                "media_type": media_type,
                "description": text,
            }
            append(actor.name, "evidence.add", f"case:{case.reference}", data)
    evidence.created = True  # type: ignore[attr-defined]
    return evidence


def list_evidence(actor: Actor, reference: str) -> list[Evidence]:
    """The case's evidence, oldest first (who added each, when, its hash, size and type)."""
    case = case_for(actor, reference, Operation.EVIDENCE_VIEW)
    return list(_rows(case).order_by("added_at", "pk"))


def open_evidence(actor: Actor, reference: str, sha256: str) -> tuple[Evidence, BinaryIO]:
    """The evidence row and its file, open for reading; the caller closes the file.

    Every opening is an `evidence.view` entry in the audit log.
    """
    sha = _sha(sha256)
    with transaction.atomic():
        case = case_for(actor, reference, Operation.EVIDENCE_VIEW)
        evidence = _row(case, sha)
        handle = open_blob(sha)
        try:
            found = os.fstat(handle.fileno()).st_size
            if found != evidence.size:
                raise BlobError(
                    f"the stored file {sha} has {found} bytes instead of {evidence.size}:"
                    " the evidence store is damaged and needs an administrator"
                )
            append(actor.name, "evidence.view", f"case:{case.reference}", {"sha256": sha})
        except BaseException:
            handle.close()
            raise
    return evidence, handle


def delete_evidence(actor: Actor, reference: str, sha256: str, reason: str) -> None:
    """Remove the evidence from the case (a supervisor, on a resolved or closed case that is
    not under a legal hold, with a reason); its file goes when no other case refers to it."""
    sha = _sha(sha256)
    aside: Path | None = None
    try:
        with transaction.atomic():
            case = case_for(actor, reference, Operation.EVIDENCE_DELETE, lock=True)
            status = Status(case.status)
            if status.is_open:
                raise BadInput(
                    f"evidence cannot be deleted while its case is open (the case is {status});"
                    " it can be deleted once the case is resolved or closed"
                )
            if case.legal_hold:
                raise BadInput("evidence cannot be deleted while its case is under a legal hold")
            if not reason.strip():
                raise BadInput("deleting evidence needs a reason")
            evidence = _row(case, sha)
            _lock_content(sha)
            evidence.delete()
            # the bytes may also be a complaint's attachment (the complaint keeps its files)
            shared = (
                Evidence.objects.filter(sha256=sha).exists()
                or ComplaintAttachment.objects.filter(sha256=sha).exists()
            )
            data = {
                "sha256": sha,
                "size": evidence.size,
                "media_type": evidence.media_type,
                "reason": reason.strip(),
                "file_removed": not shared,
            }
            append(actor.name, "evidence.delete", f"case:{case.reference}", data)
            if not shared:
                # Moved aside now, under the lock; gone for good once the deletion commits.
                # Should an enclosing transaction roll back instead, the file stays in the
                # evidence directory's tmp/ for an administrator to put back.
                aside = park_blob(sha)
                if aside is not None:
                    transaction.on_commit(lambda path=aside: path.unlink(missing_ok=True))
    except BaseException:
        if aside is not None and aside.exists():
            restore_blob(aside, sha)
        raise


def _rows(case: Case) -> QuerySet[Evidence]:
    return Evidence.objects.filter(case=case).select_related("added_by")


def _row(case: Case, sha: str) -> Evidence:
    evidence = _rows(case).filter(sha256=sha).first()
    if evidence is None:
        raise NotFound(f"case {case.reference} has no evidence {sha}")
    return evidence


def _sha(text: str) -> str:
    sha = text.strip().lower()
    blob_path(sha)  # refuses anything but 64 hex digits
    return sha


def _lock_content(sha: str) -> None:
    """Serialize adding and deleting these bytes (SQLite's writer is single already)."""
    if connection.vendor == "postgresql":
        key = int.from_bytes(bytes.fromhex(sha[:8]), "big", signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_CONTENT_LOCK, key])


def _user(actor: Actor) -> User | None:
    """The staff account behind the actor (None for the local operator `system`)."""
    if actor.name == "system":
        return None
    return staff_user(actor.name, roles=tuple(Role))


def _clean_name(name: str) -> str:
    """The file's own name, for people to read: no folders, no control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    shown = "".join(c for c in base if unicodedata.category(c) not in ("Cc", "Cf"))
    return shown.strip()[:_NAME_LENGTH]
