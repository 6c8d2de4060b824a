"""Compiled SQL kept on disk between processes, by a key that names everything it depends on.

An entry is one JSON file named by the hash of its key; it holds the key itself and a
digest of what it keeps. It is used only when the key it holds equals the key asked for
and the digest matches: a file that was cut short, edited, or written for another key is
ignored (and replaced by the next run that compiles). Files are written whole to a
temporary name and renamed, so a reader never sees half of one.

The directory is `NADZOR_CACHE_DIR` if set, else `nadzor/sql` in the user's cache
directory (`XDG_CACHE_HOME`, by default `~/.cache`). `NADZOR_CACHE_DIR=off` turns the
cache off, as `nadzor screen --no-cache` does for one run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import nadzor
from nadzor.rules import Rulebook, files_digest

__all__ = ["SqlCache", "code_fingerprint", "default_cache", "rulebook_fingerprint"]

_OFF = ("off", "none", "0", "false", "no")


def _canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


class SqlCache:
    """Entries in one directory; a problem reading or writing one only costs a compile."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def path(self, key: Mapping[str, Any]) -> Path:
        return self.directory / f"{hashlib.sha256(_canonical(key)).hexdigest()}.json"

    def load(self, key: Mapping[str, Any]) -> dict[str, Any] | None:
        try:
            data = json.loads(self.path(key).read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("key") != json.loads(_canonical(key)):
            return None
        value = data.get("value")
        digest = hashlib.sha256(_canonical(value)).hexdigest()
        if not isinstance(value, dict) or data.get("digest") != digest:
            return None
        return value

    def store(self, key: Mapping[str, Any], value: Mapping[str, Any]) -> None:
        entry = {
            "key": key,
            "value": value,
            "digest": hashlib.sha256(_canonical(value)).hexdigest(),
        }
        target = self.path(key)
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=".part-", dir=self.directory)
        except OSError:
            return  # a read-only or full disk: the next run compiles again
        temp = Path(name)
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(_canonical(entry))
            temp.replace(target)
        except OSError:
            with contextlib.suppress(OSError):
                temp.unlink()


def default_cache() -> SqlCache | None:
    """The user's cache (see module doc), or None when it is turned off."""
    setting = os.environ.get("NADZOR_CACHE_DIR", "").strip()
    if setting.lower() in _OFF and setting:
        return None
    if setting:
        return SqlCache(Path(setting).expanduser())
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or str(Path.home() / ".cache")
    return SqlCache(Path(base) / "nadzor" / "sql")


def rulebook_fingerprint(rulebook: Rulebook) -> str | None:
    """A hash of every file of the rulebook's directory (names and bytes), or None for a
    rulebook that was not loaded from one."""
    if rulebook.path is None or not rulebook.path.is_dir():
        return None
    return files_digest(rulebook.path)


@cache
def code_fingerprint() -> str:
    """nadzor's version, the sources that compile rulebooks (a changed compiler makes other
    SQL), and the versions of the libraries that compile and run it."""
    from importlib.metadata import PackageNotFoundError, version

    digest = hashlib.sha256(nadzor.__version__.encode())
    package = Path(nadzor.__file__).parent
    for folder in ("rules", "screening"):
        for path in sorted((package / folder).glob("*.py")):
            digest.update(f"{folder}/{path.name}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    for dist in ("ibis-framework", "sqlglot", "duckdb"):
        try:
            digest.update(f"{dist}={version(dist)}".encode())
        except PackageNotFoundError:
            digest.update(f"{dist}=?".encode())
    return digest.hexdigest()
