"""Write outputs to temporary files beside their targets, and rename them only at the end.

A run that fails leaves no new or half-written output behind: `Outputs.commit()` is the
only place where targets change, and its manifest tells which files one run wrote.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from nadzor.screening._source import InputError
from nadzor.screening._spark_register import is_url
from nadzor.screening._workdir import run_alive

__all__ = ["Outputs", "manifest_path", "output_format"]

_FORMATS = {".csv": "csv", ".parquet": "parquet"}


def output_format(path: Path | str, flag: str) -> str:
    """`csv` or `parquet` from the extension; anything else is a whole-run error. A URL
    (`hdfs://...`, `s3a://...`, `file://...`) is written by the engine itself, as Parquet."""
    if isinstance(path, str):
        if is_url(path):
            if not path.lower().endswith(".parquet"):
                raise InputError(
                    f"{flag} {path}: an output at a URL must be .parquet (Spark writes it"
                    " there as a directory of parts)"
                )
            return "parquet"
        path = Path(path)
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"{flag} {path}: the extension must be .csv or .parquet")
    if path.is_dir() and not (fmt == "parquet" and _is_parts(path)):
        raise InputError(f"{flag} {path}: is a directory")
    if not path.parent.exists():
        raise InputError(f"{flag} {path}: the directory {path.parent} does not exist")
    return fmt


class Outputs:
    """Temporary files of one run; `commit` renames them into place, `discard` removes them.

    Temporary files are named `.<target>.<run id>.part`, so that a later run can tell the
    ones of a run that was killed (its run folder is no longer locked) and remove them.
    `commit` also writes a manifest, `<findings>.run.json`, naming the run and the size and
    SHA-256 of each output: a reader can tell that files belong to one complete run.
    """

    def __init__(self, run_id: str) -> None:
        self.run_id = run_id
        self._pending: list[tuple[Path, Path]] = []
        self._remove: list[Path] = []

    def remove_stale(self, targets: Iterable[Path | None]) -> list[Path]:
        """Remove the temporary files that killed runs left beside these targets."""
        removed: list[Path] = []
        for target in targets:
            if target is None:
                continue
            for name in (target.name, manifest_path(target).name):
                for stale in _parts(target.parent, name):
                    if not run_alive(Path(tempfile.gettempdir()), _run_of(stale, name)):
                        _remove(stale)
                        removed.append(stale)
        return removed

    def reserve(self, target: Path) -> Path:
        """A temporary file beside `target`, renamed to it on commit."""
        temp = _temp(target, self.run_id, len(self._pending))
        # Created private (0600), as the outputs stay: they hold personal data.
        fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
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
        _remove(temp)

    def remove_on_commit(self, target: Path) -> None:
        """A stale file from an earlier run that this run does not replace."""
        self._remove.append(target)

    def commit(self) -> None:
        """Rename every output into place, then the manifest that vouches for them.

        The manifest of the run before is removed first: while the outputs are renamed one
        by one (and if the process is killed among them) no manifest claims them.
        """
        if not self._pending:
            return
        manifest = manifest_path(self._pending[0][1])
        files = []
        for temp, target in self._pending:
            # An engine may have written the file anew, with the usual permissions.
            temp.chmod(0o700 if temp.is_dir() else 0o600)
            files.append({"path": _shown(target, manifest), **_digest(temp)})
        record = {
            "run_id": self.run_id,
            "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "files": files,
            "removed": [_shown(path, manifest) for path in self._remove],
        }
        manifest_temp = _temp(manifest, self.run_id, len(self._pending))
        fd = os.open(manifest_temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(record, handle, indent=2)
            handle.write("\n")
        self._pending.append((manifest_temp, manifest))
        with contextlib.suppress(FileNotFoundError):
            manifest.unlink()
        for temp, target in self._pending[:-1]:
            if target.is_dir() or temp.is_dir():
                # a directory of parts replaces, or is replaced by, a file or directory
                _remove(target)
            temp.replace(target)
        for stale in self._remove:
            _remove(stale)
        manifest_temp.replace(manifest)
        self._pending.clear()

    def discard(self) -> None:
        for temp, _ in self._pending:
            _remove(temp)
        self._pending.clear()


def manifest_path(findings: Path) -> Path:
    """The manifest of the run whose findings are at `findings`."""
    return findings.with_name(f"{findings.name}.run.json")


def _temp(target: Path, run_id: str, number: int) -> Path:
    return target.with_name(f".{target.name}.{run_id}-{number}.part")


def _parts(directory: Path, name: str) -> list[Path]:
    try:
        return [
            p for p in directory.glob(f".{glob.escape(name)}.*.part") if p.is_file() or _is_parts(p)
        ]
    except OSError:
        return []


def _run_of(part: Path, name: str) -> str:
    # `.findings.csv.<run id>-0.part`, and `.findings.csv.run.json.<run id>-3.part` when
    # the manifest's temporaries are matched against the findings' name.
    middle = part.name[len(name) + 2 : -len(".part")]
    return middle.rsplit(".", 1)[-1].split("-", 1)[0]


def _shown(path: Path, manifest: Path) -> str:
    return path.name if path.parent == manifest.parent else str(path.resolve())


def _is_parts(path: Path) -> bool:
    """A directory of Parquet parts, as an engine that writes in parallel leaves it."""
    try:
        return path.is_dir() and all(
            p.is_file() and (p.suffix == ".parquet" or p.name.startswith(("_", ".")))
            for p in path.iterdir()
        )
    except OSError:
        return False


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _digest(path: Path) -> dict[str, object]:
    """Size and SHA-256 of a file, or of a directory's files in name order."""
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    digest, size = hashlib.sha256(), 0
    for file in files:
        size += file.stat().st_size
        with file.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    return {"bytes": size, "sha256": digest.hexdigest()}
