"""open_register: the format comes from the content, and paths may be directories or globs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from nadzor.screening._open import open_register
from nadzor.screening._source import InputError, RegisterSource


def write_parquet(path: Path, ids: list[str]) -> Path:
    pq.write_table(
        pa.table({"record_id": ids, "callup_date": [dt.date(2022, 9, 28)] * len(ids)}), path
    )
    return path


def write_xlsx(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["record_id", "callup_date"])
    sheet.append(["x1", dt.date(2022, 9, 28)])
    workbook.save(path)
    return path


def ids(source: RegisterSource) -> list[tuple[Any, Any]]:
    table = source.reader().read_all()
    return list(
        zip(table.column("_row").to_pylist(), table.column("record_id").to_pylist(), strict=True)
    )


def test_csv(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("record_id,sex\nc1,M\n", encoding="utf-8")
    source = open_register(str(path))
    assert (source.format, source.path) == ("csv", str(path))
    assert ids(source) == [(1, "c1")]


def test_format_comes_from_content_not_extension(tmp_path: Path) -> None:
    csv_named_parquet = tmp_path / "csv.parquet"
    csv_named_parquet.write_text("record_id\nc1\n", encoding="utf-8")
    parquet_named_csv = write_parquet(tmp_path / "parquet.csv", ["p1"])
    xlsx_named_dat = write_xlsx(tmp_path / "sheet.dat")
    assert open_register(str(csv_named_parquet)).format == "csv"
    parquet = open_register(str(parquet_named_csv))
    assert parquet.format == "parquet"
    assert parquet.schema.field("callup_date").type == pa.date32()
    xlsx = open_register(str(xlsx_named_dat))
    assert xlsx.format == "xlsx"
    assert xlsx.reader().read_all().to_pylist() == [
        {"_row": 1, "record_id": "x1", "callup_date": "2022-09-28"}
    ]


def test_id_column_is_passed_on(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("sex,key\nM\n", encoding="utf-8")
    rejected = open_register(str(path), id_column="KEY")
    rejected.reader().read_all()
    assert rejected.rejects[0].record_id == ""
    path.write_text("sex,key\nM,k1,extra\n", encoding="utf-8")
    rejected = open_register(str(path), id_column="KEY")
    rejected.reader().read_all()
    assert rejected.rejects[0].record_id == "k1"


def test_directory_reads_its_parquet_files_in_sorted_order(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    write_parquet(folder / "part-2.parquet", ["b1", "b2"])
    write_parquet(folder / "part-1.parquet", ["a1"])
    (folder / "_SUCCESS").write_text("", encoding="utf-8")
    (folder / "notes.txt").write_text("not a register", encoding="utf-8")
    source = open_register(str(folder))
    assert (source.format, source.path) == ("parquet", str(folder))
    assert ids(source) == [(1, "a1"), (2, "b1"), (3, "b2")]


def test_glob_reads_matching_files_in_sorted_order(tmp_path: Path) -> None:
    write_parquet(tmp_path / "b.parquet", ["b1"])
    write_parquet(tmp_path / "a.parquet", ["a1", "a2"])
    write_parquet(tmp_path / "other.pq", ["o1"])
    source = open_register(str(tmp_path / "*.parquet"))
    assert ids(source) == [(1, "a1"), (2, "a2"), (3, "b1")]


def test_glob_of_non_parquet_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("record_id\nc1\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"a\.csv is not a Parquet file"):
        open_register(str(tmp_path / "*.csv"))


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "no such file: {path}"),
        ("empty_dir", "no Parquet files in directory {path}"),
        ("no_match", "no files match {path}"),
        ("zero_bytes", "{path} is empty (0 bytes): expected a CSV, Parquet or XLSX file"),
        ("nul_bytes", "{path} is not a CSV, Parquet or XLSX file"),
        ("control_bytes", "{path} is not a CSV, Parquet or XLSX file"),
        ("utf16", "{path} is not a CSV, Parquet or XLSX file"),
    ],
)
def test_whole_file_problems(tmp_path: Path, setup: str, message: str) -> None:
    path = _problem(tmp_path, setup)
    with pytest.raises(InputError) as caught:
        open_register(path)
    assert str(caught.value) == message.format(path=path)


def _problem(tmp_path: Path, setup: str) -> str:
    path = tmp_path / "register.csv"
    contents: dict[str, Any] = {
        "zero_bytes": b"",
        "nul_bytes": b"record_id,sex\nr1,\x00\x00\x00M\n",
        "control_bytes": bytes(range(1, 9)) * 200,
        "utf16": "record_id,sex\nr1,M\n".encode("utf-16"),
    }
    if setup in contents:
        path.write_bytes(contents[setup])
    elif setup == "empty_dir":
        path = tmp_path / "folder"
        path.mkdir()
    elif setup == "no_match":
        path = tmp_path / "*.parquet"
    return str(path)


def test_legacy_text_is_not_mistaken_for_binary(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes("record_id,sex\nr1,М\n".encode("cp1251"))
    source = open_register(str(path))
    assert source.format == "csv"
    assert source.reader().read_all().column("sex").to_pylist() == ["М"]


def test_corrupt_parquet_and_xlsx(tmp_path: Path) -> None:
    parquet = tmp_path / "bad.parquet"
    parquet.write_bytes(b"PAR1 this is not parquet at all")
    xlsx = tmp_path / "bad.xlsx"
    xlsx.write_bytes(b"PK\x03\x04 this is not a workbook")
    with pytest.raises(InputError, match="is not a readable Parquet file"):
        open_register(str(parquet))
    with pytest.raises(InputError, match="is not a readable XLSX file"):
        open_register(str(xlsx))


def test_batch_rows_must_be_positive(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="batch_rows"):
        open_register(str(tmp_path / "r.csv"), batch_rows=0)
