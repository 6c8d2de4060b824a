"""What the Spark engine decides without starting Spark: which specs it opens, how it
writes a back-reference, and how a Parquet output written as a directory of parts is put
in place (the parity with the other engines is in test_engines.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from nadzor.screening import InputError, open_engine, registered_engines
from nadzor.screening._engine_spark import _java_replacement
from nadzor.screening._write import Outputs, manifest_path, output_format


@pytest.mark.parametrize(
    ("spec", "opens"),
    [
        ("spark", True),
        ("local", True),
        ("local[2]", True),
        ("local[*]", True),
        ("localhost", False),
        ("duckdb", False),
        ("sparkle", False),
    ],
)
def test_the_spark_engine_accepts_its_names(spec: str, opens: bool) -> None:
    entry = registered_engines()["spark"]
    assert entry.accepts is not None
    assert (spec == entry.name or entry.accepts(spec)) is opens


def test_spark_urls_go_to_the_spark_engine() -> None:
    entry = registered_engines()["spark"]
    assert {"spark", "sc"} <= set(entry.schemes)


def test_an_unknown_engine_names_the_spark_choices() -> None:
    with pytest.raises(InputError, match="spark") as caught:
        open_engine("oracle://x")
    assert "a spark:// URL" in str(caught.value)


@pytest.mark.parametrize(
    ("python", "java"),
    [(r"\3-\2-\1", "$3-$2-$1"), (r"\1", "$1"), ("a$b", r"a\$b"), (r"a\.b", r"a\.b"), ("", "")],
)
def test_back_references_are_written_as_java_reads_them(python: str, java: str) -> None:
    assert _java_replacement(python) == java


def _parts(directory: Path, rows: int) -> None:
    directory.mkdir()
    for n in range(2):
        table = pa.table({"record_id": [f"{n}-{i}" for i in range(rows)]})
        pq.write_table(table, directory / f"part-0000{n}.zstd.parquet")


def test_a_directory_of_parts_replaces_an_earlier_output(tmp_path: Path) -> None:
    target = tmp_path / "findings.parquet"
    pq.write_table(pa.table({"record_id": ["old"]}), target)  # an earlier run's file
    outputs = Outputs("run1")
    temp = outputs.reserve(target)
    temp.unlink()  # the engine writes a directory where the file was reserved
    _parts(temp, 3)
    outputs.commit()
    assert target.is_dir()
    assert sorted(pq.read_table(target).column("record_id").to_pylist())[0] == "0-0"
    assert pq.read_table(target).num_rows == 6
    files = json.loads(manifest_path(target).read_text(encoding="utf-8"))["files"]
    assert files[0]["path"] == "findings.parquet" and files[0]["bytes"] > 0
    # the directory is an output, not a wrong --out: a later run may replace it with a file
    assert output_format(target, "--out") == "parquet"
    later = Outputs("run2")
    temp = later.reserve(target)
    pq.write_table(pa.table({"record_id": ["new"]}), temp)
    later.commit()
    assert target.is_file()


def test_a_discarded_directory_of_parts_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "findings.parquet"
    outputs = Outputs("run1")
    temp = outputs.reserve(target)
    temp.unlink()
    _parts(temp, 1)
    outputs.discard()
    assert list(tmp_path.iterdir()) == []


def test_any_other_directory_is_still_refused_as_an_output(tmp_path: Path) -> None:
    target = tmp_path / "findings.parquet"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="is a directory"):
        output_format(target, "--out")
