"""Open a register: tell its format from its content and hand it to the right reader."""

from __future__ import annotations

import glob
from collections.abc import Callable
from pathlib import Path
from typing import Literal

from nadzor.screening._encodings import DEFAULT_LANGUAGES
from nadzor.screening._read_csv import read_csv
from nadzor.screening._read_parquet import read_parquet, text_holds_nul
from nadzor.screening._read_xlsx import read_xlsx
from nadzor.screening._source import InputError, RegisterSource, Rejects
from nadzor.screening._spark_register import is_url

#: how an engine that reads registers at URLs opens one: (url, id_column=, workdir=)
OpenUrl = Callable[..., RegisterSource]

__all__ = ["open_register", "sniff"]

_SNIFF_BYTES = 8192
_PARQUET_MAGIC = b"PAR1"
_ZIP_MAGIC = b"PK\x03\x04"
_GLOB_CHARS = frozenset("*?[")
# Control bytes that do occur in text files: tab, newlines, form feed, DOS end-of-file.
_TEXT_CONTROLS = frozenset(b"\t\n\v\f\r\x1a")
_MAX_CONTROL_SHARE = 0.01


def open_register(
    path: str,
    *,
    id_column: str | None = "record_id",
    batch_rows: int = 65536,
    workdir: Path | None = None,
    languages: tuple[str, ...] = DEFAULT_LANGUAGES,
    urls: OpenUrl | None = None,
) -> RegisterSource:
    """Open a CSV, Parquet or XLSX file, or a directory or glob of Parquet files. A CSV
    that is not UTF-8 is read in a legacy encoding of `languages` (the record type's).

    A URL (`hdfs://...`, `s3a://...`, `file://...`) is opened by `urls`, the engine's own
    reader (Spark's); without one it is an error naming the engines that read URLs.

    Rejects beyond what memory should hold are spilled to `workdir` (a private folder of
    their own by default)."""
    if is_url(path):
        if urls is None:
            raise InputError(
                f"register {path} is a URL, which only Spark reads: use --engine local[N],"
                " spark://HOST:PORT or sc://HOST:PORT, or copy the register to a local file"
            )
        return urls(path, id_column=id_column, workdir=workdir)
    source = _open(path, id_column=id_column, batch_rows=batch_rows, languages=languages)
    source.key = id_column
    source.rejects = Rejects(workdir)
    if source.native_files and text_holds_nul(source.native_files):
        source.native_files = []
    return source


def _open(
    path: str, *, id_column: str | None, batch_rows: int, languages: tuple[str, ...]
) -> RegisterSource:
    if batch_rows < 1:
        raise ValueError(f"batch_rows must be positive, not {batch_rows}")
    target = Path(path)
    if target.is_dir():
        return read_parquet(_parquet_in(target), label=path, batch_rows=batch_rows)
    if target.exists():
        kind = sniff(path)
        if kind == "parquet":
            return read_parquet([path], label=path, batch_rows=batch_rows)
        if kind == "xlsx":
            return read_xlsx(path, id_column=id_column, batch_rows=batch_rows)
        return read_csv(path, id_column=id_column, batch_rows=batch_rows, languages=languages)
    if _GLOB_CHARS.intersection(path):
        return read_parquet(_parquet_matching(path), label=path, batch_rows=batch_rows)
    raise InputError(f"no such file: {path}")


def sniff(path: str) -> Literal["csv", "parquet", "xlsx"]:
    """The format of a file from its first bytes; the name's extension is not trusted."""
    try:
        with Path(path).open("rb") as file:
            head = file.read(_SNIFF_BYTES)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if not head:
        raise InputError(f"{path} is empty (0 bytes): expected a CSV, Parquet or XLSX file")
    if head.startswith(_PARQUET_MAGIC):
        return "parquet"
    if head.startswith(_ZIP_MAGIC):
        return "xlsx"
    if _looks_binary(head):
        raise InputError(f"{path} is not a CSV, Parquet or XLSX file")
    return "csv"


def _looks_binary(head: bytes) -> bool:
    # A stray NUL in a value is a row error, not a sign of a binary file: count it as any
    # other control byte.
    controls = sum(1 for byte in head if byte < 0x20 and byte not in _TEXT_CONTROLS)
    return controls > _MAX_CONTROL_SHARE * len(head)


def _parquet_in(directory: Path) -> list[str]:
    files = sorted(
        str(entry)
        for entry in directory.iterdir()
        if entry.suffix.lower() == ".parquet" and entry.is_file()
    )
    if not files:
        raise InputError(f"no Parquet files in directory {directory}")
    return files


def _parquet_matching(pattern: str) -> list[str]:
    # glob.glob, not Path.glob: the pattern may be absolute, which Path.glob refuses.
    files = sorted(name for name in glob.glob(pattern) if Path(name).is_file())  # noqa: PTH207
    if not files:
        raise InputError(f"no files match {pattern}")
    for name in files:
        if sniff(name) != "parquet":
            raise InputError(f"{name} is not a Parquet file (a glob is read as Parquet files)")
    return files
