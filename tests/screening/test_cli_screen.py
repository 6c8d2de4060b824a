"""`nadzor screen` as a command: whole-file problems, exit codes, outputs left behind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, CliResult, read_csv_rows

HEADER = (
    (EXAMPLES / "ru-2022-register.csv").read_text(encoding="utf-8").splitlines()[0]
    if (EXAMPLES / "ru-2022-register.csv").is_file()
    else ""
)
ROW = "r1,2022-09-28,1990-05-14,M,true,true,soldier,A,2022-09-27,,,,,,,,,,,,,,Sverdlovsk Oblast,Yekaterinburg city"

Run = Callable[..., CliResult]


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def _one_line_error(result: CliResult) -> str:
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, result.err
    assert lines[0].startswith("nadzor: error: ")
    return lines[0]


def _no_outputs(directory: Path) -> None:
    leftovers = [
        p.name
        for p in directory.iterdir()
        if p.name.startswith(("findings", "rejects", "summary", "."))
    ]
    assert leftovers == []


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.csv", "no such file"),
        (lambda d: _write(d / "empty.csv", ""), "empty (0 bytes)"),
        (
            lambda d: (d / "junk.csv").write_bytes(bytes(range(256)) * 40) and d / "junk.csv",
            "not a CSV, Parquet or XLSX file",
        ),
        (
            lambda d: _write(
                d / "cols.csv",
                "record_id,callup_date,ru_citizen,in_reserve,rank_group\nr1,2022-09-28,true,true,soldier\n",
            ),
            "missing required column(s): birth_date, sex",
        ),
    ],
    ids=["missing-file", "zero-bytes", "binary", "missing-columns"],
)
def test_whole_file_problems_exit_2_with_one_line_and_no_output(
    run_cli: Run, tmp_path: Path, make: Callable[[Path], Path], message: str
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    register = make(inputs)
    out = tmp_path / "out"
    out.mkdir()
    result = run_cli(
        "screen", register, "--out", out / "findings.csv", "--summary", out / "summary.csv"
    )
    assert result.code == 2
    assert message in _one_line_error(result)
    _no_outputs(out)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rulebook", "xx-1999"], "unknown rulebook 'xx-1999'"),
        (
            ["--as-of", "2022-09-01"],
            "--as-of 2022-09-01 is before rulebook ru-2022 (in force from 2022-09-21)",
        ),
        (["--as-of", "01/06/2023"], "not a date"),
        (["--out", "findings.json"], "the extension must be .csv or .parquet"),
        (["--summary", "summary.txt"], "the extension must be .csv or .parquet"),
        (["--engine", "oracle://x"], "unknown engine"),
    ],
)
def test_unusable_flags_exit_2_and_win_over_row_errors(
    run_cli: Run,
    examples: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("screen", examples / "ru-2022-register.csv", *args)
    assert result.code == 2
    assert message in _one_line_error(result)
    _no_outputs(tmp_path)


def test_header_only_file_exits_0_with_empty_outputs(run_cli: Run, tmp_path: Path) -> None:
    register = _write(tmp_path / "header.csv", HEADER + "\n")
    stale = _write(tmp_path / "rejects.csv", "left over from an earlier run\n")
    result = run_cli(
        "screen",
        register,
        "--out",
        tmp_path / "findings.csv",
        "--summary",
        tmp_path / "summary.csv",
    )
    assert result.code == 0, result.err
    assert (tmp_path / "findings.csv").read_text().splitlines() == [
        '"record_id","rule_id","outcome","deferment_until","basis","explanation","rulebook"'
    ] or read_csv_rows(tmp_path / "findings.csv") == []
    assert read_csv_rows(tmp_path / "summary.csv") == []
    assert not stale.exists(), "a stale rejects file from an earlier run must be removed"


def test_clean_register_exits_0_and_prints_the_counts(run_cli: Run, tmp_path: Path) -> None:
    register = _write(tmp_path / "one.csv", HEADER + "\n" + ROW + "\n")
    result = run_cli("screen", register, "--out", tmp_path / "findings.csv")
    assert result.code == 0, result.err
    assert "rows read" in result.out and "screened" in result.out and "rejected" in result.out
    assert not (tmp_path / "rejects.csv").exists()


def test_legacy_encoding_semicolons_and_cyrillic_values(run_cli: Run, tmp_path: Path) -> None:
    header = HEADER.replace(",", ";")
    row = "r1;28.09.2022;14.05.1990;М;да;Да;soldier;Д;27.09.2022;;;;;;;;;;;;;;Свердловская область;Екатеринбург"
    register = _write(tmp_path / "cp1251.csv", header + "\r\n" + row + "\r\n", encoding="cp1251")
    result = run_cli("screen", register, "--out", tmp_path / "findings.csv")
    assert result.code == 0, result.err
    assert "cp1251" in result.err
    rows = read_csv_rows(tmp_path / "findings.csv")
    assert [(r["record_id"], r["rule_id"]) for r in rows] == [("r1", "RU22-HEALTH-D")]


def test_mixed_scripts_in_health_category_warn(run_cli: Run, tmp_path: Path) -> None:
    rows = [
        ROW.replace(",A,", ",В,").replace("r1,", "r1,"),
        ROW.replace(",A,", ",B,").replace("r1,", "r2,"),
    ]
    register = _write(tmp_path / "mixed.csv", HEADER + "\n" + "\n".join(rows) + "\n")
    result = run_cli(
        "screen", register, "--out", tmp_path / "findings.csv", "--summary", tmp_path / "s.csv"
    )
    assert result.code == 0, result.err
    assert "mixes Cyrillic" in result.err


def test_evaluation_after_verified_through_warns(
    run_cli: Run, examples: Path, tmp_path: Path
) -> None:
    result = run_cli(
        "screen",
        examples / "ru-2022-register.csv",
        "--out",
        tmp_path / "f.csv",
        "--as-of",
        "2024-02-01",
    )
    assert result.code == 3
    assert "later amendments may be missing" in result.err


def test_extra_and_missing_optional_columns_warn(run_cli: Run, tmp_path: Path) -> None:
    header = "Record_ID , callup_date,birth_date,sex,ru_citizen,in_reserve,rank_group,notes"
    register = _write(
        tmp_path / "few.csv", header + "\nr1,2022-09-28,1990-05-14,M,true,true,soldier,hello\n"
    )
    result = run_cli("screen", register, "--out", tmp_path / "findings.csv")
    assert result.code == 0, result.err
    assert "ignored column(s) not in the call-up register: notes" in result.err
    assert "read as not recorded" in result.err and "health_category" in result.err
    assert [r["rule_id"] for r in read_csv_rows(tmp_path / "findings.csv")] == [
        "RU22-HEALTH-UNKNOWN"
    ]


def test_row_with_wrong_field_count_is_rejected_and_counted(run_cli: Run, tmp_path: Path) -> None:
    short = "r2,2022-09-28,1990-05-14,M"
    register = _write(
        tmp_path / "ragged.csv",
        HEADER + "\n" + ROW + "\n" + short + "\n" + ROW.replace("r1,", "r2,") + "\n",
    )
    result = run_cli("screen", register, "--out", tmp_path / "findings.csv")
    assert result.code == 3
    rejects = read_csv_rows(tmp_path / "rejects.csv")
    assert rejects[0]["row"] == "2" and rejects[0]["column"] == "*"
    assert rejects[0]["error"] == "expected 24 fields, found 4"
    # the well-formed row 3 repeats the id of the rejected row 2: the first occurrence wins
    assert (
        rejects[1]["row"] == "3"
        and rejects[1]["error"] == "duplicate record_id: first seen in row 2"
    )
    assert "3 rows read" in result.out.replace("\u2502", " ") or "3" in result.out


def test_help_for_every_command(run_cli: Run) -> None:
    for command in (
        ["screen"],
        ["synth"],
        ["rulebook"],
        ["rulebook", "show"],
        ["rulebook", "diff"],
        ["rulebook", "check"],
        ["rulebook", "test"],
        ["rulebook", "list"],
    ):
        result = run_cli(*command, "--help")
        assert result.code == 0
        assert "Usage" in result.out


def test_usage_errors_exit_2(run_cli: Run) -> None:
    assert run_cli("screen").code == 2
    assert run_cli("no-such-command").code == 2
