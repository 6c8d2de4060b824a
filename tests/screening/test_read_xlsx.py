"""The XLSX reader: first sheet, typed cells as text, blank rows, structural rejects."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pytest

from nadzor.screening._read_xlsx import read_xlsx
from nadzor.screening._source import InputError, RegisterSource, StructuralReject


def write(path: Path, cells: dict[tuple[int, int], Any], *, second_sheet: bool = False) -> Path:
    """A workbook whose first sheet has `cells` at (row, column), both counted from 1."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "register"
    for (row, column), value in cells.items():
        sheet.cell(row=row, column=column, value=value)
    if second_sheet:
        workbook.create_sheet("other").cell(row=1, column=1, value="not read")
    workbook.save(path)
    return path


def table(*rows: list[Any], top: int = 1) -> dict[tuple[int, int], Any]:
    return {
        (top + r, c + 1): value
        for r, row in enumerate(rows)
        for c, value in enumerate(row)
        if value is not None
    }


def open_xlsx(
    path: Path, *, id_column: str | None = "record_id", batch_rows: int = 65536
) -> RegisterSource:
    return read_xlsx(str(path), id_column=id_column, batch_rows=batch_rows)


def rows(source: RegisterSource) -> list[dict[str, Any]]:
    return [row for batch in source.batches() for row in batch.to_pylist()]


def test_typed_cells_become_text(tmp_path: Path) -> None:
    path = write(
        tmp_path / "r.xlsx",
        table(
            ["record_id", "birth_date", "ru_citizen", "weeks", "ratio", "stamp", "note"],
            ["r1", dt.date(1990, 5, 14), True, 22, 22.5, dt.datetime(2022, 9, 28, 10, 30), " М "],
            ["r2", dt.datetime(1990, 5, 14), False, 22.0, None, None, "да"],
        ),
    )
    source = open_xlsx(path)
    assert source.format == "xlsx"
    assert source.columns == [
        "record_id",
        "birth_date",
        "ru_citizen",
        "weeks",
        "ratio",
        "stamp",
        "note",
    ]
    assert all(source.schema.field(name).type == pa.string() for name in source.columns)
    assert rows(source) == [
        {
            "_row": 1,
            "record_id": "r1",
            "birth_date": "1990-05-14",
            "ru_citizen": "true",
            "weeks": "22",
            "ratio": "22.5",
            "stamp": "2022-09-28T10:30:00",
            "note": " М ",
        },
        {
            "_row": 2,
            "record_id": "r2",
            "birth_date": "1990-05-14",
            "ru_citizen": "false",
            "weeks": "22",
            "ratio": "",
            "stamp": "",
            "note": "да",
        },
    ]
    assert source.warnings == [] and source.rejects == [] and source.rows_read == 2


def test_only_the_first_sheet_is_read(tmp_path: Path) -> None:
    path = write(tmp_path / "r.xlsx", table(["record_id"], ["r1"]), second_sheet=True)
    assert rows(open_xlsx(path)) == [{"_row": 1, "record_id": "r1"}]


def test_header_is_the_first_non_blank_row_and_names_are_trimmed(tmp_path: Path) -> None:
    path = write(tmp_path / "r.xlsx", table([" Record_ID ", "sex"], ["r1", "M"], top=3))
    source = open_xlsx(path)
    assert source.columns == ["Record_ID", "sex"]
    assert rows(source) == [{"_row": 1, "Record_ID": "r1", "sex": "M"}]
    assert source.warnings == ["2 blank sheet rows skipped (sheet rows 1, 2)"]


def test_blank_rows_are_skipped_unnumbered_with_a_warning(tmp_path: Path) -> None:
    cells = table(
        ["record_id", "sex"], ["r1", "M"], [None, None], ["r2", "F"], ["  ", None], ["r3", "M"]
    )
    source = open_xlsx(write(tmp_path / "r.xlsx", cells))
    assert [(row["_row"], row["record_id"]) for row in rows(source)] == [
        (1, "r1"),
        (2, "r2"),
        (3, "r3"),
    ]
    assert source.warnings == ["2 blank sheet rows skipped (sheet rows 3, 5)"]


def test_one_blank_row(tmp_path: Path) -> None:
    cells = table(["record_id"], ["r1"], [None], ["r2"])
    source = open_xlsx(write(tmp_path / "r.xlsx", cells))
    rows(source)
    assert source.warnings == ["sheet row 3 is blank: skipped (not a record)"]


def test_cells_beyond_the_header_reject_the_row(tmp_path: Path) -> None:
    cells = table(["sex", "record_id"], ["M", "r1"], ["F", " r2 ", None, "extra"], ["M", "r3"])
    source = open_xlsx(write(tmp_path / "r.xlsx", cells))
    assert [(row["_row"], row["record_id"]) for row in rows(source)] == [(1, "r1"), (3, "r3")]
    assert source.rejects == [
        StructuralReject(2, "r2", "*", "F, r2 ,,extra", "expected 2 fields, found 4")
    ]
    assert source.rows_read == 3


def test_short_rows_are_padded(tmp_path: Path) -> None:
    cells = table(["record_id", "sex", "region"], ["r1"], ["r2", "F", "x"])
    assert rows(open_xlsx(write(tmp_path / "r.xlsx", cells))) == [
        {"_row": 1, "record_id": "r1", "sex": "", "region": ""},
        {"_row": 2, "record_id": "r2", "sex": "F", "region": "x"},
    ]


def test_header_only_sheet(tmp_path: Path) -> None:
    source = open_xlsx(write(tmp_path / "r.xlsx", table(["record_id", "sex"])))
    assert source.schema.names == ["_row", "record_id", "sex"]
    assert rows(source) == []
    assert source.rows_read == 0


def test_empty_sheet_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="first sheet is empty"):
        open_xlsx(write(tmp_path / "r.xlsx", {}))


def test_duplicate_header(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"^duplicate column\(s\) in header: Sex$"):
        open_xlsx(write(tmp_path / "r.xlsx", table(["sex", "Sex"], ["M", "M"])))


def test_batches_and_numbering(tmp_path: Path) -> None:
    cells = table(["record_id"], *([f"r{i}"] for i in range(1, 251)))
    source = open_xlsx(write(tmp_path / "r.xlsx", cells), batch_rows=100)
    batches = list(source.batches())
    assert [batch.num_rows for batch in batches] == [100, 100, 50]
    assert all(batch.schema == source.schema for batch in batches)
    assert [n for batch in batches for n in batch.column("_row").to_pylist()] == list(range(1, 251))


def test_corrupt_workbook_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"junk" * 100)
    with pytest.raises(InputError, match="is not a readable XLSX file"):
        open_xlsx(path)
