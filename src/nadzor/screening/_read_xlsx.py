"""Read the first sheet of an XLSX workbook as a register of text values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import python_calamine as calamine

from nadzor.screening._source import (
    InputError,
    RegisterSource,
    StructuralReject,
    blank_warning,
    check_header,
    record_schema,
)
from nadzor.screening._xlsx_guard import check_xlsx

__all__ = ["read_xlsx"]

_Cell = int | float | str | bool | dt.time | dt.date | dt.datetime | dt.timedelta
_UNIT = "sheet row"
_LISTED = 10
# Floats up to this size hold integers exactly, so `22.0` can be written as `22`.
_EXACT_FLOAT = 2.0**53


def read_xlsx(path: str, *, id_column: str | None, batch_rows: int) -> RegisterSource:
    """Open the first sheet: its first non-blank row is the header."""
    rows = _sheet_rows(path)
    blank = _Blank()
    header = _header(path, rows, blank)
    columns = check_header(header)
    source = RegisterSource(
        format="xlsx",
        path=path,
        columns=columns,
        schema=record_schema([pa.field(name, pa.string()) for name in columns]),
    )
    keys = [name.casefold() for name in columns]
    id_key = id_column.strip().casefold() if id_column is not None else None
    id_index = keys.index(id_key) if id_key in keys else -1
    source.produce = _Sheet(rows, blank, len(columns), id_index, batch_rows).batches
    return source


def _sheet_rows(path: str) -> Iterator[tuple[int, list[str]]]:
    """(sheet row number, cells as text) for the rows of the first sheet."""
    check_xlsx(path)
    try:
        workbook = calamine.CalamineWorkbook.from_path(path)
        sheet = workbook.get_sheet_by_index(0)
    except (calamine.CalamineError, OSError, ValueError) as exc:
        raise InputError(f"{path} is not a readable XLSX file: {_reason(exc)}") from exc
    # calamine yields rows from row 1 of the sheet, even when the data starts lower.
    for number, row in enumerate(sheet.iter_rows(), start=1):
        yield number, [cell if cell.__class__ is str else _text(cell) for cell in row]


def _text(cell: _Cell) -> str:
    """A typed cell as the text the engine reads; strings never get here."""
    # One lookup by exact class instead of an isinstance chain: this runs for every cell.
    convert = _CONVERT.get(cell.__class__)
    return convert(cell) if convert is not None else str(cell)


def _bool_text(cell: bool) -> str:
    return "true" if cell else "false"


def _float_text(cell: float) -> str:
    if cell.is_integer() and abs(cell) < _EXACT_FLOAT:
        return str(int(cell))
    return repr(cell)


def _datetime_text(cell: dt.datetime) -> str:
    # A date cell with a time of day stays a timestamp, which the engine rejects.
    return cell.date().isoformat() if cell.time() == _MIDNIGHT else cell.isoformat()


def _iso_text(cell: dt.date | dt.time) -> str:
    return cell.isoformat()


_MIDNIGHT = dt.time()
_CONVERT: dict[type, Callable[[Any], str]] = {
    bool: _bool_text,
    float: _float_text,
    dt.datetime: _datetime_text,
    dt.date: _iso_text,
    dt.time: _iso_text,
}


@dataclass
class _Blank:
    """The blank rows seen so far: the first few by number, and how many."""

    rows: list[int] = field(default_factory=list)
    count: int = 0

    def add(self, number: int) -> None:
        self.count += 1
        if len(self.rows) < _LISTED:
            self.rows.append(number)


def _is_blank(cells: Sequence[str]) -> bool:
    return not "".join(cells).strip()


def _header(path: str, rows: Iterator[tuple[int, list[str]]], blank: _Blank) -> list[str]:
    for number, cells in rows:
        if _is_blank(cells):
            blank.add(number)
            continue
        width = max(i for i, cell in enumerate(cells) if cell.strip()) + 1
        return cells[:width]
    raise InputError(f"{path}: the first sheet is empty (no header row)")


@dataclass
class _Sheet:
    rows: Iterator[tuple[int, list[str]]]
    blank: _Blank
    width: int
    id_index: int
    batch_rows: int

    def batches(self, source: RegisterSource) -> Iterator[pa.RecordBatch]:
        numbers: list[int] = []
        pending: list[list[str]] = []
        for number, cells in self.rows:
            if _is_blank(cells):
                self.blank.add(number)
                continue
            source.rows_read += 1
            if not self._fits(cells, source):
                continue
            numbers.append(source.rows_read)
            pending.append(self._padded(cells))
            if len(pending) == self.batch_rows:
                yield _batch(source.schema, numbers, pending)
                numbers, pending = [], []
        if pending:
            yield _batch(source.schema, numbers, pending)
        if self.blank.count:
            source.warnings.append(blank_warning(_UNIT, self.blank.rows, self.blank.count))

    def _fits(self, cells: list[str], source: RegisterSource) -> bool:
        """False, with a structural reject, if a cell beyond the header is filled."""
        if len(cells) <= self.width or not any(cell.strip() for cell in cells[self.width :]):
            return True
        found = max(i for i, cell in enumerate(cells) if cell.strip()) + 1
        record_id = cells[self.id_index].strip() if 0 <= self.id_index < len(cells) else ""
        source.rejects.append(
            StructuralReject(
                row=source.rows_read,
                record_id=record_id,
                column="*",
                value=",".join(cells[:found]),
                error=f"expected {self.width} fields, found {found}",
            )
        )
        return False

    def _padded(self, cells: list[str]) -> list[str]:
        if len(cells) < self.width:
            return cells + [""] * (self.width - len(cells))
        return cells[: self.width]


def _batch(schema: pa.Schema, numbers: list[int], rows: list[list[str]]) -> pa.RecordBatch:
    columns = [pa.array(column, pa.string()) for column in zip(*rows, strict=True)]
    return pa.RecordBatch.from_arrays([pa.array(numbers, pa.int64()), *columns], schema=schema)


def _reason(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
