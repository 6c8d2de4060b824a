"""The CSV reader: header, encodings, blank lines, structural rejects and record numbers."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nadzor.screening import _read_csv as read_csv_module
from nadzor.screening._read_csv import read_csv
from nadzor.screening._source import InputError, RegisterSource, StructuralReject, blank_warning

SPEC = Path(__file__).parents[2] / ".." / "shared" / "spec"
EXAMPLE = SPEC / "examples" / "ru-2022-register.csv"


def open_csv(
    path: Path, *, id_column: str | None = "record_id", batch_rows: int = 65536
) -> RegisterSource:
    return read_csv(str(path), id_column=id_column, batch_rows=batch_rows)


def write(tmp_path: Path, content: str | bytes, name: str = "register.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def rows(source: RegisterSource) -> list[dict[str, Any]]:
    return [row for batch in source.batches() for row in batch.to_pylist()]


def numbered(source: RegisterSource, column: str = "record_id") -> list[tuple[int, str]]:
    return [(row["_row"], row[column]) for row in rows(source)]


# --- the example register ---------------------------------------------------------------


@pytest.mark.skipif(
    not EXAMPLE.is_file(),
    reason="the product owner's spec examples are not checked out beside the project",
)
def test_example_register_reads_48_records_of_24_columns() -> None:
    source = open_csv(EXAMPLE)
    got = rows(source)
    assert len(source.columns) == 24
    assert source.columns[:3] == ["record_id", "callup_date", "birth_date"]
    assert [row["_row"] for row in got] == list(range(1, 49))
    assert got[0]["record_id"] == "clear-1"
    assert source.schema.names == ["_row", *source.columns]
    assert source.schema.field("_row").type == pa.int64()
    assert all(source.schema.field(name).type == pa.string() for name in source.columns)
    assert (source.rows_read, source.rejects, source.warnings) == (48, [], [])


@pytest.mark.skipif(
    not EXAMPLE.is_file(),
    reason="the product owner's spec examples are not checked out beside the project",
)
def test_example_register_semicolon_version_reads_the_same(tmp_path: Path) -> None:
    # As a spreadsheet exports it: lists that contain `;` get quoted.
    with EXAMPLE.open(newline="", encoding="utf-8") as file:
        records = list(csv.reader(file))
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(records)
    assert '"2008-03-02;2011-07-19;2014-01-05;2019-11-30"' in out.getvalue()
    original = rows(open_csv(EXAMPLE))
    assert rows(open_csv(write(tmp_path, out.getvalue()))) == original


# --- delimiter, quoting, values kept as read ------------------------------------------------


def test_semicolon_delimiter_with_quoted_list(tmp_path: Path) -> None:
    path = write(
        tmp_path, 'record_id;children_birth_dates;sex\nr1;"2010-01-01;2012-02-02";M\nr2;;F\n'
    )
    source = open_csv(path)
    assert source.columns == ["record_id", "children_birth_dates", "sex"]
    assert rows(source) == [
        {"_row": 1, "record_id": "r1", "children_birth_dates": "2010-01-01;2012-02-02", "sex": "M"},
        {"_row": 2, "record_id": "r2", "children_birth_dates": "", "sex": "F"},
    ]


def test_delimiter_is_chosen_from_the_header_line_only(tmp_path: Path) -> None:
    # The data lines are full of commas, the header has more semicolons.
    path = write(tmp_path, "record_id;note\nr1;a,b,c,d\n")
    assert rows(open_csv(path)) == [{"_row": 1, "record_id": "r1", "note": "a,b,c,d"}]


def test_delimiter_tie_means_comma(tmp_path: Path) -> None:
    path = write(tmp_path, "record_id\nr;1\n")
    assert rows(open_csv(path)) == [{"_row": 1, "record_id": "r;1"}]


def test_values_are_kept_exactly_as_read(tmp_path: Path) -> None:
    path = write(tmp_path, 'record_id,sex,n,x\n r1 , M ,22.0,NA\n"",null,"",  \n')
    assert rows(open_csv(path)) == [
        {"_row": 1, "record_id": " r1 ", "sex": " M ", "n": "22.0", "x": "NA"},
        {"_row": 2, "record_id": "", "sex": "null", "n": "", "x": "  "},
    ]


def test_header_names_are_trimmed_but_not_case_folded(tmp_path: Path) -> None:
    path = write(tmp_path, ' Record_ID , Sex,"birth date "\nr1,M,x\n')
    source = open_csv(path)
    assert source.columns == ["Record_ID", "Sex", "birth date"]
    assert source.schema.names == ["_row", "Record_ID", "Sex", "birth date"]


def test_duplicate_header_names_after_trimming_and_case_folding(tmp_path: Path) -> None:
    path = write(tmp_path, "record_id,sex, SEX \nr1,M,M\n")
    with pytest.raises(InputError, match=r"^duplicate column\(s\) in header: SEX$"):
        open_csv(path)


# --- encodings -------------------------------------------------------------------------------


def test_utf8_bom_is_stripped(tmp_path: Path) -> None:
    path = write(tmp_path, "\ufeffrecord_id,sex\nr1,М\n")
    source = open_csv(path)
    assert source.columns == ["record_id", "sex"]
    assert rows(source) == [{"_row": 1, "record_id": "r1", "sex": "М"}]
    assert source.warnings == []


def test_cp1251_file_is_read_with_one_warning(tmp_path: Path) -> None:
    text = "record_id,sex,in_reserve,region\nr1,М,да,Свердловская область\nr2,Ж,нет,Москва\n"
    source = open_csv(write(tmp_path, text.encode("cp1251")))
    assert rows(source) == [
        {
            "_row": 1,
            "record_id": "r1",
            "sex": "М",
            "in_reserve": "да",
            "region": "Свердловская область",
        },
        {"_row": 2, "record_id": "r2", "sex": "Ж", "in_reserve": "нет", "region": "Москва"},
    ]
    assert source.warnings == ["file is not valid UTF-8: read as cp1251"]


def test_short_ambiguous_legacy_values_default_to_cp1251(tmp_path: Path) -> None:
    source = open_csv(write(tmp_path, "record_id,ru_citizen\nr1,да\n".encode("cp1251")))
    assert rows(source)[0]["ru_citizen"] == "да"
    assert source.warnings == ["file is not valid UTF-8: read as cp1251"]


def test_koi8_r_file_is_recognised(tmp_path: Path) -> None:
    line = "r{},Военный комиссариат Свердловской области,Екатеринбург\n"
    text = "record_id,commissariat,region\n" + "".join(line.format(i) for i in range(50))
    source = open_csv(write(tmp_path, text.encode("koi8_r")))
    assert source.warnings == ["file is not valid UTF-8: read as koi8_r"]
    assert rows(source)[0]["region"] == "Екатеринбург"


def test_invalid_utf8_far_into_the_file_is_found(tmp_path: Path) -> None:
    # Several MiB of ASCII first: the whole file is checked, not a sample.
    body = "".join(f"r{i},M\n" for i in range(400_000))
    data = ("record_id,sex\n" + body).encode() + "tail,Ж\n".encode("cp1251")
    source = open_csv(write(tmp_path, data))
    got = rows(source)
    assert source.warnings == ["file is not valid UTF-8: read as cp1251"]
    assert got[-1] == {"_row": 400_001, "record_id": "tail", "sex": "Ж"}


def test_bytes_the_chosen_legacy_encoding_cannot_read_are_an_input_error(tmp_path: Path) -> None:
    # 0x98 is the one byte cp1251 leaves undefined; the sample (the 1 MiB around the first
    # non-UTF-8 byte) does not reach it, so cp1251 is chosen and fails at the end.
    data = "record_id,sex\nr1,Ж\n".encode("cp1251") + b"r2,M\n" * 300_000 + b"r3,\x98\n"
    source = open_csv(write(tmp_path, data))
    assert source.warnings == ["file is not valid UTF-8: read as cp1251"]
    with pytest.raises(InputError, match=r"cannot be read as CSV: .*0x98"):
        rows(source)


def test_valid_utf8_split_across_scan_chunks_is_not_mistaken(tmp_path: Path) -> None:
    # Two-byte letters everywhere: some straddle every 1 MiB chunk boundary.
    body = "".join(f"р{i},Ж\n" for i in range(300_000))
    source = open_csv(write(tmp_path, "record_id,sex\n" + body))
    assert source.warnings == []
    assert len(rows(source)) == 300_000


# --- blank lines -----------------------------------------------------------------------------


def test_blank_line_in_the_middle_is_skipped_unnumbered(tmp_path: Path) -> None:
    path = write(tmp_path, "record_id,sex\nr1,M\n\nr2,F\n")
    source = open_csv(path)
    assert numbered(source) == [(1, "r1"), (2, "r2")]
    assert source.warnings == ["line 3 is blank: skipped (not a record)"]
    assert source.rows_read == 2


def test_blank_lines_in_the_middle_and_at_the_end(tmp_path: Path) -> None:
    path = write(tmp_path, "record_id,sex\nr1,M\n\nr2,F\n \t\nr3,M\n\n\n")
    source = open_csv(path)
    assert numbered(source) == [(1, "r1"), (2, "r2"), (3, "r3")]
    assert source.warnings == ["4 blank lines skipped (lines 3, 5, 7, 8)"]


def test_line_of_spaces_and_tabs_is_blank(tmp_path: Path) -> None:
    path = write(tmp_path, "record_id,sex\n   \nr1,M\n\t \t\nr2,F\n")
    source = open_csv(path)
    assert numbered(source) == [(1, "r1"), (2, "r2")]
    assert source.rejects == []
    assert source.warnings == ["2 blank lines skipped (lines 2, 4)"]


def test_blank_lines_before_the_header_are_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "\n  \nrecord_id,sex\nr1,M\n")
    source = open_csv(path)
    assert source.columns == ["record_id", "sex"]
    assert numbered(source) == [(1, "r1")]
    assert source.warnings == ["2 blank lines skipped (lines 1, 2)"]


def test_many_blank_lines_give_one_summarising_warning(tmp_path: Path) -> None:
    body = "".join(f"r{i},M\n\n" for i in range(1, 501))
    source = open_csv(write(tmp_path, "record_id,sex\n" + body))
    assert [n for n, _ in numbered(source)] == list(range(1, 501))
    assert source.warnings == [
        "500 blank lines skipped (lines 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, ...)"
    ]


def test_line_of_delimiters_is_a_record_not_a_blank_line(tmp_path: Path) -> None:
    path = write(tmp_path, "record_id,sex\n,\nr2,F\n")
    source = open_csv(path)
    assert numbered(source) == [(1, ""), (2, "r2")]
    assert source.warnings == []


@pytest.mark.parametrize("value", ['ООО "Ромашка"', '5" screen', 'O"Brien'])
def test_stray_quotes_in_unquoted_values_do_not_hide_blank_lines(
    tmp_path: Path, value: str
) -> None:
    source = open_csv(write(tmp_path, f"record_id,note\nr1,{value}\n\nr2,x\n\nr3,y\n"))
    got = rows(source)
    assert got[0]["note"] == value
    assert [row["_row"] for row in got] == [1, 2, 3]
    assert source.warnings == ["2 blank lines skipped (lines 3, 5)"]


def test_only_blank_lines_means_no_header(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no header line"):
        open_csv(write(tmp_path, "\n  \n\r\n"))


# --- structural rejects and numbering ----------------------------------------------------------


def test_rows_with_wrong_field_counts_are_rejected_and_keep_their_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, "record_id,sex,region\nr1,M,x\n r2 ,F\nr3,M,x\nr4,M,x,extra\n\nr5,F,y\n")
    source = open_csv(path)
    assert numbered(source) == [(1, "r1"), (3, "r3"), (5, "r5")]
    assert source.rejects == [
        StructuralReject(2, "r2", "*", " r2 ,F", "expected 3 fields, found 2"),
        StructuralReject(4, "r4", "*", "r4,M,x,extra", "expected 3 fields, found 4"),
    ]
    assert source.rows_read == 5


def test_reject_record_id_follows_the_id_column(tmp_path: Path) -> None:
    path = write(tmp_path, "sex,Record_ID\nM\nF,r2,extra\n")
    source = open_csv(path)
    assert rows(source) == []
    assert [(r.row, r.record_id) for r in source.rejects] == [(1, ""), (2, "r2")]
    without_id = open_csv(path, id_column=None)
    rows(without_id)
    assert [r.record_id for r in without_id.rejects] == ["", ""]


def test_reject_after_blank_lines_is_numbered_as_a_record(tmp_path: Path) -> None:
    path = write(tmp_path, "record_id,sex\n\n \nr1\nr2,F\n")
    source = open_csv(path)
    assert numbered(source) == [(2, "r2")]
    assert [(r.row, r.value) for r in source.rejects] == [(1, "r1")]


def test_trailing_delimiter_is_an_extra_field(tmp_path: Path) -> None:
    source = open_csv(write(tmp_path, "record_id,sex\nr1,M,\n"))
    assert rows(source) == []
    assert source.rejects[0].error == "expected 2 fields, found 3"


def test_multiline_quoted_value_is_one_record(tmp_path: Path) -> None:
    text = 'record_id,note,sex\nr1,"first\nsecond\n\nfourth",M\nr2,x\n\nr3,y,F\n'
    source = open_csv(write(tmp_path, text))
    assert rows(source) == [
        {"_row": 1, "record_id": "r1", "note": "first\nsecond\n\nfourth", "sex": "M"},
        {"_row": 3, "record_id": "r3", "note": "y", "sex": "F"},
    ]
    assert source.rejects == [StructuralReject(2, "r2", "*", "r2,x", "expected 3 fields, found 2")]
    # The empty line inside the quotes is part of the value; line 7 is a real blank line.
    assert source.warnings == ["line 7 is blank: skipped (not a record)"]


def test_multiline_quoted_value_in_a_rejected_row(tmp_path: Path) -> None:
    text = 'record_id,note\n"r1","a\nb",extra\nr2,ok\n'
    source = open_csv(write(tmp_path, text))
    assert numbered(source) == [(2, "r2")]
    assert source.rejects == [
        StructuralReject(1, "r1", "*", '"r1","a\nb",extra', "expected 2 fields, found 3")
    ]


def test_crlf_line_endings(tmp_path: Path) -> None:
    text = "record_id,sex\r\nr1,M\r\n\r\nr2\r\nr3,F\r\n"
    source = open_csv(write(tmp_path, text))
    assert rows(source) == [
        {"_row": 1, "record_id": "r1", "sex": "M"},
        {"_row": 3, "record_id": "r3", "sex": "F"},
    ]
    assert [(r.row, r.value) for r in source.rejects] == [(2, "r2")]
    assert source.warnings == ["line 3 is blank: skipped (not a record)"]


def test_last_line_without_newline(tmp_path: Path) -> None:
    source = open_csv(write(tmp_path, "record_id,sex\nr1,M\nr2,F"))
    assert numbered(source) == [(1, "r1"), (2, "r2")]


def test_classic_mac_line_endings_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="CR only"):
        open_csv(write(tmp_path, "record_id,sex\rr1,M\r"))


# --- header-only and the stream ----------------------------------------------------------------


@pytest.mark.parametrize("text", ["record_id,sex\n", "record_id,sex", "record_id,sex\r\n\n  \n"])
def test_header_only_file_is_valid_and_empty(tmp_path: Path, text: str) -> None:
    source = open_csv(write(tmp_path, text))
    assert source.columns == ["record_id", "sex"]
    assert source.schema.names == ["_row", "record_id", "sex"]
    assert rows(source) == []
    assert source.rows_read == 0
    assert source.rejects == []


def test_batches_can_be_taken_once(tmp_path: Path) -> None:
    source = open_csv(write(tmp_path, "record_id\nr1\n"))
    list(source.batches())
    with pytest.raises(RuntimeError):
        source.batches()


def test_reader_gives_the_same_stream(tmp_path: Path) -> None:
    source = open_csv(write(tmp_path, "record_id,sex\nr1,M\nr2\nr3,F\n"))
    reader = source.reader()
    assert isinstance(reader, pa.RecordBatchReader)
    assert reader.schema == source.schema
    table = reader.read_all()
    assert table.column("_row").to_pylist() == [1, 3]
    assert len(source.rejects) == 1


def test_every_batch_has_the_schema_and_at_most_batch_rows(tmp_path: Path) -> None:
    body = "".join(f"r{i},M\n" for i in range(2500))
    source = open_csv(write(tmp_path, "record_id,sex\n" + body), batch_rows=1000)
    batches = list(source.batches())
    assert len(batches) >= 3
    assert all(batch.schema == source.schema for batch in batches)
    assert all(batch.num_rows <= 1000 for batch in batches)


def test_record_longer_than_a_block_is_read(tmp_path: Path) -> None:
    long_value = "x" * (3 << 20)
    source = open_csv(write(tmp_path, f"record_id,note\nr1,{long_value}\nr2,y\n"))
    got = rows(source)
    assert [row["_row"] for row in got] == [1, 2]
    assert len(got[0]["note"]) == len(long_value)


def test_large_file_numbers_continue_across_batches(tmp_path: Path) -> None:
    bad = {1_000, 77_777, 150_001, 199_999}
    blank_after = {5, 123_456}
    lines = ["record_id,sex,region"]
    for n in range(1, 200_001):
        lines.append(f"r{n},M" if n in bad else f"r{n},M,Region {n % 85}")
        if n in blank_after:
            lines.append("")
    source = open_csv(write(tmp_path, "\n".join(lines) + "\n"), batch_rows=4096)
    numbers: list[Any] = []
    ids: list[Any] = []
    for batch in source.batches():
        assert batch.num_rows <= 4096
        numbers.extend(batch.column("_row").to_pylist())
        ids.extend(batch.column("record_id").to_pylist())
    assert numbers == [n for n in range(1, 200_001) if n not in bad]
    assert ids == [f"r{n}" for n in numbers]
    assert [(r.row, r.record_id) for r in source.rejects] == [(n, f"r{n}") for n in sorted(bad)]
    assert source.rows_read == 200_000
    assert source.warnings == ["2 blank lines skipped (lines 7, 123459)"]


# --- a model of the rules, checked on generated files ---------------------------------------


@dataclass(frozen=True)
class _Record:
    fields: tuple[tuple[str, bool], ...]  # (value, quoted)

    def text(self) -> str:
        return ",".join('"' + v.replace('"', '""') + '"' if q else v for v, q in self.fields)


_unquoted = st.text(alphabet="abc 12", max_size=4)
_quoted = st.text(alphabet='ab ,;\n"', max_size=6)
_field = st.one_of(st.tuples(_unquoted, st.just(False)), st.tuples(_quoted, st.just(True)))
_record_id = st.tuples(st.from_regex(r"[a-z][a-z0-9]{0,3}", fullmatch=True), st.booleans())
_record = st.builds(
    lambda first, rest: _Record((first, *rest)),
    _record_id,
    st.lists(_field, min_size=0, max_size=4),
)
_blank = st.sampled_from(["", " ", "\t", " \t ", "\r"])
_items = st.lists(st.one_of(_record, _blank), max_size=25)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    items=_items,
    newline=st.sampled_from(["\n", "\r\n"]),
    final_newline=st.booleans(),
    chunk=st.integers(1, 40),
)
def test_generated_files_follow_the_rules(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    items: list[_Record | str],
    newline: str,
    final_newline: bool,
    chunk: int,
) -> None:
    # Tiny scan chunks and blocks put every line, quote and newline on a boundary somewhere.
    monkeypatch.setattr(read_csv_module, "_SCAN_CHUNK", chunk)
    monkeypatch.setattr(read_csv_module, "_BLOCK", 512)
    texts = [
        "record_id,b,c",
        *(item.text() if isinstance(item, _Record) else item for item in items),
    ]
    content = newline.join(texts) + (newline if final_newline else "")
    expected_rows, expected_rejects, blank_lines = [], [], []
    line, record = 1, 0
    for index, item in enumerate(items):
        line += 1
        if isinstance(item, _Record):
            record += 1
            values = [v for v, _ in item.fields]
            if len(values) == 3:
                expected_rows.append(
                    {"_row": record, "record_id": values[0], "b": values[1], "c": values[2]}
                )
            else:
                error = f"expected 3 fields, found {len(values)}"
                expected_rejects.append(
                    StructuralReject(record, values[0].strip(), "*", item.text(), error)
                )
            line += item.text().count("\n")
        elif item or final_newline or index < len(items) - 1:
            # (an empty last item without a final newline adds no line at all)
            blank_lines.append(line)
    path = tmp_path / "generated.csv"
    path.write_bytes(content.encode())
    source = open_csv(path, batch_rows=3)
    assert rows(source) == expected_rows
    assert source.rejects == expected_rejects
    assert source.rows_read == record
    if blank_lines:
        assert source.warnings == [blank_warning("line", blank_lines[:10], len(blank_lines))]
    else:
        assert source.warnings == []
