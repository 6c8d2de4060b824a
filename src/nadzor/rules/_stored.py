"""A loaded rulebook kept on disk between processes, by the hash of its files.

Loading a rulebook reads its YAML files and checks them through Pydantic models; importing
those alone takes longer than screening a small register with SQL an earlier run compiled.
A process that loads a rulebook an earlier process loaded takes the result from here.

An entry is one file named by the hash of its key: a line of JSON (the key and the SHA-256
of what follows), then the rulebook as `pickle` wrote it. The key names the rulebook's
directory as given, the hash of every file in it (names and bytes), whether its tests were
loaded, the sources of this package (which define the classes pickled and how files become
them), and the versions of Python and of the libraries that read and check the files. An
entry whose key or digest does not match, or that cannot be read back, is ignored: the
rulebook is loaded from its files and the entry replaced. Only a rulebook that loaded
without problems is kept.

The directory is the one the compiled SQL is kept in (the caller passes it): as with that
SQL, what is in it is run, so it must be writable only by its user; it is created 0700.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import sys
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from nadzor.rules._model import Rulebook

__all__ = ["files_digest", "load_stored"]

_SUFFIX = ".rulebook"


def files_digest(root: Path) -> str:
    """A hash of every file under `root` (names and bytes), in name order."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts:
            continue
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@cache
def _code() -> str:
    from importlib.metadata import PackageNotFoundError, version

    import nadzor

    digest = hashlib.sha256(f"{nadzor.__version__}\0{sys.version}".encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for dist in ("pydantic", "pydantic-core", "PyYAML"):
        try:
            digest.update(f"{dist}={version(dist)}".encode())
        except PackageNotFoundError:
            digest.update(f"{dist}=?".encode())
    return digest.hexdigest()


def _canonical(value: object) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _root(path: Path) -> Path | None:
    """The rulebook's directory as the loader takes it, or None (the loader reports why)."""
    if path.is_file() and path.name == "rulebook.yaml":
        return path.parent
    return path if path.is_dir() else None


def _load(path: Path, with_tests: bool) -> Rulebook:
    from nadzor.rules._loader import load_rulebook

    return load_rulebook(path, with_tests=with_tests)


def load_stored(path: Path, *, with_tests: bool, directory: Path) -> Rulebook:
    """The rulebook at `path` as `load_rulebook` gives it: from `directory` when an earlier
    process kept it there for the same files and code, else loaded and kept."""
    root = _root(path)
    if root is None:
        return _load(path, with_tests)
    key = {
        "what": "rulebook",
        "root": str(root),
        "files": files_digest(root),
        "tests": with_tests,
        "code": _code(),
    }
    entry = directory / f"{hashlib.sha256(_canonical(key)).hexdigest()}{_SUFFIX}"
    held = _read(entry, key)
    if held is not None:
        return held
    rulebook = _load(path, with_tests)
    _write(entry, key, rulebook)
    return rulebook


def _private(path: Path) -> bool:
    """Whether only this user can have written `path` (owned by them, not group or world
    writable): an entry anyone else could write is never unpickled."""
    if not hasattr(os, "getuid"):
        return True
    info = path.stat()
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


def _read(entry: Path, key: dict[str, Any]) -> Rulebook | None:
    try:
        if not (_private(entry.parent) and _private(entry)):
            return None
        data = entry.read_bytes()
        head, _, body = data.partition(b"\n")
        header = json.loads(head)
        if header.get("key") != key or header.get("digest") != hashlib.sha256(body).hexdigest():
            return None
        value = pickle.loads(body)  # the user's own cache, checked above
    except Exception:  # any unreadable entry only costs a load
        return None
    return value if isinstance(value, Rulebook) else None


def _write(entry: Path, key: dict[str, Any], rulebook: Rulebook) -> None:
    try:
        body = pickle.dumps(rulebook, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # not picklable: loaded each time
        return
    header = _canonical({"key": key, "digest": hashlib.sha256(body).hexdigest()})
    try:
        entry.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=".part-", dir=entry.parent)
    except OSError:
        return  # a read-only or full disk: the next process loads again
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(header + b"\n" + body)
        temp.replace(entry)
    except OSError:
        with contextlib.suppress(OSError):
            temp.unlink()
