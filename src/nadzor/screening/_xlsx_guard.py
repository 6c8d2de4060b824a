"""Look inside an XLSX file before the reader loads its first sheet, and refuse what would
not fit in memory.

The reader holds the first sheet as a dense grid from cell A1 to the last filled cell, so
one cell at XFD1048576 in a 5 KB file would ask for 17 billion cells; and a ZIP member can
unpack to hundreds of times its size. Both are found here by streaming through the sheet's
XML with a cap on the bytes unpacked, before anything is allocated.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from xml.etree import ElementTree as ET

from nadzor.screening._source import InputError

__all__ = ["MAX_CELLS", "MAX_RATIO", "MAX_UNPACKED", "check_xlsx"]

MAX_CELLS = 40_000_000
"""Cells of the grid from A1 to the last filled cell: about 1.5 GB once loaded."""
MAX_UNPACKED = 2 << 30
"""Bytes the sheet and its shared strings may unpack to."""
MAX_RATIO = 100
"""How many times a member may expand; spreadsheet XML packs about 5 to 20 times."""
_RATIO_FLOOR = 16 << 20  # below this size any ratio is harmless
_SMALL_PART = 8 << 20  # the workbook's own XML parts are small
_CHUNK = 1 << 20
_OVERLAP = 64
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_ROW = re.compile(rb'<(?:[A-Za-z]\w*:)?row\b[^>]*?\br="(\d+)"')
_CELL = re.compile(rb'<(?:[A-Za-z]\w*:)?c\b[^>]*?\br="([A-Z]+)(\d+)"')
_LETTERS = b"ZYXWVUTSRQPONMLKJIHGFEDCBA"


@dataclass(frozen=True)
class _Sheet:
    name: str
    member: str


def check_xlsx(path: str) -> None:
    """Raise InputError, naming the sheet, if the first sheet cannot be read safely."""
    try:
        with zipfile.ZipFile(path) as archive:
            sheet = _first_sheet(archive)
            if sheet is None:
                return  # the reader says what is wrong with the workbook
            for member in (sheet.member, "xl/sharedStrings.xml"):
                _check_ratio(archive, member, sheet)
            rows, columns = _extent(archive, sheet)
            if "xl/sharedStrings.xml" in archive.NameToInfo:
                _drain(archive, "xl/sharedStrings.xml", sheet)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise InputError(f"{path} is not a readable XLSX file: {exc}") from exc
    cells = rows * columns
    if cells > MAX_CELLS:
        raise InputError(
            f"sheet {sheet.name!r} spans A1:{_column_name(columns)}{rows}"
            f" ({cells:,} cells, more than {MAX_CELLS:,} can be read from XLSX):"
            " remove the stray cells or save the register as CSV or Parquet"
        )


def _first_sheet(archive: zipfile.ZipFile) -> _Sheet | None:
    workbook = _small_xml(archive, "xl/workbook.xml")
    rels = _small_xml(archive, "xl/_rels/workbook.xml.rels")
    if workbook is None or rels is None:
        return None
    first = workbook.find(f"{_MAIN}sheets/{_MAIN}sheet")
    if first is None:
        return None
    rel_id = first.get(f"{_DOC_RELS}id")
    for rel in rels.iter(f"{_RELS}Relationship"):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            member = str(PurePosixPath(member))
            return _Sheet(first.get("name", "1"), member)
    return None


def _small_xml(archive: zipfile.ZipFile, member: str) -> ET.Element | None:
    info = archive.NameToInfo.get(member)
    if info is None or info.file_size > _SMALL_PART:
        return None
    with archive.open(info) as handle:
        data = handle.read(_SMALL_PART + 1)
    try:
        return ET.fromstring(data)
    except ET.ParseError:
        return None


def _check_ratio(archive: zipfile.ZipFile, member: str, sheet: _Sheet) -> None:
    info = archive.NameToInfo.get(member)
    if info is None:
        return
    size, packed = info.file_size, max(info.compress_size, 1)
    if size > _RATIO_FLOOR and size > MAX_RATIO * packed:
        raise InputError(
            f"sheet {sheet.name!r}: its part {member} unpacks from {_mb(packed)} to {_mb(size)}"
            f" ({size // packed} times): refused as a possible ZIP bomb;"
            " save the register as CSV or Parquet"
        )
    if size > MAX_UNPACKED:
        raise InputError(
            f"sheet {sheet.name!r}: its part {member} unpacks to {_mb(size)}, more than"
            f" {_mb(MAX_UNPACKED)} can be read from XLSX: save the register as CSV or Parquet"
        )


def _stream(archive: zipfile.ZipFile, member: str, sheet: _Sheet) -> Iterator[bytes]:
    """The member's bytes in chunks, stopping at `MAX_UNPACKED` whatever the header says."""
    seen = 0
    with archive.open(member) as handle:
        while chunk := handle.read(_CHUNK):
            seen += len(chunk)
            if seen > MAX_UNPACKED:
                raise InputError(
                    f"sheet {sheet.name!r}: its part {member} unpacks to more than"
                    f" {_mb(MAX_UNPACKED)}: save the register as CSV or Parquet"
                )
            yield chunk


def _drain(archive: zipfile.ZipFile, member: str, sheet: _Sheet) -> None:
    for _ in _stream(archive, member, sheet):
        pass


def _extent(archive: zipfile.ZipFile, sheet: _Sheet) -> tuple[int, int]:
    """The last row and column holding a cell, from the cells' references."""
    if sheet.member not in archive.NameToInfo:
        return 0, 0
    rows = columns = 0
    tail = b""
    for chunk in _stream(archive, sheet.member, sheet):
        data = tail + chunk
        rows = max(rows, _last_row(data))
        columns = max(columns, _widest(data))
        tail = data[-_OVERLAP:]
    return rows, columns


def _last_row(data: bytes) -> int:
    return max((int(match.group(1)) for match in _ROW.finditer(data)), default=0)


def _widest(data: bytes) -> int:
    """The widest column referenced in `data`, cheaply: single letters are searched for
    from Z down, and the regular expression runs only where a longer name occurs."""
    if _long_names(data):
        return max((_column_number(m.group(1)) for m in _CELL.finditer(data)), default=0)
    for letter in _LETTERS:
        if data.find(b' r="' + bytes([letter])) >= 0:
            return letter - ord("A") + 1
    return 0


def _long_names(data: bytes) -> bool:
    return re.search(rb'\br="[A-Z]{2,3}\d', data) is not None


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _column_name(number: int) -> str:
    name = ""
    while number:
        number, rest = divmod(number - 1, 26)
        name = chr(ord("A") + rest) + name
    return name or "A"


def _mb(size: int) -> str:
    return f"{size / (1 << 20):,.1f} MB"
