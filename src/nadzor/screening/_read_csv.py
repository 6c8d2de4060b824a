"""Read a CSV register as a stream of string-typed Arrow batches, numbering its records.

The file is read twice, both times streaming: a quick byte scan (is it UTF-8? where are the
blank lines? how long is the longest line?) and then pyarrow's streaming CSV reader.
"""

from __future__ import annotations

import bisect
import codecs
import csv
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import charset_normalizer
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pcsv

from nadzor.screening._csv_clean import MAX_SPAN_BYTES, Cleaner
from nadzor.screening._encodings import DEFAULT_LANGUAGES, legacy_encodings, reads_as_utf8
from nadzor.screening._source import (
    InputError,
    RegisterSource,
    StructuralReject,
    blank_warning,
    check_header,
    lines_text,
    record_schema,
    unbalanced_quote_warning,
)

__all__ = ["read_csv"]

_BOM = codecs.BOM_UTF8
_SCAN_CHUNK = 1 << 20
# pyarrow parses 1 MiB blocks fastest (they stay in cache); larger blocks were slower.
_BLOCK = 1 << 20
_MAX_HEADER = 1 << 20
# A line without a newline for this long is kept as one placeholder byte, so memory stays flat.
_MAX_CARRY = 8 << 20
_SAMPLE = 64 << 10
_LISTED = 10
_UTF8_SAMPLE_LINES = 200
_NEWLINE, _QUOTE, _SPACE, _TAB, _CR = 10, 34, 32, 9, 13


@dataclass
class _Header:
    raw: bytes
    line: int
    data_offset: int
    blank_lines: list[int]
    blank_count: int


@dataclass
class _Scan:
    """What the byte scan of the lines after the header found."""

    utf8: bool = True
    bad_offset: int = -1
    # Lines that are valid UTF-8 and not plain ASCII: with invalid ones, the file is mixed.
    # A sample of the lines that are valid UTF-8 beyond ASCII (by design or by accident).
    utf8_lines: list[bytes] = field(default_factory=list)
    quotes: bool = False
    lines: int = 0
    longest: int = 0
    blank_lines: list[int] = field(default_factory=list)
    blank_count: int = 0
    # The same, counting lines that look blank inside quoted values too.
    any_blank_lines: list[int] = field(default_factory=list)
    any_blank_count: int = 0


def read_csv(
    path: str,
    *,
    id_column: str | None,
    batch_rows: int,
    languages: tuple[str, ...] = DEFAULT_LANGUAGES,
) -> RegisterSource:
    """Open a CSV register; blank lines and encoding problems become warnings. A file that
    is not UTF-8 is read in the legacy encoding of `languages` that fits it best."""
    header = _read_header(path)
    scan = _scan(path, header)
    candidates = legacy_encodings(languages)
    encoding = None if scan.utf8 else _legacy_encoding(path, scan.bad_offset, candidates)
    mixed = encoding is not None and any(
        reads_as_utf8(line, encoding, languages) for line in scan.utf8_lines
    )
    text = _decode_header(path, header.raw, "utf-8" if mixed else encoding or "utf-8")
    delimiter = ";" if text.count(";") > text.count(",") else ","
    columns = check_header(next(csv.reader([text], delimiter=delimiter)))
    source = RegisterSource(
        format="csv",
        path=path,
        columns=columns,
        schema=record_schema([pa.field(name, pa.string()) for name in columns]),
    )
    if encoding is not None and not mixed:
        source.warnings.append(f"file is not valid UTF-8: read as {encoding}")
    blank = header.blank_lines + scan.blank_lines
    if blank:
        count = header.blank_count + scan.blank_count
        source.warnings.append(blank_warning("line", blank[:_LISTED], count))
    plan = _Plan(
        offset=header.data_offset,
        first_line=header.line + 1,
        has_records=scan.lines > scan.blank_count,
        encoding="utf8" if mixed else encoding or "utf8",
        legacy=encoding,
        mixed=mixed,
        quotes=scan.quotes,
        delimiter=delimiter,
        block_size=max(_BLOCK, 4 * (scan.longest + 1 + (MAX_SPAN_BYTES if scan.quotes else 0))),
        batch_rows=batch_rows,
        id_index=_id_index(columns, id_column),
        fallback=candidates[0],
        languages=languages,
    )
    source.produce = plan.batches
    return source


