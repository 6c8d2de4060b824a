"""Fuzzing the register readers: CSV with stray quotes, NULs and mixed encodings; XLSX
sparse or expanding; Parquet with columns of the wrong physical type. Every run ends in
a whole-file error (exit 2) or a report (exit 0 or 3) with `read = screened + rejected`,
never an internal error (exit 1), and no NUL reaches an output."""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nadzor.rules import resolve_rulebook
from nadzor.screening import InputError, ScreenRequest, screen

RULEBOOK = resolve_rulebook("ru-2022")
COLUMNS = [
    "record_id",
    "callup_date",
    "birth_date",
    "sex",
    "ru_citizen",
    "in_reserve",
    "rank_group",
    "wife_pregnancy_weeks",
    "children_birth_dates",
    "region",
]
GOOD = ["R1", "2022-10-03", "1990-08-17", "M", "true", "true", "soldier", "", "", "Тверь"]
SETTINGS = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Bytes that break CSV structure or decoding when dropped into a line.
_NASTY = [b'"', b'""', b"\x00", b",", b";", b"\r", b"\n", "ё".encode("cp1251"), b"\xff"]


def screen_exit(path: Path, at_least: int = 0) -> int:
    """Screen `path` as the command does; returns the exit code it would give. A damaged
    line may cost a few lines near it, never the good records `at_least` after it."""
    out = Path(tempfile.mkdtemp(prefix="fuzz-out-"))
    try:
        request = ScreenRequest(
            str(path), RULEBOOK, out / "findings.csv", out / "rejects.csv", out / "summary.csv"
        )
        try:
            report = screen(request)
        except InputError as exc:
            assert "\n" not in str(exc)
            assert list(out.iterdir()) == [], "a whole-file error leaves no output"
            return 2
        assert report.rows_read == report.screened + report.rejected
        assert report.rows_read >= at_least
        for output in out.iterdir():
            assert b"\x00" not in output.read_bytes(), output.name
        return 3 if report.rejected else 0
    finally:
        shutil.rmtree(out, ignore_errors=True)


_FILLER = 25_000  # good records after the damage: more than one block of the CSV parser


@st.composite
def csv_register(draw: st.DrawFn) -> tuple[bytes, int]:
    """A register with damaged lines, and how many good records follow them at least."""
    rows = draw(st.integers(min_value=0, max_value=40))
    lines = [",".join(COLUMNS).encode()]
    for number in range(1, rows + 1):
        values = [f"R{number}", *GOOD[1:]]
        line = ",".join(values).encode("utf-8")
        if draw(st.booleans()):
            line = line.decode("utf-8").encode("cp1251")
        damage = draw(st.integers(0, 5))
        if damage == 0:
            where = draw(st.integers(0, len(line)))
            line = line[:where] + draw(st.sampled_from(_NASTY)) + line[where:]
        elif damage == 1:
            # A quote at the start of a field opens a value: the damage that spreads.
            starts = [0] + [i + 1 for i, byte in enumerate(line) if byte == ord(",")]
            where = draw(st.sampled_from(starts))
            line = line[:where] + b'"' + line[where:]
        lines.append(line)
    filler = _FILLER if draw(st.booleans()) else 0
    lines += [",".join([f"F{n}", *GOOD[1:]]).encode() for n in range(filler)]
    return b"\n".join(lines) + draw(st.sampled_from([b"\n", b"", b'"', b"\n\n"])), filler


@SETTINGS
@given(register=csv_register())
def test_csv_fuzz(tmp_path: Path, register: tuple[bytes, int]) -> None:
    data, filler = register
    path = tmp_path / "r.csv"
    path.write_bytes(data)
    assert screen_exit(path, at_least=filler) in (0, 2, 3)


_CELLS = st.one_of(
    st.text(max_size=12),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
    st.none(),
)


@SETTINGS
@given(
    cells=st.lists(st.lists(_CELLS, max_size=12), max_size=15),
    far=st.one_of(st.none(), st.tuples(st.integers(1, 1_048_576), st.integers(1, 16_384))),
    expand=st.booleans(),
)
def test_xlsx_fuzz(
    tmp_path: Path, cells: list[list[Any]], far: tuple[int, int] | None, expand: bool
) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(COLUMNS)
    for row in cells:
        sheet.append(
            ["".join(ch for ch in v if ch.isprintable()) if isinstance(v, str) else v for v in row]
        )
    if far is not None:
        sheet.cell(row=far[0], column=far[1], value="x")
    path = tmp_path / "r.xlsx"
    workbook.save(path)
    if expand:
        path = _expanded(path, tmp_path / "big.xlsx")
    assert screen_exit(path) in (0, 2, 3)


def _expanded(path: Path, target: Path) -> Path:
    """The workbook with its sheet padded by 30 MB of blanks, which pack 1000 times."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", b" " * (30 << 20) + b"</worksheet>")
            z.writestr(item, data)
    return target


_TYPES: list[tuple[str, Any]] = [
    ("int", lambda n: pa.array(list(range(n)), pa.int64())),
    ("float", lambda n: pa.array([1.5] * n, pa.float64())),
    ("date", lambda n: pa.array([None] * n, pa.date32())),
    ("bool", lambda n: pa.array([True] * n)),
    ("binary", lambda n: pa.array([b"\xff\x00"] * n, pa.binary())),
    ("utf8-binary", lambda n: pa.array([b"R"] * n, pa.binary())),
    ("struct", lambda n: pa.array([{"a": 1}] * n)),
    ("map", lambda n: pa.array([[("k", 1)]] * n, pa.map_(pa.string(), pa.int64()))),
    ("list-int", lambda n: pa.array([[1, 2]] * n)),
    ("nul-text", lambda n: pa.array(["a\x00b"] * n)),
    ("timestamp", lambda n: pa.array([0] * n, pa.timestamp("s"))),
    ("decimal", lambda n: pa.array([1] * n, pa.decimal128(5, 2))),
]


@SETTINGS
@given(
    rows=st.integers(0, 20),
    changes=st.dictionaries(
        st.sampled_from(COLUMNS), st.sampled_from([name for name, _ in _TYPES]), max_size=3
    ),
)
def test_parquet_fuzz(tmp_path: Path, rows: int, changes: dict[str, str]) -> None:
    makers = dict(_TYPES)
    data = {name: pa.array([GOOD[i]] * rows, pa.string()) for i, name in enumerate(COLUMNS)}
    data["record_id"] = pa.array([f"R{n}" for n in range(rows)], pa.string())
    for column, kind in changes.items():
        data[column] = makers[kind](rows)
    path = tmp_path / "r.parquet"
    pq.write_table(pa.table(data), path)
    assert screen_exit(path) in (0, 2, 3)


@pytest.mark.parametrize("rows", [0, 1])
def test_fuzz_helper_sees_both_outcomes(tmp_path: Path, rows: int) -> None:
    # The property above must be able to fail: a clean register screens with exit 0.
    lines = [",".join(COLUMNS)] + [",".join(["R1", *GOOD[1:]])] * rows
    path = tmp_path / "r.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert screen_exit(path) == 0
