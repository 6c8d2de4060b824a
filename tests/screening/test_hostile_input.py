"""Hostile and damaged registers: each stays a clear whole-file error (exit 2) or rejects
(exit 3), never an internal error, and `rows read = screened + rejected` always holds."""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from nadzor.rules import resolve_rulebook
from nadzor.screening import ScreenReport, ScreenRequest, open_register, screen
from nadzor.screening._source import Rejects, StructuralReject
from nadzor.screening._workdir import PREFIX
from tests.conftest import CliResult, read_csv_rows

HEADER = "record_id,callup_date,birth_date,sex,ru_citizen,in_reserve,rank_group,region"
COLUMNS = HEADER.split(",")
Run = Callable[..., CliResult]
RULEBOOK = resolve_rulebook("ru-2022")


def row(number: int, region: str = "Tver Oblast", sex: str = "M") -> str:
    return f"R{number:07d},2022-10-03,1990-08-17,{sex},true,true,soldier,{region}"


def register(rows: int, damage: dict[int, str] | None = None) -> list[str]:
    """The lines of a register (header first); `damage` replaces record lines by number."""
    lines = [HEADER] + [row(n) for n in range(1, rows + 1)]
    for number, text in (damage or {}).items():
        lines[number] = text
    return lines


def write_lines(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


@pytest.fixture(autouse=True)
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Run folders go to a temporary folder of this test, so that leftovers are visible."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    yield scratch


def run_screen(register_path: Path, out: Path) -> ScreenReport:
    request = ScreenRequest(
        str(register_path),
        RULEBOOK,
        out / "findings.csv",
        out / "rejects.csv",
        out / "summary.csv",
    )
    report = screen(request)
    assert report.rows_read == report.screened + report.rejected
    return report


def out_dir(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    return out


# --- CSV: stray quotes -----------------------------------------------------------------


def test_stray_quote_in_the_last_column_costs_only_its_line(tmp_path: Path) -> None:
    # Before: the quoted value ran to the end of the file, and 10 records vanished into it.
    lines = register(100, {91: row(91, region='"Tver Oblast')})
    report = run_screen(write_lines(tmp_path / "r.csv", lines), out_dir(tmp_path))
    assert (report.rows_read, report.screened, report.rejected) == (100, 99, 1)
    rejects = read_csv_rows(tmp_path / "out" / "rejects.csv")
    assert [(r["row"], r["record_id"], r["column"]) for r in rejects] == [("91", "R0000091", "*")]
    assert rejects[0]["error"].startswith("line 92: unbalanced quote")
    assert any("unbalanced quote on line 92" in w for w in report.warnings)
    summary = read_csv_rows(tmp_path / "out" / "summary.csv")
    assert len(summary) == 99 and summary[-1]["record_id"] == "R0000100"


def test_early_stray_quote_in_a_large_file_exits_3_not_1(tmp_path: Path, run_cli: Run) -> None:
    # Before: the value grew past pyarrow's block and the run died with a traceback.
    lines = register(30_000, {5: row(5, region='"Tver, Oblast')})
    path = write_lines(tmp_path / "r.csv", lines)
    assert path.stat().st_size > 1 << 20  # more than one block of the CSV parser
    out = out_dir(tmp_path)
    result = run_cli("screen", path, "--out", out / "findings.csv")
    assert result.code == 3, result.err
    assert re.search(r"rows read\s*│\s*30,000", result.out)
    assert re.search(r"rejected\s*│\s*1 ", result.out)
    rejects = read_csv_rows(out / "rejects.csv")
    assert [(r["row"], r["column"]) for r in rejects] == [("5", "*")]


def test_two_stray_quotes_do_not_pair_up_across_lines(tmp_path: Path) -> None:
    # The second quote would close the first one's value mid-field (`5"x`).
    lines = register(20, {3: row(3, region='"Tver'), 6: row(6, region='5"x Oblast')})
    report = run_screen(write_lines(tmp_path / "r.csv", lines), out_dir(tmp_path))
    assert (report.rows_read, report.rejected) == (20, 1)
    rejects = read_csv_rows(tmp_path / "out" / "rejects.csv")
    assert [r["row"] for r in rejects] == ["3"]


def test_a_quoted_value_spanning_lines_is_still_one_record(tmp_path: Path) -> None:
    lines = register(5, {2: row(2, region='"Tver\nOblast"')})
    report = run_screen(write_lines(tmp_path / "r.csv", lines), out_dir(tmp_path))
    assert (report.rows_read, report.rejected) == (5, 0)


def test_a_value_open_for_too_many_lines_is_damage(tmp_path: Path) -> None:
    # A closing quote 150 lines later is no longer believed to close a value.
    lines = register(200, {10: row(10, region='"Tver'), 160: row(160, region='Tver"')})
    report = run_screen(write_lines(tmp_path / "r.csv", lines), out_dir(tmp_path))
    assert report.rows_read == 200
    rejects = read_csv_rows(tmp_path / "out" / "rejects.csv")
    assert [r["row"] for r in rejects] == ["10"]


# --- CSV: encodings and NUL ------------------------------------------------------------


def test_mixed_utf8_and_cp1251_lines_are_decoded_line_by_line(tmp_path: Path) -> None:
    lines = register(30)
    data = b""
    for number, text in enumerate(lines):
        text = text.replace("Tver Oblast", "Тверская область")
        data += text.encode("cp1251" if number in (7, 21) else "utf-8") + b"\n"
    path = tmp_path / "r.csv"
    path.write_bytes(data)
    source = open_register(str(path))
    regions = [r for b in source.batches() for r in b.column("region").to_pylist()]
    assert set(regions) == {"Тверская область"}
    assert source.warnings == [
        "2 lines (8, 22) are not valid UTF-8: read as cp1251, the rest of the file as UTF-8"
    ]


def test_a_file_wholly_in_cp1251_is_still_read_as_one(tmp_path: Path) -> None:
    lines = [text.replace("Tver Oblast", "Тверская область") for text in register(5)]
    source = open_register(str(write_lines(tmp_path / "r.csv", lines, "cp1251")))
    regions = {r for b in source.batches() for r in b.column("region").to_pylist()}
    assert regions == {"Тверская область"}
    assert source.warnings == ["file is not valid UTF-8: read as cp1251"]


def test_nul_in_a_value_is_a_reject_naming_row_and_column(tmp_path: Path) -> None:
    # Before: the NUL went into the findings, and PostgreSQL refused to import them.
    lines = register(6, {2: row(2).replace("R0000002", "R00\x0000002"), 4: row(4, "Tv\x00er")})
    report = run_screen(write_lines(tmp_path / "r.csv", lines), out_dir(tmp_path))
    assert (report.rows_read, report.screened, report.rejected) == (6, 4, 2)
    out = tmp_path / "out"
    rejects = read_csv_rows(out / "rejects.csv")
    assert [(r["row"], r["column"], r["value"]) for r in rejects] == [
        ("2", "record_id", "R00\u240000002"),
        ("4", "region", "Tv\u2400er"),
    ]
    for name in ("findings.csv", "rejects.csv", "summary.csv"):
        assert b"\x00" not in (out / name).read_bytes()


# --- XLSX --------------------------------------------------------------------------------


def xlsx(path: Path, cells: dict[str, object], title: str = "register") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for ref, value in cells.items():
        sheet[ref] = value
    workbook.save(path)
    return path


def test_sparse_sheet_is_refused_before_loading(tmp_path: Path, run_cli: Run) -> None:
    # Before: a 5 KB file made the reader ask for 512 GiB and abort (exit 134).
    cells = {f"{chr(65 + i)}1": name for i, name in enumerate(COLUMNS)} | {"XFD1048576": "x"}
    path = xlsx(tmp_path / "sparse.xlsx", cells)
    out = out_dir(tmp_path)
    result = run_cli("screen", path, "--out", out / "findings.csv")
    assert result.code == 2
    assert "sheet 'register' spans A1:XFD1048576 (17,179,869,184 cells" in result.err
    assert list(out.iterdir()) == []


def test_expanding_archive_is_refused(tmp_path: Path, private_tmp: Path, run_cli: Run) -> None:
    base = xlsx(tmp_path / "base.xlsx", {"A1": "record_id"}, title="Лист1")
    bomb = tmp_path / "bomb.xlsx"
    cell = b'<c r="A%d" t="inlineStr"><is><t>' + b"A" * 20000 + b"</t></is></c>"
    rows = b"".join(b'<row r="%d">' % n + cell % n + b"</row>" for n in range(1, 1500))
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.split(b"<sheetData")[0] + b"<sheetData>" + rows
                data += b"</sheetData></worksheet>"
            z.writestr(item, data)
    result = run_cli("screen", bomb, "--out", out_dir(tmp_path) / "findings.csv")
    assert result.code == 2
    assert "sheet 'Лист1': its part xl/worksheets/sheet1.xml unpacks from" in result.err
    assert "possible ZIP bomb" in result.err
    assert [p.name for p in private_tmp.iterdir()] == []


# --- Parquet -----------------------------------------------------------------------------


def parquet(path: Path, rows: int, **columns: pa.Array) -> Path:
    data: dict[str, pa.Array] = {
        name: pa.array([row(n).split(",")[i] for n in range(1, rows + 1)])
        for i, name in enumerate(COLUMNS)
    }
    data.update(columns)
    pq.write_table(pa.table(data), path)
    return path


def test_integer_date_column_gives_row_errors(tmp_path: Path) -> None:
    # Before: exit 1, "'IntegerColumn' object has no attribute 're_search'".
    path = parquet(tmp_path / "r.parquet", 3, birth_date=pa.array([19900817] * 3))
    report = run_screen(path, out_dir(tmp_path))
    assert (report.rows_read, report.rejected) == (3, 3)
    rejects = read_csv_rows(tmp_path / "out" / "rejects.csv")
    assert {(r["column"], r["value"]) for r in rejects} == {("birth_date", "19900817")}


@pytest.mark.parametrize(
    ("column", "values", "message"),
    [
        ("region", pa.array([{"a": 1}] * 3), "column region holds struct values"),
        ("sex", pa.array([{"a": 1}] * 3), "column sex holds struct values"),
        (
            "birth_date",
            pa.array([[("k", 1)]] * 3, pa.map_(pa.string(), pa.int64())),
            "column birth_date holds map values",
        ),
        (
            "record_id",
            pa.array([b"\xff1", b"\xff2", b"\xff3"], pa.binary()),
            "column record_id cannot be read as text (binary)",
        ),
    ],
    ids=["struct-in-text", "struct-in-enum", "map-in-date", "binary-not-utf8"],
)
def test_unusable_physical_types_stop_the_run_naming_the_column(
    tmp_path: Path, run_cli: Run, column: str, values: pa.Array, message: str
) -> None:
    # Before: exit 1 with an attribute error, or a struct accepted silently as text.
    path = parquet(tmp_path / "r.parquet", 3, **{column: values})
    result = run_cli("screen", path, "--out", out_dir(tmp_path) / "findings.csv")
    assert result.code == 2, result.err
    assert message in result.err


def test_binary_utf8_key_and_nested_unread_column_are_read(tmp_path: Path) -> None:
    keys = pa.array([b"R1", b"R2", b"R3"], pa.binary())
    path = parquet(tmp_path / "r.parquet", 3, record_id=keys, extra=pa.array([{"a": 1}] * 3))
    report = run_screen(path, out_dir(tmp_path))
    assert (report.rows_read, report.screened) == (3, 3)
    summary = read_csv_rows(tmp_path / "out" / "summary.csv")
    assert [r["record_id"] for r in summary] == ["R1", "R2", "R3"]


def test_nul_in_a_parquet_key_is_a_reject(tmp_path: Path) -> None:
    path = parquet(tmp_path / "r.parquet", 3, record_id=pa.array(["a", "b\x00", "c"]))
    report = run_screen(path, out_dir(tmp_path))
    assert (report.rows_read, report.screened, report.rejected) == (3, 2, 1)
    rejects = read_csv_rows(tmp_path / "out" / "rejects.csv")
    assert [(r["row"], r["column"], r["value"]) for r in rejects] == [("2", "record_id", "b\u2400")]


def test_nul_elsewhere_in_a_parquet_read_as_it_is_never_reaches_an_output(
    tmp_path: Path,
) -> None:
    # Files whose text holds a NUL are read through the batches, where the NUL is a
    # reject; a value with a NUL shown in the rejects file has it replaced.
    path = parquet(tmp_path / "r.parquet", 3, sex=pa.array(["M", "Q\x00", "F"]))
    report = run_screen(path, out_dir(tmp_path))
    assert (report.rows_read, report.rejected) == (3, 1)
    rejects = read_csv_rows(tmp_path / "out" / "rejects.csv")
    assert [(r["row"], r["column"], r["value"]) for r in rejects] == [("2", "sex", "Q\u2400")]
    for name in ("findings.csv", "rejects.csv", "summary.csv"):
        assert b"\x00" not in (tmp_path / "out" / name).read_bytes()


def test_text_that_is_not_utf8_in_a_parquet_is_scanned_as_before(tmp_path: Path) -> None:
    # The NUL check reads the text columns with DuckDB, which refuses such text; the check
    # then reads them through Arrow, so the file is still scanned as it is.
    region = pa.array([b"Tver", b"\xff\xfe", b"Kursk"], pa.binary()).view(pa.string())
    path = parquet(tmp_path / "r.parquet", 3, region=region)
    report = run_screen(path, out_dir(tmp_path))
    assert (report.rows_read, report.screened, report.rejected) == (3, 3, 0)


# --- memory: rejects spill to disk -------------------------------------------------------


def test_rejects_beyond_the_kept_few_are_spilled_and_read_back(tmp_path: Path) -> None:
    spill = tmp_path / "spill"
    spill.mkdir()
    rejects = Rejects(spill, keep=3)
    for number in range(1, 11):
        rejects.append(StructuralReject(number, f"r{number}", "*", "x", "bad"))
    rejects.append(StructuralReject(10, "r10", "c", "y", "bad too"))
    assert sorted(p.name for p in spill.iterdir()) == [
        "rejects-000000.arrows",
        "rejects-000001.arrows",
        "rejects-000002.arrows",
    ]
    assert (len(rejects), rejects.rows) == (11, 10)
    assert [r.row for r in rejects] == [*range(1, 11), 10]
    assert sum(b.num_rows for b in rejects.batches()) == 11


def test_wrong_width_rows_by_the_thousand_go_through_the_spill(tmp_path: Path) -> None:
    lines = [HEADER] + [row(n) + ",extra" for n in range(1, 70_001)] + [row(70_001)]
    report = run_screen(write_lines(tmp_path / "r.csv", lines), out_dir(tmp_path))
    assert (report.rows_read, report.screened, report.rejected) == (70_001, 1, 70_000)
    rejects = read_csv_rows(tmp_path / "out" / "rejects.csv")
    assert len(rejects) == 70_000 and rejects[-1]["row"] == "70000"
    assert not any(p.name.startswith(PREFIX) for p in Path(tempfile.gettempdir()).iterdir())


# --- outputs: temporaries of dead runs ---------------------------------------------------


def test_only_the_temporaries_of_dead_runs_are_removed(tmp_path: Path, private_tmp: Path) -> None:
    from nadzor.screening._workdir import start_run
    from nadzor.screening._write import Outputs

    out = out_dir(tmp_path)
    live = start_run()
    dead = private_tmp / f"{PREFIX}0123456789abcdef"
    dead.mkdir()
    (dead / ".lock").touch()  # a run folder whose lock nobody holds: its run died
    names = [
        f".findings.csv.{live.id}-0.part",
        f".findings.csv.run.json.{live.id}-2.part",
        ".findings.csv.0123456789abcdef-0.part",
        ".findings.csv.run.json.0123456789abcdef-1.part",
        ".findings.csv.k3j4h5g6.part",  # named as before run ids
    ]
    for name in names:
        (out / name).touch()
    removed = Outputs("fedcba9876543210").remove_stale([out / "findings.csv", None])
    assert sorted(p.name for p in removed) == sorted(names[2:])
    assert sorted(p.name for p in out.iterdir()) == sorted(names[:2])
    live.close()


@pytest.mark.parametrize("engine", ["duckdb", "postgresql"])
def test_nul_in_any_text_column_of_a_parquet_is_a_reject_naming_row_and_column(
    tmp_path: Path, request: pytest.FixtureRequest, engine: str
) -> None:
    # Before: files scanned as they are had only their key checked, so a NUL in a free
    # text column went into the engine.
    from nadzor.screening import ScreenRequest, screen

    spec = "duckdb" if engine == "duckdb" else str(request.getfixturevalue("postgres_url"))
    path = parquet(tmp_path / "r.parquet", 3, region=pa.array(["Tver", "Tv\x00er", "Kursk"]))
    out = out_dir(tmp_path)
    report = screen(
        ScreenRequest(
            str(path),
            RULEBOOK,
            out / "findings.csv",
            out / "rejects.csv",
            out / "summary.csv",
            engine=spec,
        )
    )
    assert (report.rows_read, report.screened, report.rejected) == (3, 2, 1)
    rejects = read_csv_rows(out / "rejects.csv")
    assert [(r["row"], r["column"], r["value"]) for r in rejects] == [("2", "region", "Tv\u2400er")]
    assert "NUL" in rejects[0]["error"]
    for name in ("findings.csv", "rejects.csv", "summary.csv"):
        assert b"\x00" not in (out / name).read_bytes()
