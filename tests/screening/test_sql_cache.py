"""The SQL a run compiles is kept on disk and reused only for exactly the same key."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nadzor.rules import resolve_rulebook
from nadzor.screening import _plan
from nadzor.screening._sql_cache import SqlCache
from tests.conftest import call_cli


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """Each compile of a run's SQL, by rulebook id; the cache in a folder of the test's."""
    monkeypatch.setenv("NADZOR_CACHE_DIR", str(tmp_path / "cache"))
    seen: list[str] = []
    real: Callable[..., Any] = _plan._compile

    def counted(rulebook: Any, *args: Any) -> Any:
        seen.append(rulebook.id)
        return real(rulebook, *args)

    monkeypatch.setattr(_plan, "_compile", counted)
    return seen


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the ru-2022 rulebook and a small register for it."""
    book = tmp_path / "book"
    builtin = resolve_rulebook("ru-2022").path
    assert builtin is not None
    shutil.copytree(builtin, book)
    register = tmp_path / "register.csv"
    assert call_cli("synth", "--records", 40, "--seed", 3, "--out", register) == 0
    return book, register


def _screen(book: Path, register: Path, out: Path, *extra: str) -> str:
    assert call_cli("screen", register, "--rulebook", book, "--out", out, *extra) in (0, 3)
    return out.read_text()


def _entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").glob("*.json"))


def test_a_second_run_reuses_the_compiled_sql(
    compiles: list[str], setup: tuple[Path, Path], tmp_path: Path
) -> None:
    book, register = setup
    first = _screen(book, register, tmp_path / "a.csv")
    assert len(compiles) == 1 and len(_entries(tmp_path)) == 1
    second = _screen(book, register, tmp_path / "b.csv")
    assert len(compiles) == 1  # from the cache
    assert second == first


def test_a_changed_rulebook_file_is_compiled_again(
    compiles: list[str], setup: tuple[Path, Path], tmp_path: Path
) -> None:
    book, register = setup
    before = _screen(book, register, tmp_path / "a.csv")
    rules = book / "rules.yaml"
    rules.write_text(rules.read_text() + "\n# an edit\n")
    _screen(book, register, tmp_path / "b.csv")
    assert len(compiles) == 2 and len(_entries(tmp_path)) == 2
    # another judgment day is another key as well
    _screen(book, register, tmp_path / "c.csv", "--as-of", "2022-11-01")
    assert len(compiles) == 3
    assert (tmp_path / "b.csv").read_text() == before


def test_a_corrupt_entry_is_ignored_and_written_again(
    compiles: list[str], setup: tuple[Path, Path], tmp_path: Path
) -> None:
    book, register = setup
    expected = _screen(book, register, tmp_path / "a.csv")
    (entry,) = _entries(tmp_path)
    good = entry.read_bytes()
    entry.write_bytes(good[: len(good) // 2])  # cut short
    assert _screen(book, register, tmp_path / "b.csv") == expected
    assert len(compiles) == 2
    assert entry.read_bytes() == good  # written again, whole
    # SQL edited in place: the digest no longer matches
    data = json.loads(good)
    data["value"]["findings"] = "SELECT 1"
    entry.write_text(json.dumps(data))
    assert _screen(book, register, tmp_path / "c.csv") == expected
    assert len(compiles) == 3


def test_an_entry_holding_another_key_is_not_trusted(tmp_path: Path) -> None:
    cache = SqlCache(tmp_path)
    key = {"rulebook": "x", "version": "1"}
    cache.store(key, {"sql": "SELECT 1"})
    assert cache.load(key) == {"sql": "SELECT 1"}
    other = {"rulebook": "x", "version": "2"}
    # the other key's file name, holding the first key's entry
    shutil.copy(cache.path(key), cache.path(other))
    assert cache.load(other) is None


def test_no_cache_compiles_and_keeps_nothing(
    compiles: list[str], setup: tuple[Path, Path], tmp_path: Path
) -> None:
    book, register = setup
    _screen(book, register, tmp_path / "a.csv", "--no-cache")
    _screen(book, register, tmp_path / "b.csv", "--no-cache")
    assert len(compiles) == 2
    assert _entries(tmp_path) == []


def test_a_run_whose_sql_is_cached_loads_no_ibis(tmp_path: Path) -> None:
    """The cached path talks to DuckDB directly: a second `nadzor screen` of the same
    register loads neither Ibis nor any engine's Ibis backend (every registered engine is
    imported to find the engine, so none may import Ibis at module level). Nor does it
    read the rulebook's files: the rulebook comes from the cache too, so neither the YAML
    reader nor the rulebook's file models load."""
    import os
    import subprocess
    import sys

    register = tmp_path / "r.csv"
    assert call_cli("synth", "--records", 20, "--seed", 5, "--out", register) == 0
    env = {**os.environ, "NADZOR_CACHE_DIR": str(tmp_path / "cache")}
    probe = (
        "import sys\n"
        "from nadzor.cli import main\n"
        "try:\n"
        f"    main(['screen', {str(register)!r}, '--out', {str(tmp_path / 'f.csv')!r},"
        f" '--rejects', {str(tmp_path / 'rj.csv')!r}])\n"
        "except SystemExit as stop:\n"
        "    assert stop.code in (0, 3, None), stop.code\n"
        "print(sorted(m for m in sys.modules if m == 'ibis' or m.startswith('ibis.')))\n"
        "print(sorted(m for m in sys.modules if m in LOADER))\n"
    )
    probe = f"LOADER = {['yaml', 'nadzor.rules._loader', 'nadzor.rules._files']!r}\n" + probe
    first = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    second = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True)
    assert "'ibis'" in first.stdout  # the first run compiles
    assert "'nadzor.rules._loader'" in first.stdout  # and reads the rulebook
    assert second.stdout.strip().splitlines()[-2:] == ["[]", "[]"], second.stderr[-2000:]
