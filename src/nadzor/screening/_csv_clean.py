"""The CSV bytes as pyarrow should see them: stray quotes contained, mixed encodings mended.

pyarrow's CSV parser keeps a quoted value open across lines until the next quote, so one
unbalanced quote swallows every line after it into a single value. `Cleaner` reads the
file ahead of pyarrow and follows the same quoting rules (a quote opens a value only at
the start of a field; `""` inside is a quote; the value ends at the next lone quote) with
Python's own CSV parser, but only on the lines that hold a quote. A quoted value may span
lines only if it closes within `MAX_SPAN_LINES` lines and its record then has the header's
number of fields; otherwise the line that opened it is replaced by a marker line, which
pyarrow hands to the invalid-row handler, and the lines after it are read as records of
their own. So the damage stays on the line with the stray quote.

In a file that mixes UTF-8 lines with lines in a legacy encoding, each line that is not
valid UTF-8 is decoded on its own and passed on as UTF-8.
"""

from __future__ import annotations

import csv
import io
import secrets
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from nadzor.screening._encodings import DEFAULT_LANGUAGES, reads_as_utf8

__all__ = ["MAX_SPAN_BYTES", "MAX_SPAN_LINES", "Cleaner", "Damage"]

MAX_SPAN_LINES = 100
MAX_SPAN_BYTES = 256 << 10
_CHUNK = 1 << 20
_NEWLINE, _QUOTE, _CR = 10, 34, 13
_LISTED = 10
# Lines are bounded only by memory; the parser's default limit of 128 KiB per field would
# refuse long lines that pyarrow reads.
csv.field_size_limit(2**31 - 1)


@dataclass(frozen=True)
class Damage:
    """A line left out because a quote on it opens a value that never closes properly."""

    line: int
    text: str
    fields: list[str]


@dataclass
class _Line:
    number: int
    raw: bytes
    quoted: bool


@dataclass
class _Span:
    """A quoted value open since `lines[0]`, with the lines read into it so far."""

    lines: list[_Line] = field(default_factory=list)
    size: int = 0


