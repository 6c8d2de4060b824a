"""Streaming writers: chunks go to disk as they come, into a file renamed at the end."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from nadzor.synth._csv import csv_header
from nadzor.synth._options import SynthError

__all__ = ["FORMATS", "atomic_output", "output_format", "write_csv", "write_parquet"]

# Output format by file extension (compared in lower case).
FORMATS: dict[str, str] = {".csv": "csv", ".parquet": "parquet"}


def output_format(target: Path) -> str:
    """`csv` or `parquet` from the extension of `target`; anything else is an error."""
    found = FORMATS.get(target.suffix.lower())
    if found is None:
        known = ", ".join(FORMATS)
        raise SynthError(f"cannot write {target.name!r}: the extension must be one of {known}")
    return found


def write_parquet(path: Path, schema: pa.Schema, tables: Iterable[pa.Table]) -> None:
    """Each table as one row group (readers can stream them), zstd-compressed."""
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for table in tables:
            writer.write_table(table, row_group_size=max(table.num_rows, 1))


def write_csv(path: Path, names: Iterable[str], pieces: Iterable[pa.Buffer]) -> None:
    """A header line, then the already-encoded CSV lines of each chunk."""
    with path.open("wb") as sink:
        sink.write(csv_header(list(names)))
        for piece in pieces:
            sink.write(piece)


@contextlib.contextmanager
def atomic_output(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`, renamed onto it only if the block succeeds.

    On any failure, Ctrl-C included, the partial file is removed and `target` is left
    as it was, so no reader ever sees half a register.
    """
    if target.is_dir():
        raise SynthError(f"cannot write {str(target)!r}: it is a directory")
    if not target.parent.is_dir():
        raise SynthError(f"cannot write {str(target)!r}: no such directory {str(target.parent)!r}")
    partial = _create_beside(target)
    try:
        yield partial
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _create_beside(target: Path) -> Path:
    """A new empty hidden file next to `target`, with the permissions the umask gives.

    (`tempfile.mkstemp` would make it owner-only, and the rename would keep that.)
    """
    for _ in range(100):
        partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
        try:
            os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return partial
    raise FileExistsError(f"no free temporary name beside {target}")
