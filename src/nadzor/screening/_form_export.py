"""Registers exported by ODK Central or KoboToolbox from a rulebook's form, read as they are.

Those tools name a question inside a group `group/question` (KoboToolbox, ODK Central's
JSON and XLSX) or `group-question` (ODK Central's CSV), add their own columns about each
submission (`_uuid`, `_submission_time`, `_id`, `meta/instanceID`, `KEY`, ...), and write
the answers of a multiple choice question space-separated. This step, between the reader
and the column matching, takes a group prefix off a name that is otherwise not a column
of the record type, leaves out the tools' own columns, and turns space-separated answers
into the `;`-separated lists of a register. A register that is not such an export passes
unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from nadzor.rules import RecordType
from nadzor.screening._source import ROW_COLUMN, RegisterSource

__all__ = ["adapt_form_export", "export_names"]

# The submission columns of ODK Central and KoboToolbox exports, compared case-insensitively
# and only when they are not columns of the record type.
_META = frozenset(
    name.casefold()
    for name in (
        "KEY", "PARENT_KEY", "SubmissionDate", "SubmitterID", "SubmitterName",
        "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState", "DeviceID",
        "Edits", "FormVersion", "instanceID", "instanceName", "deprecatedID",
        "start", "end", "today", "deviceid", "username", "simserial", "subscriberid",
        "phonenumber", "audit", "formhub/uuid", "__version__",
    )
)  # fmt: skip
_META_PREFIXES = ("_", "meta/", "meta-", "meta.", "formhub/")
_LIST_TYPES = ("list<text>", "list<date>")


def export_names(names: Sequence[str], columns: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    """(header name -> column name for the names to rename, the names to leave out)."""
    known = {column.casefold(): column for column in columns}
    renames: dict[str, str] = {}
    meta: list[str] = []
    taken = {name.casefold() for name in names if name.casefold() in known}
    for name in names:
        folded = name.casefold()
        if folded in known:
            continue
        target = _ungrouped(name, known)
        if target is not None and target.casefold() not in taken:
            renames[name] = target
            taken.add(target.casefold())
        elif folded in _META or folded.startswith(_META_PREFIXES):
            meta.append(name)
    return renames, meta


def _ungrouped(name: str, known: dict[str, str]) -> str | None:
    """The record type's column `name` is once its group prefixes are taken off."""
    for separator in ("/", "-"):
        parts = name.split(separator)
        for start in range(1, len(parts)):
            candidate = separator.join(parts[start:]).strip().casefold()
            if candidate in known:
                return known[candidate]
    return None


def adapt_form_export(source: RegisterSource, record: RecordType) -> RegisterSource:
    """`source` with an export's names, meta columns and answers made a register's."""
    renames, meta = export_names(source.columns, [column.name for column in record.columns])
    if not renames and not meta:
        return source
    lists = {column.name for column in record.columns if column.type in _LIST_TYPES}
    kept = [name for name in source.columns if name not in meta]
    names = [renames.get(name, name) for name in kept]
    fields = [source.schema.field(ROW_COLUMN)]
    fields += [
        source.schema.field(old).with_name(new) for old, new in zip(kept, names, strict=True)
    ]

    def produce(src: RegisterSource) -> Iterator[pa.RecordBatch]:
        # The reader works on its own source (its header, its schema); the figures it
        # keeps are handed on to the adapted one as they grow.
        for batch in source.batches():
            src.rows_read = source.rows_read
            arrays = [batch.column(ROW_COLUMN)]
            arrays += [
                _answers(batch.column(old), new in lists)
                for old, new in zip(kept, names, strict=True)
            ]
            yield pa.RecordBatch.from_arrays(arrays, schema=src.schema)
        src.rows_read = source.rows_read

    adapted = RegisterSource(
        source.format,
        source.path,
        names,
        pa.schema(fields),
        warnings=source.warnings,  # the same lists: what the reader adds shows here too
        rejects=source.rejects,
        rows_read=source.rows_read,
        produce=produce,
    )
    note = []
    if renames:
        note.append(f"group prefixes taken off {len(renames)} column names")
    if meta:
        more = ", ..." if len(meta) > 8 else ""
        note.append(f"its own columns left out ({', '.join(meta[:8])}{more})")
    adapted.warnings.append(f"read as a form export: {'; '.join(note)}")
    return adapted


def _answers(column: pa.Array[Any], is_list: bool) -> pa.Array[Any]:
    """A multiple choice answer `a b c` as the list `a;b;c` (a `;` list stays as it is)."""
    if not is_list or not pa.types.is_string(column.type):
        return column
    trimmed = pc.utf8_trim_whitespace(column)
    spaced = pc.invert(pc.match_substring(trimmed, ";"))
    joined = pc.replace_substring_regex(trimmed, r"\s+", ";")
    answers: pa.Array[Any] = pc.if_else(spaced, joined, column)
    return answers
