"""Match a file's header to the record type: required columns, extras, safe raw names."""

from __future__ import annotations

from dataclasses import dataclass

from nadzor.rules import RecordType
from nadzor.screening._source import InputError

__all__ = ["ColumnMatch", "match_columns"]


@dataclass(frozen=True)
class ColumnMatch:
    mapping: dict[str, str | None]  # record column -> raw (safe) column name, None if absent
    renames: dict[str, str]  # header name -> safe raw column name
    warnings: list[str]


def match_columns(header: list[str], record: RecordType) -> ColumnMatch:
    """Header names match case-insensitively after trimming (the reader already trimmed)."""
    by_fold = {name.casefold(): name for name in header}
    renames = {name: f"c{i}" for i, name in enumerate(header)}
    mapping: dict[str, str | None] = {}
    missing_required: list[str] = []
    missing_optional: list[str] = []
    for col in record.columns:
        found = by_fold.get(col.name.casefold())
        mapping[col.name] = renames[found] if found is not None else None
        if found is None:
            (missing_required if col.required else missing_optional).append(col.name)
    if missing_required:
        raise InputError(f"missing required column(s): {', '.join(missing_required)}")
    warnings: list[str] = []
    known = {c.name.casefold() for c in record.columns}
    extra = [name for name in header if name.casefold() not in known]
    if extra:
        warnings.append(f"ignored column(s) not in the {record.name}: {', '.join(extra)}")
    if missing_optional:
        warnings.append(
            f"column(s) not in the file, read as not recorded: {', '.join(missing_optional)}"
        )
    return ColumnMatch(mapping, renames, warnings)
