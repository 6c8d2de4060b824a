"""Write outputs to temporary files beside their targets, and rename them only at the end.

A run that fails leaves no new or half-written output behind: `Outputs.commit()` is the
only place where targets change.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from nadzor.screening._source import InputError

__all__ = ["Outputs", "output_format"]

_FORMATS = {".csv": "csv", ".parquet": "parquet"}


def output_format(path: Path, flag: str) -> str:
    """`csv` or `parquet` from the extension; anything else is a whole-run error."""
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{flag} {path}: the extension must be .csv or .parquet")
    if path.is_dir():
        raise InputError(f"{flag} {path}: is a directory")
    if not path.parent.exists():
        raise InputError(f"{flag} {path}: the directory {path.parent} does not exist")
    return fmt


class Outputs:
    """Temporary files of one run; `commit` renames them into place, `discard` removes them."""

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []
        self._remove: list[Path] = []

    def reserve(self, target: Path) -> Path:
        """A temporary file beside `target`, renamed to it on commit."""
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        os.close(fd)
        temp = Path(name)
        self._pending.append((temp, target))
        return temp

    def write(self, target: Path, schema: pa.Schema, batches: pa.RecordBatchReader) -> int:
        """Stream `batches` into a temporary file for `target`; returns the rows written."""
        temp = self.reserve(target)
        rows = 0
        if output_format(target, "output") == "csv":
            options = pacsv.WriteOptions(include_header=True, quoting_style="needed")
            with pacsv.CSVWriter(str(temp), schema, write_options=options) as writer:
                for batch in batches:
                    writer.write_batch(batch.select(schema.names).cast(schema))
                    rows += batch.num_rows
        else:
            with pq.ParquetWriter(str(temp), schema, compression="zstd") as writer:
                for batch in batches:
                    writer.write_batch(batch.select(schema.names).cast(schema))
                    rows += batch.num_rows
        return rows

    def discard_last(self) -> None:
        """Give up the last reserved file (the caller writes it another way)."""
        temp, _ = self._pending.pop()
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()

    def remove_on_commit(self, target: Path) -> None:
        """A stale file from an earlier run that this run does not replace."""
        self._remove.append(target)

    def commit(self) -> None:
        # Temporary files are created private; outputs get the user's usual permissions.
        mask = os.umask(0)
        os.umask(mask)
        for temp, target in self._pending:
            temp.chmod(0o666 & ~mask)
            temp.replace(target)
        for stale in self._remove:
            with contextlib.suppress(FileNotFoundError):
                stale.unlink()
        self._pending.clear()

    def discard(self) -> None:
        for temp, _ in self._pending:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
        self._pending.clear()
