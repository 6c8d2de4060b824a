"""Parquet registers: directories of files numbered as one register, typed and text columns."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from tests.conftest import EXAMPLES, call_cli, finding_keys, read_csv_rows

REGISTER = EXAMPLES / "ru-2022-register.csv"


def _text_table() -> pa.Table:
    names = REGISTER.read_text(encoding="utf-8").splitlines()[0].split(",")
    options = pacsv.ConvertOptions(
        column_types={n: pa.string() for n in names}, strings_can_be_null=False
    )
    return pacsv.read_csv(REGISTER, convert_options=options)


@pytest.mark.skipif(not REGISTER.is_file(), reason="the spec's examples are not beside the project")
def test_a_directory_of_parquet_files_is_one_register_numbered_across_files(tmp_path: Path) -> None:
    table = _text_table()
    parts = tmp_path / "register"
    parts.mkdir()
    # Sorted path order decides the numbering: part-1 holds rows 1-20, part-2 rows 21-48.
    pq.write_table(table.slice(20), parts / "part-2.parquet")
    pq.write_table(table.slice(0, 20), parts / "part-1.parquet")
    code = call_cli("screen", parts, "--out", tmp_path / "findings.csv")
    assert code == 3
    assert finding_keys(tmp_path / "findings.csv") == finding_keys(
        EXAMPLES / "ru-2022-findings.csv"
    )
    rows = [int(r["row"]) for r in read_csv_rows(tmp_path / "rejects.csv")]
    assert rows == [41, 42, 43, 44, 45, 46, 47]


def test_typed_parquet_and_csv_of_the_same_register_give_the_same_findings(tmp_path: Path) -> None:
    assert (
        call_cli("synth", "--records", "3000", "--seed", "5", "--out", tmp_path / "r.parquet") == 0
    )
    assert call_cli("synth", "--records", "3000", "--seed", "5", "--out", tmp_path / "r.csv") == 0
    assert pa.types.is_date32(pq.read_schema(tmp_path / "r.parquet").field("callup_date").type)
    assert call_cli("screen", tmp_path / "r.parquet", "--out", tmp_path / "p.csv") == 0
    assert call_cli("screen", tmp_path / "r.csv", "--out", tmp_path / "c.csv") == 0
    typed = finding_keys(tmp_path / "p.csv")
    assert typed and typed == finding_keys(tmp_path / "c.csv")
    assert sorted(read_csv_rows(tmp_path / "p.csv"), key=str) == sorted(
        read_csv_rows(tmp_path / "c.csv"), key=str
    )


def test_typed_values_out_of_range_are_rejected_by_the_engine(tmp_path: Path) -> None:
    table = pa.table(
        {
            "record_id": ["a", "b", "c"],
            "callup_date": pa.array([pa.scalar(0, pa.date32()).as_py()] * 3, pa.date32()),
            "birth_date": pa.array(["1990-05-14"] * 3).cast(pa.date32()),
            "sex": ["M", "M", "M"],
            "ru_citizen": [True, True, True],
            "in_reserve": [True, True, True],
            "rank_group": ["soldier"] * 3,
            "health_category": ["A", "A", "A"],
            "wife_pregnancy_weeks": pa.array([10, 46, None], pa.int16()),
        }
    )
    table = table.set_column(1, "callup_date", pa.array(["2022-09-28"] * 3).cast(pa.date32()))
    pq.write_table(table, tmp_path / "typed.parquet")
    code = call_cli("screen", tmp_path / "typed.parquet", "--out", tmp_path / "f.csv")
    assert code == 3
    rejects = read_csv_rows(tmp_path / "rejects.csv")
    assert [(r["row"], r["column"], r["value"]) for r in rejects] == [
        ("2", "wife_pregnancy_weeks", "46")
    ]
