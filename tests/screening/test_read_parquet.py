"""The Parquet reader: typed columns kept, files read as one register, numbered across files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from nadzor.screening._read_parquet import read_parquet
from nadzor.screening._source import InputError, RegisterSource


def write(path: Path, columns: dict[str, Any], **options: Any) -> str:
    pq.write_table(pa.table(columns), path, **options)
    return str(path)


def open_parquet(*paths: str, batch_rows: int = 65536) -> RegisterSource:
    return read_parquet(list(paths), label=paths[0], batch_rows=batch_rows)


def rows(source: RegisterSource) -> list[dict[str, Any]]:
    return [row for batch in source.batches() for row in batch.to_pylist()]


def test_typed_columns_keep_their_types(tmp_path: Path) -> None:
    path = write(
        tmp_path / "r.parquet",
        {
            "record_id": pa.array(["a", "b"]),
            "callup_date": pa.array([dt.date(2022, 9, 28), None]),
            "ru_citizen": pa.array([True, None]),
            "wife_pregnancy_weeks": pa.array([22, None], pa.int32()),
            "children_birth_dates": pa.array([[dt.date(2010, 1, 1)], []], pa.list_(pa.date32())),
            "conviction_articles": pa.array([["131", "205.1"], None], pa.list_(pa.string())),
            "stamp": pa.array([dt.datetime(2022, 9, 28), None], pa.timestamp("us")),
        },
    )
    source = open_parquet(path)
    assert source.format == "parquet"
    types = {field.name: field.type for field in source.schema}
    assert types == {
        "_row": pa.int64(),
        "record_id": pa.string(),
        "callup_date": pa.date32(),
        "ru_citizen": pa.bool_(),
        "wife_pregnancy_weeks": pa.int32(),
        "children_birth_dates": pa.list_(pa.date32()),
        "conviction_articles": pa.list_(pa.string()),
        "stamp": pa.timestamp("us"),
    }
    got = rows(source)
    assert got[0]["_row"] == 1 and got[1]["_row"] == 2
    assert got[0]["children_birth_dates"] == [dt.date(2010, 1, 1)]
    assert got[1]["callup_date"] is None
    assert source.rows_read == 2
    assert source.warnings == [] and source.rejects == []


def test_storage_variants_become_plain_types(tmp_path: Path) -> None:
    path = write(
        tmp_path / "r.parquet",
        {
            "record_id": pa.array(["a", "b", "a"]).dictionary_encode(),
            "region": pa.array(["x", "y", None], pa.large_string()),
            "conviction_articles": pa.array([["131"], [], None], pa.large_list(pa.large_string())),
        },
    )
    source = open_parquet(path)
    assert [field.type for field in source.schema] == [
        pa.int64(),
        pa.string(),
        pa.string(),
        pa.list_(pa.string()),
    ]
    assert rows(source) == [
        {"_row": 1, "record_id": "a", "region": "x", "conviction_articles": ["131"]},
        {"_row": 2, "record_id": "b", "region": "y", "conviction_articles": []},
        {"_row": 3, "record_id": "a", "region": None, "conviction_articles": None},
    ]


def test_column_names_are_trimmed_not_case_folded(tmp_path: Path) -> None:
    source = open_parquet(write(tmp_path / "r.parquet", {" Record_ID ": ["a"], "sex ": ["M"]}))
    assert source.columns == ["Record_ID", "sex"]
    assert source.schema.names == ["_row", "Record_ID", "sex"]
    assert rows(source) == [{"_row": 1, "Record_ID": "a", "sex": "M"}]


def test_duplicate_names_after_trimming_and_case_folding(tmp_path: Path) -> None:
    path = write(tmp_path / "r.parquet", {"sex": ["M"], " SEX": ["M"]})
    with pytest.raises(InputError, match=r"^duplicate column\(s\) in header: SEX$"):
        open_parquet(path)


def test_rows_are_numbered_across_files_and_batches(tmp_path: Path) -> None:
    first = write(
        tmp_path / "a.parquet", {"record_id": [f"a{i}" for i in range(2500)]}, row_group_size=700
    )
    second = write(tmp_path / "b.parquet", {"record_id": [f"b{i}" for i in range(1200)]})
    source = open_parquet(first, second, batch_rows=1000)
    batches = list(source.batches())
    assert all(batch.num_rows <= 1000 for batch in batches)
    assert all(batch.schema == source.schema for batch in batches)
    numbers = [n for batch in batches for n in batch.column("_row").to_pylist()]
    ids = [i for batch in batches for i in batch.column("record_id").to_pylist()]
    assert numbers == list(range(1, 3701))
    assert ids[2499:2501] == ["a2499", "b0"]
    assert source.rows_read == 3700


def test_files_may_order_and_case_their_columns_differently(tmp_path: Path) -> None:
    first = write(tmp_path / "a.parquet", {"record_id": ["a"], "sex": ["M"]})
    second = write(tmp_path / "b.parquet", {"SEX": ["F"], " Record_Id": ["b"]})
    source = open_parquet(first, second)
    assert source.columns == ["record_id", "sex"]
    assert rows(source) == [
        {"_row": 1, "record_id": "a", "sex": "M"},
        {"_row": 2, "record_id": "b", "sex": "F"},
    ]


def test_files_with_other_columns_are_refused(tmp_path: Path) -> None:
    first = write(tmp_path / "a.parquet", {"record_id": ["a"], "sex": ["M"]})
    second = write(tmp_path / "b.parquet", {"record_id": ["b"], "region": ["x"]})
    with pytest.raises(InputError) as caught:
        open_parquet(first, second)
    assert (
        str(caught.value) == f"{second} has other columns than {first}: missing sex; extra region"
    )


def test_disagreeing_types_are_read_as_text(tmp_path: Path) -> None:
    first = write(
        tmp_path / "a.parquet",
        {
            "record_id": ["a", "b"],
            "callup_date": pa.array([dt.date(2022, 9, 28), None]),
            "ru_citizen": pa.array([True, False]),
            "children_birth_dates": pa.array([[dt.date(2010, 1, 1), dt.date(2012, 2, 2)], []]),
            "weeks": pa.array([22.0, 22.5]),
            "stamp": pa.array([dt.datetime(2022, 9, 28), dt.datetime(2022, 9, 28, 10, 30)]),
        },
    )
    second = write(
        tmp_path / "b.parquet",
        {
            "record_id": ["c"],
            "callup_date": ["28.09.2022"],
            "ru_citizen": ["да"],
            "children_birth_dates": ["2010-01-01"],
            "weeks": pa.array([7]),
            "stamp": ["2022-09-28"],
        },
    )
    source = open_parquet(first, second)
    assert all(field.type == pa.string() for field in source.schema if field.name != "_row")
    got = rows(source)
    assert got[0] == {
        "_row": 1,
        "record_id": "a",
        "callup_date": "2022-09-28",
        "ru_citizen": "true",
        "children_birth_dates": "2010-01-01;2012-02-02",
        "weeks": "22",
        "stamp": "2022-09-28",
    }
    assert got[1]["callup_date"] is None
    assert got[1]["children_birth_dates"] == ""
    assert got[1]["weeks"] == "22.5"
    assert got[1]["stamp"].startswith("2022-09-28 10:30")
    assert got[2]["ru_citizen"] == "да"
    assert len(source.warnings) == 5
    assert (
        source.warnings[0]
        == "column callup_date has different types in the files (date32[day], string): read as text"
    )


def test_compatible_types_are_not_turned_into_text(tmp_path: Path) -> None:
    first = write(
        tmp_path / "a.parquet",
        {"record_id": ["a"], "n": pa.array([1], pa.int32()), "d": pa.array([None])},
    )
    second = write(
        tmp_path / "b.parquet",
        {"record_id": ["b"], "n": pa.array([2], pa.int64()), "d": pa.array([dt.date(2022, 1, 1)])},
    )
    source = open_parquet(first, second)
    assert source.schema.field("n").type == pa.int64()
    assert source.schema.field("d").type == pa.date32()
    assert [(row["n"], row["d"]) for row in rows(source)] == [(1, None), (2, dt.date(2022, 1, 1))]
    assert source.warnings == []


def test_list_of_text_with_large_list_in_one_file(tmp_path: Path) -> None:
    first = write(
        tmp_path / "a.parquet", {"a": pa.array([["x"]], pa.large_list(pa.large_string()))}
    )
    second = write(tmp_path / "b.parquet", {"a": pa.array([["y", "z"]], pa.list_(pa.string()))})
    source = open_parquet(first, second)
    assert source.schema.field("a").type == pa.list_(pa.string())
    assert [row["a"] for row in rows(source)] == [["x"], ["y", "z"]]


def test_empty_file_has_a_header_and_no_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "r.parquet", {"record_id": pa.array([], pa.string())})
    source = open_parquet(path)
    assert source.columns == ["record_id"]
    assert rows(source) == []
    assert source.rows_read == 0


def test_corrupt_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "r.parquet"
    path.write_bytes(b"PAR1" + b"\x00garbage" * 10)
    with pytest.raises(InputError, match="is not a readable Parquet file"):
        open_parquet(str(path))


def test_truncated_file_is_an_input_error(tmp_path: Path) -> None:
    path = write(tmp_path / "r.parquet", {"record_id": [f"r{i}" for i in range(1000)]})
    data = Path(path).read_bytes()
    Path(path).write_bytes(data[: len(data) // 2] + data[-8:])
    with pytest.raises(InputError, match="is not a readable Parquet file"):
        rows(open_parquet(path))
