"""The bulk-import manifest: one CSV row per file, checked whole before anything is added.

Columns: `path` (relative to the imported folder, required), `source_url`, `platform`,
`published_at` (a date or an ISO 8601 time), `note`; optional `account`, `captured_at`,
`language`. A bad row refuses the import with its row number (the header is row 1) and the
field at fault.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import PurePosixPath

from nadzor.cases.domain import DomainError

__all__ = ["ManifestError", "ManifestRow", "parse_manifest", "parse_moment"]

REQUIRED = ("path",)
KNOWN = (
    "path",
    "source_url",
    "platform",
    "account",
    "published_at",
    "captured_at",
    "language",
    "note",
)
_LIMITS = {"source_url": 2000, "platform": 100, "account": 200, "language": 8, "note": 4000}


class ManifestError(DomainError):
    """A manifest that cannot be imported: `row` (1 is the header) and `field` say where."""

    def __init__(self, row: int, field: str, message: str) -> None:
        super().__init__(f"manifest row {row}, field {field}: {message}")
        self.row = row
        self.field = field


@dataclass(frozen=True)
class ManifestRow:
    row: int
    path: str
    source_url: str = ""
    platform: str = ""
    account: str = ""
    published_at: datetime | None = None
    captured_at: datetime | None = None
    language: str = ""
    note: str = ""


def parse_moment(text: str) -> datetime | None:
    """`2022-10-12` (midnight UTC) or an ISO 8601 time (UTC when no offset); empty is None.

    `ValueError` for anything else.
    """
    text = text.strip()
    if not text:
        return None
    if len(text) == 10:
        return datetime.combine(date.fromisoformat(text), time(), tzinfo=UTC)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_manifest(text: str) -> list[ManifestRow]:
    """Every row of the manifest, or `ManifestError` for the first bad one."""
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in reader.fieldnames or []]
    for name in REQUIRED:
        if name not in header:
            raise ManifestError(1, name, "the column is missing from the header")
    unknown = [name for name in header if name not in KNOWN]
    if unknown:
        raise ManifestError(1, unknown[0], f"unknown column; the columns are {', '.join(KNOWN)}")
    rows: list[ManifestRow] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(reader, start=2):
        if None in raw:
            raise ManifestError(number, "path", "the row has more cells than the header")
        values = {k.strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        rows.append(_row(number, values, seen))
    if not rows:
        raise ManifestError(2, "path", "the manifest has no rows")
    return rows


def _row(number: int, values: dict[str, str], seen: dict[str, int]) -> ManifestRow:
    path = values.get("path", "")
    if not path:
        raise ManifestError(number, "path", "the path is empty")
    pure = PurePosixPath(path.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts:
        raise ManifestError(number, "path", "the path must stay inside the imported folder")
    if path in seen:
        raise ManifestError(number, "path", f"the same path is already on row {seen[path]}")
    seen[path] = number
    for name, limit in _LIMITS.items():
        if len(values.get(name, "")) > limit:
            raise ManifestError(number, name, f"longer than {limit} characters")
    moments: dict[str, datetime | None] = {}
    for name in ("published_at", "captured_at"):
        try:
            moments[name] = parse_moment(values.get(name, ""))
        except ValueError:
            raise ManifestError(
                number, name, f"{values[name]!r} is not a date (YYYY-MM-DD) or ISO 8601 time"
            ) from None
    return ManifestRow(
        row=number,
        path=str(pure),
        source_url=values.get("source_url", ""),
        platform=values.get("platform", ""),
        account=values.get("account", ""),
        published_at=moments["published_at"],
        captured_at=moments["captured_at"],
        language=values.get("language", ""),
        note=values.get("note", ""),
    )
