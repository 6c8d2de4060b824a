"""Registers at URLs: Spark reads them itself (`file://` is Hadoop's local filesystem, as
`hdfs://` or `s3a://` would be a cluster's), with the same rejects, rules and outputs as
nadzor's own readers give for the local file; the other engines refuse them in one line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from nadzor.screening import InputError, ScreenReport, ScreenRequest, screen
from tests.conftest import EXAMPLES, CliResult, finding_keys
from tests.screening.test_engines import MALFORMED, RULEBOOK, _same_outputs


def _request(register: str, out: Path, engine: str) -> ScreenRequest:
    out.mkdir(parents=True, exist_ok=True)
    return ScreenRequest(
        register=register,
        rulebook=RULEBOOK,
        out=out / "findings.csv",
        rejects=out / "rejects.csv",
        summary=out / "summary.csv",
        as_of=dt.date(2023, 6, 1),
        engine=engine,
    )


def _same_runs(local: ScreenReport, remote: ScreenReport) -> None:
    assert (remote.rows_read, remote.screened, remote.rejected) == (
        local.rows_read,
        local.screened,
        local.rejected,
    )
    assert remote.warnings == local.warnings
    assert remote.rules == local.rules


@pytest.mark.parametrize("url", ["file:///tmp/register.csv", "hdfs://namenode:8020/r.parquet"])
def test_a_register_url_needs_a_spark_engine(url: str, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="only Spark reads: use --engine") as caught:
        screen(_request(url, tmp_path, "duckdb"))
    assert "\n" not in str(caught.value)


def test_the_command_refuses_a_register_url_in_one_line(run_cli: object, tmp_path: Path) -> None:
    result: CliResult = run_cli(  # type: ignore[operator]
        "screen", "s3a://bucket/register.parquet", "--out", tmp_path / "findings.csv"
    )
    assert result.code == 2
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1 and "--engine" in lines[0], result.err


def test_a_csv_register_at_a_url_gives_the_same_outputs(spark_spec: str, tmp_path: Path) -> None:
    register = EXAMPLES / "ru-2022-register.csv"
    if not register.is_file():
        pytest.skip("the spec's examples are not beside the project")
    local = screen(_request(str(register), tmp_path / "local", "duckdb"))
    remote = screen(_request(register.as_uri(), tmp_path / "remote", spark_spec))
    _same_runs(local, remote)
    _same_outputs(tmp_path / "local", tmp_path / "remote")


def test_a_parquet_glob_at_a_url_gives_the_same_outputs(spark_spec: str, tmp_path: Path) -> None:
    """Two files named by a glob, numbered across the files in the order of their names."""
    import pyarrow as pa
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    source = EXAMPLES / "ru-2022-register.csv"
    if not source.is_file():
        pytest.skip("the spec's examples are not beside the project")
    columns = [c.name for c in RULEBOOK.record_type.columns]
    table = pacsv.read_csv(
        source, convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(columns, "string"))
    )
    folder = tmp_path / "register"
    folder.mkdir()
    half = table.num_rows // 2
    pq.write_table(table.slice(0, half), folder / "part-0.parquet")
    # a NUL in a value: a reject naming the row and the column, as the local reader gives
    rest = table.slice(half).to_pylist()
    rest[0]["rank_group"] = "sol\x00dier"
    pq.write_table(pa.Table.from_pylist(rest, schema=table.schema), folder / "part-1.parquet")
    local = screen(_request(str(folder), tmp_path / "local", "duckdb"))
    remote = screen(_request(f"{folder.as_uri()}/part-*.parquet", tmp_path / "remote", spark_spec))
    assert local.rejected >= 1
    _same_runs(local, remote)
    _same_outputs(tmp_path / "local", tmp_path / "remote")


def test_a_malformed_csv_read_by_spark_gives_the_same_rejects(
    spark_spec: str, tmp_path: Path
) -> None:
    """Rows of the wrong shape, an unbalanced quote, a NUL, blank lines and a BOM: the
    rejects Spark finds name the same rows and fields as nadzor's reader does."""
    register = tmp_path / "malformed.csv"
    lines = [MALFORMED[0], "", *MALFORMED[1:4], "  ", *MALFORMED[4:]]
    register.write_bytes(b"\xef\xbb\xbf" + ("\r\n".join(lines) + "\r\n").encode("utf-8"))
    local = screen(_request(str(register), tmp_path / "local", "duckdb"))
    remote = screen(_request(register.as_uri(), tmp_path / "remote", spark_spec))
    assert local.rejected >= 6
    _same_runs(local, remote)
    _same_outputs(tmp_path / "local", tmp_path / "remote")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty (0 bytes)"),
        ("\n  \n", "has no header line"),
        ("record_id,callup_date\rr1,2022-09-28\r", "ends its lines with CR only"),
        ("record_id,Record_ID\nr1,r1\n", "duplicate column(s) in header: Record_ID"),
        ("record_id,callup_date\nr1,2022-09-28\n", "missing required column(s)"),
    ],
    ids=["zero-bytes", "blank-lines", "cr-only", "duplicate-names", "missing-columns"],
)
def test_whole_file_problems_of_a_csv_read_by_spark_are_one_line(
    spark_spec: str, tmp_path: Path, text: str, message: str
) -> None:
    register = tmp_path / "bad.csv"
    register.write_text(text, encoding="utf-8", newline="")
    with pytest.raises(InputError) as local:
        screen(_request(str(register), tmp_path / "local", "duckdb"))
    with pytest.raises(InputError) as remote:
        screen(_request(register.as_uri(), tmp_path / "remote", spark_spec))
    assert message in str(local.value)
    assert str(remote.value) == str(local.value).replace(str(register), register.as_uri())