class Cleaner(io.RawIOBase):
    """A read-only stream over the lines after the header, with damage replaced by markers.

    `legacy` is the file's legacy encoding, if it has one; with `mixed`, only the lines that
    are not valid UTF-8 are in it, and they are passed on as UTF-8.
    """

    def __init__(
        self,
        path: str,
        offset: int,
        *,
        first_line: int,
        delimiter: str,
        legacy: str | None,
        mixed: bool,
        fallback: str = "cp1251",
        languages: tuple[str, ...] = DEFAULT_LANGUAGES,
    ) -> None:
        super().__init__()
        self._file = Path(path).open("rb")  # noqa: SIM115 - closed in close()
        self._file.seek(offset)
        self._delimiter = delimiter
        self._legacy = legacy
        self._fallback = fallback
        self._mixed = mixed and legacy is not None
        self._languages = languages
        self._next_line = first_line  # the number of the next line to read
        self._pending = b""
        self._out = bytearray()
        self._eof = False
        self._span: _Span | None = None
        self.token = "\x1a" + secrets.token_hex(8) + "-"
        self.damage: dict[str, Damage] = {}
        self.legacy_lines: list[int] = []
        self.legacy_count = 0

    # io.RawIOBase
    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._out and not self._eof:
            self._fill()
        size = min(len(buffer), len(self._out))
        buffer[:size] = self._out[:size]
        del self._out[:size]
        return size

    def close(self) -> None:
        self._file.close()
        super().close()

    @property
    def legacy(self) -> str | None:
        return self._legacy

    def marker(self, text: str) -> Damage | None:
        """The damage a row of pyarrow's stands for, if it is one of the marker lines."""
        return self.damage.get(text) if text.startswith(self.token) else None

    def _fill(self) -> None:
        chunk = self._file.read(_CHUNK)
        if chunk:
            buffer = self._pending + chunk
            end = buffer.rfind(b"\n") + 1
            self._pending = buffer[end:]
            if end:
                self._lines(buffer[:end])
            return
        self._eof = True
        last, self._pending = self._pending, b""
        if last:
            self._lines(last)
        while self._span is not None:
            for line in self._give_up():
                self._walk(line)

    def _lines(self, data: bytes) -> None:
        """Pass on complete lines; only the lines with a quote or bad UTF-8 are looked at."""
        base = self._next_line
        if self._span is None and _QUOTE not in data and self._utf8(data):
            self._out += data
            self._next_line = base + data.count(b"\n")
            return
        array = np.frombuffer(data, dtype=np.uint8)
        ends = np.flatnonzero(array == _NEWLINE) + 1
        if not ends.size or ends[-1] != len(data):
            ends = np.append(ends, len(data))
        starts = np.concatenate(([0], ends[:-1]))
        quotes = np.concatenate(([0], np.cumsum(array == _QUOTE)))
        has_quote = quotes[ends] > quotes[starts]
        interesting = has_quote & ~self._plainly_quoted(array, starts, ends, quotes)
        if self._mixed:
            high = np.concatenate(([0], np.cumsum(array >= 0x80)))
            interesting = has_quote | (high[ends] > high[starts])
        marked = np.flatnonzero(interesting)
        count, index, pointer = int(ends.size), 0, 0
        while index < count:
            if self._span is None:
                pointer = int(np.searchsorted(marked, index))
                if pointer == marked.size:
                    self._out += data[int(starts[index]) :]
                    break
                following = int(marked[pointer])
                self._out += data[int(starts[index]) : int(starts[following])]
                index = following
            start, end = int(starts[index]), int(ends[index])
            self._walk(_Line(base + index, data[start:end], bool(has_quote[index])))
            index += 1
        self._next_line = base + count

    def _plainly_quoted(
        self,
        array: npt.NDArray[np.uint8],
        starts: npt.NDArray[np.intp],
        ends: npt.NDArray[np.intp],
        counts: npt.NDArray[np.intp],
    ) -> npt.NDArray[np.bool_]:
        """Lines whose quotes plainly open and close values: the 1st, 3rd, ... quote at
        the start of a field, the 2nd, 4th, ... right before a delimiter or the line end.
        Such a line is one well-formed record, so Python's parser need not look at it (in
        an export that quotes every value, that is every line)."""
        where = np.flatnonzero(array == _QUOTE)
        if not where.size:
            return np.zeros(starts.size, dtype=bool)
        line = np.searchsorted(ends, where, side="right")
        rank = np.arange(where.size) - counts[starts[line]]
        delimiter = ord(self._delimiter)
        before = array[np.maximum(where - 1, 0)]
        opens = (where == starts[line]) | (before == delimiter)
        after = array[np.minimum(where + 1, array.size - 1)]
        last = where + 1 >= ends[line]
        closes = last | (after == delimiter) | (after == _NEWLINE) | (after == _CR)
        fine = np.where(rank % 2 == 0, opens, closes)
        bad = np.zeros(starts.size, dtype=np.intp)
        np.add.at(bad, line, ~fine)
        even = (counts[ends] - counts[starts]) % 2 == 0
        result: npt.NDArray[np.bool_] = (bad == 0) & even
        return result

    def _utf8(self, data: bytes) -> bool:
        # With mixed encodings each line beyond ASCII is judged on its own (`_emit`): a line
        # in the legacy code page can be valid UTF-8 by accident.
        return not self._mixed or data.isascii()

    def _walk(self, line: _Line) -> None:
        """Follow the quoting over one line; lines handed back by `_give_up` come here too."""
        work = deque([line])
        while work:
            current = work.popleft()
            if self._span is None:
                if current.quoted and _open_after(self._texts([current]), self._delimiter):
                    self._span = _Span([current], len(current.raw))
                else:
                    self._emit(current)
                continue
            span = self._span
            span.lines.append(current)
            span.size += len(current.raw)
            if current.quoted:
                texts = self._texts(span.lines)
                if not _open_after(texts, self._delimiter):
                    if _well_formed(texts, self._delimiter):
                        self._span = None
                        for part in span.lines:
                            self._emit(part)
                    else:
                        work.extendleft(reversed(self._give_up()))
                    continue
            if len(span.lines) > MAX_SPAN_LINES or span.size > MAX_SPAN_BYTES:
                work.extendleft(reversed(self._give_up()))

    def _give_up(self) -> list[_Line]:
        """Mark the line that opened the span as damaged; the others are to be read again."""
        assert self._span is not None
        first, *rest = self._span.lines
        self._span = None
        text = self._decode(first.raw).rstrip("\r\n")
        try:
            fields = next(csv.reader([text], delimiter=self._delimiter), [])
        except csv.Error:
            fields = []
        key = f"{self.token}{len(self.damage)}"
        self.damage[key] = Damage(first.number, text, fields)
        self._out += key.encode("ascii") + b"\n"
        return rest

    def _emit(self, line: _Line) -> None:
        if self._mixed and not line.raw.isascii():
            assert self._legacy is not None
            if not reads_as_utf8(line.raw, self._legacy, self._languages):
                self.legacy_count += 1
                if len(self.legacy_lines) < _LISTED:
                    self.legacy_lines.append(line.number)
                self._out += line.raw.decode(self._legacy).encode("utf-8")
                return
        self._out += line.raw

    def _decode(self, raw: bytes) -> str:
        if self._legacy is not None and not (
            self._mixed and reads_as_utf8(raw, self._legacy, self._languages)
        ):
            return raw.decode(self._legacy, errors="replace")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode(self._legacy or self._fallback, errors="replace")

    def _texts(self, lines: list[_Line]) -> list[str]:
        # Quotes, delimiters and newlines are ASCII in every encoding read here, so Latin-1
        # gives the structure of any line without failing.
        return [line.raw.decode("latin-1") for line in lines]


def _open_after(texts: list[str], delimiter: str) -> bool:
    """Is a quoted value still open at the end of these lines (read from a record start)?"""
    # A final empty line is read into a value that is still open, and only then.
    reader = csv.reader([*texts, "\n"], delimiter=delimiter)
    try:
        next(reader, None)
    except csv.Error:
        # pyarrow reads what Python's parser refuses (a lone CR in a value) as it is.
        return False
    return reader.line_num > len(texts)


def _well_formed(texts: list[str], delimiter: str) -> bool:
    """Does every quoted value in the record end right before a delimiter or the line end?

    A value closed by a quote in the middle of a field (`5" screen`) is how a stray quote
    pairs with the next one and swallows the lines between them."""
    try:
        next(csv.reader(texts, delimiter=delimiter, strict=True), None)
    except csv.Error:
        return False
    return True
