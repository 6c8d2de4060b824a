"""The private folder of one run, and the removal of folders that killed runs left behind.

A run holds an exclusive lock on `.lock` in its folder for as long as it lives; the kernel
drops the lock when the process dies, however it dies (kill -9 included). A folder whose
lock can be taken therefore belongs to no living run, and any later run removes it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["PREFIX", "RunDir", "run_alive", "start_run"]

PREFIX = "nadzor-run-"
_LOCK = ".lock"


@dataclass
class RunDir:
    """A run's id and private folder (spilled rejects, the engine's spill files)."""

    id: str
    path: Path
    _fd: int = field(repr=False)

    def close(self) -> None:
        """Remove the folder and release the lock."""
        shutil.rmtree(self.path, ignore_errors=True)
        with contextlib.suppress(OSError):
            os.close(self._fd)


def start_run(parent: Path | None = None) -> RunDir:
    """A new locked run folder in `parent` (the system's temporary folder by default),
    after removing the folders of runs that died there."""
    base = Path(parent or tempfile.gettempdir())
    remove_stale(base)
    run_id = secrets.token_hex(8)
    # Locked under another name first: a folder with the prefix is never seen unlocked.
    starting = Path(tempfile.mkdtemp(prefix=".nadzor-starting-", dir=base))
    fd = os.open(starting / _LOCK, os.O_CREAT | os.O_RDWR, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    path = base / f"{PREFIX}{run_id}"
    starting.rename(path)
    return RunDir(run_id, path, fd)


def run_alive(base: Path, run_id: str) -> bool:
    """Is the run with this id still running (its folder in `base` locked)?"""
    return _locked(base / f"{PREFIX}{run_id}")


def remove_stale(base: Path) -> list[Path]:
    """Remove the run folders in `base` that no living run holds; returns them."""
    removed: list[Path] = []
    try:
        entries = list(base.glob(f"{PREFIX}*"))
    except OSError:
        return removed
    for entry in entries:
        if entry.is_dir() and (entry / _LOCK).exists() and not _locked(entry):
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def _locked(path: Path) -> bool:
    try:
        fd = os.open(path / _LOCK, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)
    return False