def test_an_unreachable_namenode_is_one_line(spark_spec: str, tmp_path: Path) -> None:
    """The URL reaches Spark's reader unchanged; what Hadoop says is one line, no stack."""
    url = "hdfs://127.0.0.1:1/registers/register.parquet"
    with pytest.raises(InputError) as caught:
        screen(_request(url, tmp_path, spark_spec))
    message = str(caught.value)
    assert message.startswith(f"cannot read {url} with Spark: ")
    assert "\n" not in message and "\tat " not in message
    # what went wrong, from Hadoop's client, not only which call failed
    assert "connection" in message.lower(), message
    assert "An error occurred while calling" not in message


@pytest.mark.parametrize(
    ("flag", "value", "message"),
    [
        ("--out", "s3a://bucket/findings.parquet", "which only Spark writes: use --engine"),
        ("--out", "file:///tmp/findings.csv", "an output at a URL must be .parquet"),
        ("--summary", "hdfs://nn:8020/summary.csv", "an output at a URL must be .parquet"),
    ],
)
def test_an_output_url_needs_spark_and_parquet(
    run_cli: object, examples: Path, tmp_path: Path, flag: str, value: str, message: str
) -> None:
    args = ["screen", examples / "ru-2022-register.csv", "--out", tmp_path / "findings.csv"]
    result: CliResult = run_cli(*args, flag, value)  # type: ignore[operator]
    assert result.code == 2
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], result.err
    assert list(tmp_path.iterdir()) == []


def test_outputs_at_urls_are_written_by_spark(
    run_cli: object, spark_spec: str, examples: Path, tmp_path: Path
) -> None:
    """`--out` and `--summary` at URLs: Parquet parts written there by Spark, the rejects
    beside them as `rejects.parquet`; the same rows as DuckDB writes locally."""
    register = examples / "ru-2022-register.csv"
    local, remote = tmp_path / "local", tmp_path / "remote"
    local.mkdir()
    for out, engine, target in (
        (local, "duckdb", str(local)),
        (remote, spark_spec, remote.as_uri()),
    ):
        result: CliResult = run_cli(  # type: ignore[operator]
            "screen",
            register.as_uri() if engine == spark_spec else register,
            "--engine",
            engine,
            "--out",
            f"{target}/findings.parquet",
            "--summary",
            f"{target}/summary.parquet",
            "--as-of",
            "2023-06-01",
            *([] if engine == spark_spec else ["--rejects", out / "rejects.parquet"]),
        )
        assert result.code in (0, 3), result.err
    assert (remote / "findings.parquet").is_dir()
    assert finding_keys(remote / "findings.parquet") == finding_keys(local / "findings.parquet")
    for name in ("summary.parquet", "rejects.parquet"):
        if (local / name).exists():
            assert _rows(remote / name) == _rows(local / name), name
        else:
            assert _rows(remote / name) == []


def _rows(path: Path) -> list[str]:
    import pyarrow.parquet as pq

    return sorted(str(sorted(row.items())) for row in pq.read_table(path).to_pylist())
