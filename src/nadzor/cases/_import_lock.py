"""One findings import at a time per store: a second one is refused at once, in one line.

Two imports of overlapping findings would otherwise race to insert the same findings and
cases, and the loser would stop on a raw unique-constraint error. The lock is released by
the system when its holder ends, however it ends (a killed import leaves none behind):
PostgreSQL's session advisory lock, or an exclusive `flock` on a file beside a SQLite store.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from django.db import connection

from nadzor.cases._errors import BadInput

__all__ = ["BUSY", "ImportBusy", "import_lock"]

# An arbitrary constant naming nadzor's import lock among the server's advisory locks.
_ADVISORY_KEY = 0x6E7A696D706F7274
BUSY = (
    "another `cases import` is running on this store: run this one again when it has"
    " finished (it adds only what is still missing)"
)


class ImportBusy(BadInput):
    """Another import holds the store's import lock."""


@contextlib.contextmanager
def import_lock() -> Iterator[None]:
    if connection.vendor == "postgresql":
        with _advisory():
            yield
        return
    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" or name == ":memory:" or "mode=memory" in name:
        yield
        return
    with _file_lock(Path(f"{name}.import-lock")):
        yield


@contextlib.contextmanager
def _advisory() -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [_ADVISORY_KEY])
        (held,) = cursor.fetchone()
    if not held:
        raise ImportBusy(BUSY)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [_ADVISORY_KEY])


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    import fcntl

    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ImportBusy(BUSY) from None
        yield
    finally:
        os.close(fd)  # closing releases the lock
