"""Files written by nadzor.synth: formats, schemas, determinism, atomic output."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from nadzor.synth import (
    COLUMNS,
    TEXT_SCHEMA,
    SynthError,
    SynthOptions,
    _register,
    generate_chunk,
    iter_chunks,
    write_register,
)

# The columns of records.md, in its order.
RECORDS_MD_COLUMNS = [
    "record_id",
    "callup_date",
    "birth_date",
    "sex",
    "ru_citizen",
    "in_reserve",
    "rank_group",
    "health_category",
    "health_exam_date",
    "children_birth_dates",
    "raises_children_alone",
    "wife_pregnancy_weeks",
    "cares_for_relative",
    "guardian_of_minor_sibling",
    "other_carers_available",
    "reserved_until",
    "full_time_student_until",
    "conviction_articles",
    "conviction_grave",
    "defence_industry_worker",
    "it_sector_worker",
    "legislator",
    "region",
    "commissariat",
]

RECORDS = 7_000
# Small chunks so that a few thousand rows already span several chunks.
CHUNK_ROWS = 2_000
SMALL = SynthOptions(records=RECORDS, chunk_rows=CHUNK_ROWS)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write(
    folder: Path, name: str, *, records: int = RECORDS, seed: int = 0, dirty: bool = False
) -> Path:
    target = folder / name
    options = SynthOptions(records=records, seed=seed, dirty=dirty, chunk_rows=CHUNK_ROWS)
    write_register(target, options)
    return target


def test_columns_are_those_of_records_md() -> None:
    assert list(COLUMNS) == RECORDS_MD_COLUMNS


@pytest.mark.parametrize("name", ["r.csv", "r.parquet"])
@pytest.mark.parametrize("dirty", [False, True])
def test_same_arguments_give_identical_bytes(tmp_path: Path, name: str, dirty: bool) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
    first = write(tmp_path / "a", name, dirty=dirty)
    second = write(tmp_path / "b", name, dirty=dirty)
    assert digest(first) == digest(second)


@pytest.mark.parametrize("name", ["r.csv", "r.parquet"])
def test_another_seed_gives_other_rows(tmp_path: Path, name: str) -> None:
    one = write(tmp_path, "1-" + name, seed=1)
    two = write(tmp_path, "2-" + name, seed=2)
    assert digest(one) != digest(two)


def test_chunks_do_not_depend_on_each_other_or_on_threads(tmp_path: Path) -> None:
    options = SMALL
    alone = generate_chunk(options, 2)
    in_sequence = [chunk.table for chunk in iter_chunks(options, workers=3)]
    assert alone.equals(in_sequence[2])
    sequential = tmp_path / "one.parquet"
    threaded = tmp_path / "three.parquet"
    write_register(sequential, options, workers=1)
    write_register(threaded, options, workers=3)
    assert digest(sequential) == digest(threaded)


def test_clean_parquet_is_typed(tmp_path: Path) -> None:
    table = pq.read_table(write(tmp_path, "r.parquet"))
    assert table.num_rows == RECORDS
    assert table.column_names == RECORDS_MD_COLUMNS
    types = {field.name: field.type for field in table.schema}
    for name in ["callup_date", "birth_date", "health_exam_date", "reserved_until"]:
        assert types[name] == pa.date32()
    for name in ["ru_citizen", "in_reserve", "legislator", "conviction_grave"]:
        assert types[name] == pa.bool_()
    assert types["wife_pregnancy_weeks"] in (pa.int16(), pa.int32())
    assert types["children_birth_dates"] == pa.list_(pa.date32())
    assert types["conviction_articles"] == pa.list_(pa.string())
    for name in ["record_id", "sex", "rank_group", "health_category", "region"]:
        assert types[name] == pa.string()
    metadata = pq.ParquetFile(tmp_path / "r.parquet").metadata
    assert metadata.num_row_groups == 4  # one per chunk


def test_dirty_parquet_is_all_text(tmp_path: Path) -> None:
    table = pq.read_table(write(tmp_path, "r.parquet", dirty=True))
    assert table.schema.remove_metadata().equals(TEXT_SCHEMA)


def test_csv_has_the_header_and_one_line_per_record(tmp_path: Path) -> None:
    with write(tmp_path, "r.csv", dirty=True).open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == RECORDS_MD_COLUMNS
    assert len(rows) == 1 + RECORDS
    assert all(len(row) == len(RECORDS_MD_COLUMNS) for row in rows)


def test_csv_values_have_the_documented_forms(tmp_path: Path) -> None:
    with write(tmp_path, "r.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    first = rows[0]
    assert dt.date.fromisoformat(first["callup_date"])
    assert {row["ru_citizen"] for row in rows} <= {"true", "false"}
    kids = [row["children_birth_dates"] for row in rows if ";" in row["children_birth_dates"]]
    assert kids and all(dt.date.fromisoformat(day) for day in kids[0].split(";"))
    assert any(row["raises_children_alone"] == "" for row in rows)  # not recorded


def test_csv_quotes_only_fields_that_need_it(tmp_path: Path) -> None:
    text = write(tmp_path, "r.csv", records=50_000, dirty=True).read_text(encoding="utf-8")
    quoted = [line for line in text.splitlines() if '"' in line]
    assert quoted, "some dirty article numbers contain a comma"
    assert all('"205,1"' in line for line in quoted)
    assert not text.startswith('"')


@pytest.mark.parametrize("dirty", [False, True])
def test_zero_records_write_a_header_only_file(tmp_path: Path, dirty: bool) -> None:
    csv_file = write(tmp_path, "r.csv", records=0, dirty=dirty)
    assert csv_file.read_text(encoding="utf-8") == ",".join(RECORDS_MD_COLUMNS) + "\n"
    table = pq.read_table(write(tmp_path, "r.parquet", records=0, dirty=dirty))
    assert table.num_rows == 0
    assert table.column_names == RECORDS_MD_COLUMNS


def test_parquet_says_it_is_synthetic(tmp_path: Path) -> None:
    schema = pq.read_schema(write(tmp_path, "r.parquet", seed=5))
    assert b"nadzor synth" in (schema.metadata or {})[b"nadzor.synth"]


@pytest.mark.parametrize("name", ["r.txt", "r.xlsx", "r"])
def test_unknown_extension_is_refused_before_any_work(tmp_path: Path, name: str) -> None:
    with pytest.raises(SynthError, match="extension"):
        write(tmp_path, name)
    assert list(tmp_path.iterdir()) == []


def test_a_failure_leaves_no_file_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = _register.make_chunk

    def failing(options: SynthOptions, index: int) -> _register.Chunk:
        if index == 2:
            raise KeyboardInterrupt
        return real(options, index)

    monkeypatch.setattr(_register, "make_chunk", failing)
    for name in ["r.csv", "r.parquet"]:
        with pytest.raises(KeyboardInterrupt):
            write(tmp_path, name)
    assert list(tmp_path.iterdir()) == []


def test_a_failure_keeps_an_older_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "r.csv"
    target.write_text("old\n", encoding="utf-8")

    def failing(options: SynthOptions, index: int) -> _register.Chunk:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(_register, "make_chunk", failing)
    with pytest.raises(RuntimeError):
        write(tmp_path, "r.csv")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [path.name for path in tmp_path.iterdir()] == ["r.csv"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: SynthOptions(records=-1), "--records"),
        (lambda: SynthOptions(records=10, seed=-1), "--seed"),
        (
            lambda: SynthOptions(
                records=10, callup_from=dt.date(2023, 1, 2), callup_to=dt.date(2023, 1, 1)
            ),
            "after",
        ),
        (lambda: SynthOptions(records=10, callup_from=dt.date(1900, 1, 1)), "within"),
        (lambda: SynthOptions(records=10, chunk_rows=0), "chunk_rows"),
    ],
)
def test_unusable_options_are_refused(make: Callable[[], SynthOptions], message: str) -> None:
    with pytest.raises(SynthError, match=message):
        make()