def _decode_header(path: str, raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: the header line cannot be read as {encoding}") from exc


def _id_index(columns: list[str], id_column: str | None) -> int:
    if id_column is None:
        return -1
    keys = [name.casefold() for name in columns]
    key = id_column.strip().casefold()
    return keys.index(key) if key in keys else -1


def _read_header(path: str) -> _Header:
    """The first non-blank line; the blank lines before it are counted like any other."""
    blank: list[int] = []
    count = 0
    with Path(path).open("rb") as file:
        for number in itertools.count(1):
            raw = file.readline(_MAX_HEADER)
            if number == 1:
                raw = raw.removeprefix(_BOM)
            if not raw:
                raise InputError(f"{path} has no header line (it has only blank lines)")
            line = raw.rstrip(b"\r\n")
            if line.strip(b" \t"):
                _check_header_line(path, raw, line)
                return _Header(line, number, file.tell(), blank, count)
            count += 1
            if len(blank) < _LISTED:
                blank.append(number)
    raise AssertionError("unreachable")


def _check_header_line(path: str, raw: bytes, line: bytes) -> None:
    if len(raw) >= _MAX_HEADER and not raw.endswith(b"\n"):
        raise InputError(f"{path}: the header line is longer than {_MAX_HEADER} bytes")
    if b"\r" in line:
        # A lone CR ends lines only in classic Mac files; pyarrow would split them but the
        # header read here would swallow the whole file, so refuse instead of guessing.
        raise InputError(f"{path} ends its lines with CR only: use LF or CRLF line endings")


def _scan(path: str, header: _Header) -> _Scan:
    scanner = _Scanner(header)
    with Path(path).open("rb") as file:
        file.seek(header.data_offset)
        while chunk := file.read(_SCAN_CHUNK):
            scanner.feed(chunk)
    return scanner.finish()


class _Scanner:
    """One streaming pass over the bytes after the header, vectorised with numpy.

    A blank line is one with only spaces, tabs or a CR, outside a quoted value. Whether a
    position is inside quotes follows from the parity of the quotes before it (RFC 4180
    quoting: a quote inside a quoted value is doubled, so parity is preserved). A stray
    quote inside an unquoted value (`5" screen`) breaks that; if the file ends inside
    quotes by this count, the count is not trusted and every blank-looking line is reported.
    """

    def __init__(self, header: _Header) -> None:
        self.result = _Scan()
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._offset = header.data_offset
        # `_carry` always starts with the newline that ends line `_line`.
        self._carry = b"\n"
        self._line = header.line
        self._quotes = 0
        try:
            header.raw.decode("utf-8")
        except UnicodeDecodeError:
            self.result.utf8, self.result.bad_offset = False, 0

    def feed(self, chunk: bytes) -> None:
        self._check_utf8(chunk)
        buffer = self._carry + chunk
        data = np.frombuffer(buffer, dtype=np.uint8)
        newlines = np.flatnonzero(data == _NEWLINE)
        if newlines.size == 1:
            self._carry = self._squeeze(buffer)
            return
        self._lines(data, newlines)
        self._carry = buffer[int(newlines[-1]) :]

    def finish(self) -> _Scan:
        if self.result.utf8:
            try:
                self._decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                self.result.utf8, self.result.bad_offset = False, self._offset
        last = self._carry[1:]
        if last:
            self.result.lines += 1
            self.result.longest = max(self.result.longest, len(last))
            if not last.strip(b" \t\r"):
                line = np.array([self._line + 1])
                self._blank(line, line[: 1 - self._quotes])
        if (self._quotes + last.count(b'"')) % 2:
            self.result.blank_lines = self.result.any_blank_lines
            self.result.blank_count = self.result.any_blank_count
        return self.result

    def _check_utf8(self, chunk: bytes) -> None:
        result = self.result
        if not result.quotes and b'"' in chunk:
            result.quotes = True
        if result.utf8 and not (chunk.isascii() and not self._decoder.getstate()[0]):
            try:
                self._decoder.decode(chunk)
                _sample_utf8_lines(chunk, result.utf8_lines)
            except UnicodeDecodeError as exc:
                result.utf8, result.bad_offset = False, self._offset + exc.start
        if not result.utf8:
            _sample_utf8_lines(chunk, result.utf8_lines)
        self._offset += len(chunk)

    def _squeeze(self, buffer: bytes) -> bytes:
        """Keep a very long unfinished line as one byte that says whether it is blank."""
        if len(buffer) <= _MAX_CARRY:
            return buffer
        self.result.longest = max(self.result.longest, len(buffer))
        self._quotes = (self._quotes + buffer.count(b'"')) % 2
        return b"\n" + (b"x" if buffer.strip(b" \t\r\n") else b" ")

    def _lines(self, data: npt.NDArray[np.uint8], newlines: npt.NDArray[np.intp]) -> None:
        """Find the blank lines among the complete lines between `newlines`."""
        starts, ends = newlines[:-1] + 1, newlines[1:]
        lengths = ends - starts
        self.result.lines += lengths.size
        self.result.longest = max(self.result.longest, int(lengths.max()))
        first = data[starts]
        candidates = np.flatnonzero(
            (lengths == 0) | (first == _SPACE) | (first == _TAB) | (first == _CR)
        )
        is_quote = data[: int(newlines[-1])] == _QUOTE
        if candidates.size:
            blank = candidates[_only_spaces(data, starts[candidates], ends[candidates])]
            before = np.searchsorted(np.flatnonzero(is_quote), starts[blank]) + self._quotes
            lines = blank + self._line + 1
            self._blank(lines, lines[before % 2 == 0])
        self._line += lengths.size
        self._quotes = (self._quotes + int(np.count_nonzero(is_quote))) % 2

    def _blank(self, every: npt.NDArray[np.intp], outside: npt.NDArray[np.intp]) -> None:
        """Note blank-looking lines: all of them, and those outside quoted values."""
        result = self.result
        result.any_blank_lines += every[: _LISTED - len(result.any_blank_lines)].tolist()
        result.any_blank_count += every.size
        result.blank_lines += outside[: _LISTED - len(result.blank_lines)].tolist()
        result.blank_count += outside.size


def _sample_utf8_lines(chunk: bytes, sample: list[bytes]) -> None:
    """Add to `sample` (up to its limit) the chunk's lines that are valid UTF-8 beyond
    ASCII, looking at a limited number of non-ASCII lines."""
    tested = 0
    for line in chunk.split(b"\n")[1:-1]:  # the first and last may be cut off
        if len(sample) >= _UTF8_SAMPLE_LINES or tested >= _UTF8_SAMPLE_LINES:
            return
        if line.isascii():
            continue
        tested += 1
        if _valid_utf8(line):
            sample.append(line)


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _only_spaces(
    data: npt.NDArray[np.uint8], starts: npt.NDArray[np.intp], ends: npt.NDArray[np.intp]
) -> npt.NDArray[np.bool_]:
    """For each line [start, end): does it hold only spaces, tabs and CRs?"""
    other = (data != _SPACE) & (data != _TAB) & (data != _CR)
    seen = np.concatenate(([0], np.cumsum(other, dtype=np.int64)))
    result: npt.NDArray[np.bool_] = seen[ends] == seen[starts]
    return result


def _legacy_encoding(path: str, bad_offset: int, candidates: tuple[str, ...]) -> str:
    """Pick the single-byte encoding among `candidates` that reads the non-ASCII lines
    best; the first candidate when the sample cannot decide."""
    default = candidates[0]
    with Path(path).open("rb") as file:
        file.seek(max(0, bad_offset - _SAMPLE))
        window = file.read(16 * _SAMPLE)
    sample = b"\n".join(
        line for line in window.split(b"\n") if not line.isascii() and not _valid_utf8(line)
    )
    if not sample:
        return default
    matches = charset_normalizer.from_bytes(sample[:_SAMPLE], cp_isolation=list(candidates))
    best = matches.best()
    if best is None:
        return default
    tied = [m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
    if any(default in m.could_be_from_charset for m in tied):
        return default
    return str(best.encoding)


@dataclass(frozen=True)
class _Plan:
    """How to run pyarrow over the records once the header and encoding are known."""

    offset: int
    first_line: int
    has_records: bool
    encoding: str
    legacy: str | None
    mixed: bool
    quotes: bool
    delimiter: str
    block_size: int
    batch_rows: int
    id_index: int
    #: how a damaged line that is not UTF-8 is read when the file has no legacy encoding
    fallback: str = "cp1251"
    #: the register's languages: which reading of a line that is valid UTF-8 is text
    languages: tuple[str, ...] = DEFAULT_LANGUAGES

    def batches(self, source: RegisterSource) -> Iterator[pa.RecordBatch]:
        if not self.has_records:
            return
        cleaner = None
        if self.quotes or self.mixed:
            # Only a file with quotes or mixed encodings needs the (slower) Python stream.
            cleaner = Cleaner(
                source.path,
                self.offset,
                first_line=self.first_line,
                delimiter=self.delimiter,
                legacy=self.legacy,
                mixed=self.mixed,
                fallback=self.fallback,
                languages=self.languages,
            )
        numbering = _Numbering(source, self.delimiter, self.id_index, cleaner)
        with cleaner or pa.OSFile(source.path, "r") as file:
            if cleaner is None:
                file.seek(self.offset)
            try:
                # A native file reads about 10% faster than a Python one; the stubs of
                # open_csv list only paths and Python files.
                reader = pcsv.open_csv(file, *self._options(source.columns, numbering))  # type: ignore[arg-type]
                for batch in reader:
                    rows = _int64_array(numbering.numbers(batch.num_rows))
                    full = pa.RecordBatch.from_arrays([rows, *batch.columns], schema=source.schema)
                    for start in range(0, full.num_rows, self.batch_rows):
                        yield full.slice(start, self.batch_rows)
            except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
                reason = str(exc).splitlines()[0]
                raise InputError(f"{source.path} cannot be read as CSV: {reason}") from exc
        if cleaner is not None:
            source.warnings.extend(_cleaner_warnings(cleaner))

    def _options(
        self, columns: list[str], numbering: _Numbering
    ) -> tuple[pcsv.ReadOptions, pcsv.ParseOptions, pcsv.ConvertOptions]:
        read = pcsv.ReadOptions(
            # Row numbers reach the invalid-row handler only when reading on one thread.
            use_threads=False,
            block_size=self.block_size,
            column_names=columns,
            encoding=self.encoding,
        )
        parse = pcsv.ParseOptions(
            delimiter=self.delimiter,
            quote_char='"',
            double_quote=True,
            escape_char=False,
            newlines_in_values=True,
            # Empty lines must be skipped by pyarrow: kept, they become rows of empty strings
            # that look exactly like a line of delimiters, and they never reach the handler.
            ignore_empty_lines=True,
            invalid_row_handler=numbering.handle,
        )
        convert = pcsv.ConvertOptions(
            column_types=dict.fromkeys(columns, pa.string()),
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        )
        return read, parse, convert


def _cleaner_warnings(cleaner: Cleaner) -> list[str]:
    warnings: list[str] = []
    if cleaner.damage:
        lines = [damage.line for damage in itertools.islice(cleaner.damage.values(), _LISTED)]
        count = len(cleaner.damage)
        warnings.append(unbalanced_quote_warning(lines, count))
    if cleaner.legacy_count:
        lines, count = cleaner.legacy_lines, cleaner.legacy_count
        warnings.append(
            f"{lines_text(lines, count)} {'is' if count == 1 else 'are'} not valid UTF-8:"
            f" read as {cleaner.legacy}, the rest of the file as UTF-8"
        )
    return warnings


class _Numbering:
    """Record numbers for pyarrow's rows, and the structural rejects it hands over.

    With one thread, pyarrow numbers the rows it parses 1, 2, ... from the first line after
    the header: an empty line gets no number (it is skipped), a quoted value spanning lines
    is one row, a line of spaces is a row (of one field) and reaches the handler, in file
    order. Good rows are numbered from the handler's numbers with numpy, so the Python work
    is per bad row, never per row.
    """

    def __init__(
        self, source: RegisterSource, delimiter: str, id_index: int, cleaner: Cleaner | None
    ) -> None:
        self._source = source
        self._cleaner = cleaner
        self._delimiter = delimiter
        self._id_index = id_index
        self._skipped: list[int] = []  # pyarrow numbers of skipped rows not yet passed
        self._blank: list[int] = []  # the blank ones among them
        self._skipped_before = 0
        self._blank_before = 0
        self._blank_total = 0
        self._good = 0
        self._shape = 0  # rows rejected here, for their shape

    def handle(self, row: pcsv.InvalidRow) -> Literal["skip"]:
        if row.number is None:
            raise RuntimeError("pyarrow gave no row number: the CSV must be read on one thread")
        self._skipped.append(row.number)
        damage = self._cleaner.marker(row.text) if self._cleaner is not None else None
        if damage is not None:
            self._shape += 1
            fields = damage.fields
            self._source.rejects.append(
                StructuralReject(
                    row=row.number - self._blank_total,
                    record_id=fields[self._id_index].strip()
                    if 0 <= self._id_index < len(fields)
                    else "",
                    column="*",
                    value=damage.text,
                    error=f"line {damage.line}: unbalanced quote (a quoted value opens here"
                    " and does not close), so the line is not read as a record",
                )
            )
            self._source.rows_read = self._good + self._shape
            return "skip"
        if row.actual_columns == 1 and not row.text.strip(" \t\r"):
            self._blank.append(row.number)
            self._blank_total += 1
            return "skip"
        self._shape += 1
        self._source.rejects.append(
            StructuralReject(
                row=row.number - self._blank_total,
                record_id=self._record_id(row.text),
                column="*",
                value=row.text,
                error=f"expected {row.expected_columns} fields, found {row.actual_columns}",
            )
        )
        self._source.rows_read = self._good + self._shape
        return "skip"

    def numbers(self, count: int) -> npt.NDArray[np.int64]:
        """Record numbers of the next `count` good rows."""
        good = np.arange(self._good, self._good + count, dtype=np.int64)
        skipped = np.asarray(self._skipped, dtype=np.int64)
        # Good rows before each pending skipped row: rows before it minus skipped ones.
        good_before = skipped - 1 - self._skipped_before - np.arange(skipped.size)
        number = good + 1 + self._skipped_before + np.searchsorted(good_before, good, "right")
        blank = np.asarray(self._blank, dtype=np.int64)
        records = number - self._blank_before - np.searchsorted(blank, number)
        self._retire(int(number[-1]) if count else 0)
        self._good += count
        self._source.rows_read = self._good + self._shape
        return records

    def _retire(self, last: int) -> None:
        """Fold the skipped rows before `last` into counters, keeping the lists short."""
        passed = bisect.bisect_left(self._skipped, last)
        self._skipped_before += passed
        del self._skipped[:passed]
        passed = bisect.bisect_left(self._blank, last)
        self._blank_before += passed
        del self._blank[:passed]

    def _record_id(self, text: str) -> str:
        if self._id_index < 0:
            return ""
        fields = next(csv.reader(io.StringIO(text, newline=""), delimiter=self._delimiter), [])
        return fields[self._id_index].strip() if self._id_index < len(fields) else ""


def _int64_array(values: npt.NDArray[np.int64]) -> pa.Array[Any]:
    """`pa.array(values)` without pyarrow's check for pandas objects, which imports pandas
    (longer than reading a small register)."""
    values = np.ascontiguousarray(values, dtype=np.int64)
    data = pa.py_buffer(values)  # type: ignore[arg-type]
    return pa.Array.from_buffers(pa.int64(), len(values), [None, data])
