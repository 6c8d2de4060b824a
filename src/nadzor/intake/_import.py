"""Bulk import of a folder with its manifest: every row is checked (fields, the file, its
type) before the first item is added, so a bad row refuses the whole import."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nadzor.cases._errors import BadInput
from nadzor.cases._sniff import accepted_type
from nadzor.cases.domain import Actor
from nadzor.intake._items import Provenance, add_item
from nadzor.intake.domain import (
    IntakeOp,
    ManifestError,
    ManifestRow,
    parse_manifest,
    require_intake,
)

__all__ = ["ImportReport", "import_folder"]


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)


def _check(folder: Path, row: ManifestRow) -> Path:
    path = (folder / row.path).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise ManifestError(row.row, "path", "the path must stay inside the imported folder")
    if not path.is_file():
        raise ManifestError(row.row, "path", f"no such file: {row.path}")
    try:
        accepted_type(path)
    except BadInput as exc:
        raise ManifestError(row.row, "path", f"{row.path}: {exc}") from None
    return path


def import_folder(
    actor: Actor,
    folder: Path,
    manifest: str,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Add every file the manifest names; files already present add nothing."""
    require_intake(actor, IntakeOp.ADD)
    rows = parse_manifest(manifest)
    files = [(row, _check(folder, row)) for row in rows]
    report = ImportReport()
    for done, (row, path) in enumerate(files, start=1):
        provenance = Provenance(
            source_url=row.source_url,
            platform=row.platform,
            account=row.account,
            published_at=row.published_at,
            captured_at=row.captured_at,
            language=row.language,
            note=row.note,
        )
        with path.open("rb") as handle:
            added = add_item(actor, handle, provenance, file_name=path.name)
        (report.added if added.created else report.existing).append(added.item.sha256)
        if progress is not None:
            progress(done, len(files))
    return report
