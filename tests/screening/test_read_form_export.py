"""Registers exported by ODK Central and KoboToolbox screen to the plain register's findings.

Each test lays the spec's example register out as the tool exports a filled form: group
prefixes on the names, the tool's own submission columns, multiple answers space-separated.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from nadzor.rules import resolve_rulebook
from nadzor.screening._form_export import export_names
from tests.conftest import EXAMPLES, call_cli, finding_keys, read_csv_rows

REGISTER = EXAMPLES / "ru-2022-register.csv"
# (rulebook, register, extra arguments of the screen)
RUNS = [
    ("ru-2022", "ru-2022-register.csv", ()),
    ("ru-2022-provision", "ru-2022-provision-register.csv", ("--as-of", "2023-01-20")),
    ("ru-2022-facilities", "ru-2022-facilities-register.csv", ()),
    ("ua-2022", "ua-2022-register.csv", ()),
]

pytestmark = pytest.mark.skipif(
    not REGISTER.is_file(), reason="the spec's examples are not beside the project"
)

ODK_META = [
    "SubmissionDate", "meta-instanceID", "KEY", "SubmitterID", "SubmitterName",
    "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState", "DeviceID",
    "Edits", "FormVersion",
]  # fmt: skip
KOBO_META = [
    "start", "end", "_id", "_uuid", "_submission_time", "_validation_status", "_notes",
    "_status", "_submitted_by", "__version__", "_tags", "_index", "meta/instanceID",
]  # fmt: skip


def _grouped(names: list[str], separator: str) -> list[str]:
    """The first half of the questions in group `person`, the others in `facts/details`."""
    half = len(names) // 2
    return [
        f"person{separator}{name}" if i < half else f"facts{separator}details{separator}{name}"
        for i, name in enumerate(names)
    ]


def _export_rows(
    separator: str, meta: list[str], rulebook: str = "ru-2022", register: Path = REGISTER
) -> tuple[list[str], list[list[str]]]:
    rows = read_csv_rows(register)
    names = list(rows[0])
    lists = {
        c.name for c in resolve_rulebook(rulebook).record_type.columns if c.type.startswith("list")
    }
    header = [*meta[:2], *_grouped(names, separator), *meta[2:]]
    body = []
    for number, row in enumerate(rows, start=1):
        values = [row[name].replace(";", " ") if name in lists else row[name] for name in names]
        body.append([f"m{number}", f"m{number}", *values, *(f"x{number}" for _ in meta[2:])])
    return header, body


def _write_csv(path: Path, header: list[str], body: list[list[str]], delimiter: str) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(body)
    return path


def _write_xlsx(path: Path, header: list[str], body: list[list[str]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "ru-2022"
    sheet.append(header)
    for row in body:
        sheet.append([value if value != "" else None for value in row])
    book.save(path)
    return path


def _screen(
    register: Path, out: Path, rulebook: str = "ru-2022", extra: tuple[str, ...] = ()
) -> tuple[int, set[tuple[str, str, str, str]], set[str]]:
    out.mkdir()
    code = call_cli(
        "screen", register, "--rulebook", rulebook, *extra,
        "--out", out / "findings.csv", "--rejects", out / "rejects.csv",
    )  # fmt: skip
    rejected = {row["record_id"] for row in read_csv_rows(out / "rejects.csv")}
    return code, finding_keys(out / "findings.csv"), rejected


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, set[object], set[str]]:
    code, findings, rejected = _screen(REGISTER, tmp_path_factory.mktemp("plain") / "out")
    assert findings and rejected
    return code, findings, rejected  # type: ignore[return-value]


def test_odk_central_csv_export_screens_as_the_plain_register(
    tmp_path: Path, plain: tuple[int, set[object], set[str]]
) -> None:
    header, body = _export_rows("-", ODK_META)
    export = _write_csv(tmp_path / "odk.csv", header, body, ",")
    assert _screen(export, tmp_path / "out") == plain


def test_kobo_csv_export_screens_as_the_plain_register(
    tmp_path: Path, plain: tuple[int, set[object], set[str]]
) -> None:
    header, body = _export_rows("/", KOBO_META)
    export = _write_csv(tmp_path / "kobo.csv", header, body, ";")
    assert _screen(export, tmp_path / "out") == plain


@pytest.mark.parametrize(("separator", "meta"), [("/", KOBO_META), ("-", ODK_META)])
def test_xlsx_exports_screen_as_the_plain_register(
    tmp_path: Path, plain: tuple[int, set[object], set[str]], separator: str, meta: list[str]
) -> None:
    header, body = _export_rows(separator, meta)
    export = _write_xlsx(tmp_path / "export.xlsx", header, body)
    assert _screen(export, tmp_path / "out") == plain


def test_a_column_of_the_record_type_is_never_renamed_or_left_out() -> None:
    renames, meta = export_names(
        ["status", "g/status", "grp-region", "region", "_id", "g/unknown"],
        ["status", "region"],
    )
    # `status` is a column here, so the tool's Status column is not dropped; the grouped
    # names whose column is already present stay as extra columns (the reader warns).
    assert renames == {} and meta == ["_id"]


def test_the_export_is_named_in_a_warning(tmp_path: Path, run_cli: Any) -> None:
    header, body = _export_rows("/", KOBO_META)
    export = _write_csv(tmp_path / "kobo.csv", header, body, ";")
    done = run_cli(
        "screen", export, "--rulebook", "ru-2022", "--out", tmp_path / "f.csv",
        "--rejects", tmp_path / "r.csv",
    )  # fmt: skip
    assert done.code == 3
    assert "read as a form export" in done.err and "_uuid" in done.err


@pytest.mark.parametrize(("rulebook", "register", "extra"), RUNS)
@pytest.mark.parametrize(
    ("separator", "meta", "suffix"), [("/", KOBO_META, ".csv"), ("-", ODK_META, ".xlsx")]
)
def test_every_built_in_record_type_reads_from_an_export(
    tmp_path: Path,
    rulebook: str,
    register: str,
    extra: tuple[str, ...],
    separator: str,
    meta: list[str],
    suffix: str,
) -> None:
    plain = _screen(EXAMPLES / register, tmp_path / "plain", rulebook, extra)
    header, body = _export_rows(separator, meta, rulebook, EXAMPLES / register)
    export = tmp_path / f"export{suffix}"
    if suffix == ".csv":
        _write_csv(export, header, body, ";")
    else:
        _write_xlsx(export, header, body)
    assert _screen(export, tmp_path / "export", rulebook, extra) == plain
    assert plain[1] and plain[2]
