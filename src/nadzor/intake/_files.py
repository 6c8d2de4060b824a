"""Where intake bytes live: originals content-addressed under `<evidence dir>/intake/`
(read-only, never overwritten, apart from case evidence so that deleting a case's evidence
never touches them) and viewing copies under `<evidence dir>/intake/views/`."""

from __future__ import annotations

import os
from pathlib import Path

from nadzor.cases._blobs import blob_path, evidence_root

__all__ = ["intake_root", "original_path", "view_path"]

_LIMIT_MB = int(os.environ.get("NADZOR_INTAKE_MAX_MB", "2048"))
MAX_BYTES = _LIMIT_MB * 1024 * 1024


def intake_root() -> Path:
    return evidence_root() / "intake"


def original_path(sha256: str) -> Path:
    return blob_path(sha256, intake_root())


def view_path(sha256: str) -> Path:
    """The viewing copy (a JPEG without metadata) of an image or a video's poster frame."""
    blob_path(sha256, intake_root())  # refuses anything but a SHA-256
    return intake_root() / "views" / sha256[:2] / f"{sha256}.jpg"
