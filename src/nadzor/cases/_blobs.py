"""Evidence bytes on disk, content-addressed: `<dir>/<aa>/<bb>/<sha256>`, never overwritten.

An upload is first written to a temporary file in `<dir>/tmp/` while it is hashed and
counted, so that nothing is read into memory whole and an upload over the limit is refused
as soon as it passes it. The finished file is made read-only and hard-linked to its final
name: a link fails when the name exists, so a stored file is never replaced, and two writers
storing the same bytes at once both end with the one file (the second finds the first's).
The directory is `NADZOR_EVIDENCE_DIR`; it must be on one file system (tmp/ included).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NamedTuple

from nadzor.cases._errors import BadInput, NotFound
from nadzor.cases.domain import DomainError

__all__ = [
    "Blob",
    "BlobError",
    "Staged",
    "TooLarge",
    "blob_path",
    "describe_limit",
    "evidence_root",
    "open_blob",
    "park_blob",
    "put",
    "remove_blob",
    "restore_blob",
    "staged",
]

_CHUNK = 1024 * 1024
_MB = 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")
# stored files: read-only for the owner and the group, nothing for others
_MODE = 0o440
# hard links that a file system may refuse (then a plain rename is used instead)
_NO_LINKS = frozenset({errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS})


class TooLarge(BadInput):
    """An upload over the size limit."""


class BlobError(DomainError):
    """The evidence store is damaged: a stored file differs from what was recorded."""


class Blob(NamedTuple):
    sha256: str
    size: int
    path: Path


def evidence_root() -> Path:
    """The evidence directory of the configured store."""
    from django.conf import settings

    return Path(settings.NADZOR_EVIDENCE_DIR)


def blob_path(sha256: str, root: Path | None = None) -> Path:
    """Where the file with this SHA-256 (64 lowercase hex digits) is stored."""
    if not isinstance(sha256, str) or not _SHA256.fullmatch(sha256):
        raise BadInput(f"{str(sha256)[:80]!r} is not a SHA-256 (64 hex digits)")
    root = evidence_root() if root is None else root
    return root / sha256[:2] / sha256[2:4] / sha256


def describe_limit(max_bytes: int) -> str:
    """`100 MB` for 100 MiB; smaller or uneven limits in KB or bytes."""
    if max_bytes >= _MB and max_bytes % _MB == 0:
        return f"{max_bytes // _MB} MB"
    if max_bytes >= 1024 and max_bytes % 1024 == 0:
        return f"{max_bytes // 1024} KB"
    return f"{max_bytes}-byte"


@dataclass
class Staged:
    """An upload in a temporary file: hashed, counted, read-only, not yet stored."""

    path: Path
    sha256: str
    size: int
    root: Path

    def store(self) -> Blob:
        """Give the file its content address, unless a file is already there (kept as is)."""
        final = blob_path(self.sha256, self.root)
        final.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(self.path, final)
        except FileExistsError:
            _check_existing(final, self.size)
        except OSError as exc:
            if exc.errno not in _NO_LINKS:
                raise
            _store_without_links(self, final)
        _sync_directory(final.parent)
        return Blob(self.sha256, self.size, final)


@contextlib.contextmanager
def staged(stream: BinaryIO, max_bytes: int, root: Path | None = None) -> Iterator[Staged]:
    """Copy `stream` to a temporary file while hashing it; the file is removed on exit.

    Raises `TooLarge` (leaving no file behind) as soon as the stream passes `max_bytes`.
    """
    root = evidence_root() if root is None else root
    scratch = root / "tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=scratch, prefix="upload-")
    path = Path(name)
    try:
        digest = hashlib.sha256()
        size = 0
        with os.fdopen(handle, "wb") as out:
            # read at most one byte past the limit: enough to know the file is too large
            while chunk := stream.read(min(_CHUNK, max_bytes + 1 - size)):
                size += len(chunk)
                if size > max_bytes:
                    raise TooLarge(f"the file is larger than the {describe_limit(max_bytes)} limit")
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        path.chmod(_MODE)
        yield Staged(path, digest.hexdigest(), size, root)
    finally:
        path.unlink(missing_ok=True)


def put(stream: BinaryIO, max_bytes: int, root: Path | None = None) -> Blob:
    """Store the bytes of `stream`: (sha256, size, path). Storing known bytes changes nothing."""
    with staged(stream, max_bytes, root) as upload:
        return upload.store()


def open_blob(sha256: str, root: Path | None = None) -> BinaryIO:
    """The stored file, open for reading in binary."""
    try:
        return blob_path(sha256, root).open("rb")
    except FileNotFoundError:
        raise NotFound(f"the file {sha256} is missing from the evidence store") from None


def remove_blob(sha256: str, root: Path | None = None) -> bool:
    """Remove the stored file; False when there was none."""
    path = blob_path(sha256, root)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    _sync_directory(path.parent)
    return True


def park_blob(sha256: str, root: Path | None = None) -> Path | None:
    """Move the stored file aside to `<dir>/tmp/` (None when there was none).

    The first step of a removal that may still be undone: `restore_blob` puts it back,
    unlinking the returned path completes it.
    """
    root = evidence_root() if root is None else root
    path = blob_path(sha256, root)
    aside = root / "tmp" / f"removed-{sha256}-{uuid.uuid4().hex}"
    aside.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.rename(aside)
    except FileNotFoundError:
        return None
    return aside


def restore_blob(aside: Path, sha256: str, root: Path | None = None) -> None:
    """Undo `park_blob` (a file stored meanwhile under the same address is kept)."""
    upload = Staged(aside, sha256, aside.stat().st_size, evidence_root() if root is None else root)
    upload.store()
    aside.unlink(missing_ok=True)


def _check_existing(final: Path, size: int) -> None:
    """The file already stored under this address must at least have the right size."""
    found = final.stat().st_size
    if found != size:
        raise BlobError(
            f"the stored file {final.name} has {found} bytes instead of {size}: the evidence"
            " store is damaged and needs an administrator"
        )


def _store_without_links(upload: Staged, final: Path) -> None:
    """For file systems without hard links: a rename, taken only when no file is there.

    Between the check and the rename another writer may store the same address; both
    files then hold the same bytes (the address is their hash), so nothing is lost.
    """
    if final.exists():
        _check_existing(final, upload.size)
        return
    upload.path.rename(final)


def _sync_directory(directory: Path) -> None:
    """Make a new or removed name in `directory` durable (where the platform allows it)."""
    with contextlib.suppress(OSError):
        handle = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
