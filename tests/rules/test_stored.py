"""A loaded rulebook kept between processes is the rulebook its files give, and only that."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nadzor.rules import RulebookError, _stored, resolve_rulebook


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """A copy of the ru-2022 rulebook, free to edit."""
    builtin = resolve_rulebook("ru-2022").path
    assert builtin is not None
    target = tmp_path / "book"
    shutil.copytree(builtin, target)
    return target


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Each load of a rulebook from its files."""
    seen: list[Path] = []
    real = _stored._load

    def counted(path: Path, with_tests: bool) -> object:
        seen.append(path)
        return real(path, with_tests)

    monkeypatch.setattr(_stored, "_load", counted)
    return seen


def test_a_second_load_is_the_same_rulebook_from_the_store(
    book: Path, tmp_path: Path, loads: list[Path]
) -> None:
    store = tmp_path / "store"
    first = resolve_rulebook(str(book), store=store)
    second = resolve_rulebook(str(book), store=store)
    assert len(loads) == 1
    assert second == first == resolve_rulebook(str(book))
    assert second.path == book
    with_tests = resolve_rulebook(str(book), with_tests=True, store=store)
    assert len(loads) == 2 and with_tests.tests and not second.tests
    assert (store.stat().st_mode & 0o777) == 0o700


def test_an_edited_file_is_loaded_again(book: Path, tmp_path: Path, loads: list[Path]) -> None:
    store = tmp_path / "store"
    resolve_rulebook(str(book), store=store)
    meta = book / "rulebook.yaml"
    text = meta.read_text(encoding="utf-8")
    meta.write_text(text.replace("version: 1.0.0", "version: 1.0.1", 1), encoding="utf-8")
    edited = resolve_rulebook(str(book), store=store)
    assert len(loads) == 2 and edited.version == "1.0.1"
    assert edited == resolve_rulebook(str(book))


def test_a_spoiled_entry_is_ignored_and_replaced(
    book: Path, tmp_path: Path, loads: list[Path]
) -> None:
    store = tmp_path / "store"
    loaded = resolve_rulebook(str(book), store=store)
    (entry,) = store.iterdir()
    entry.write_bytes(entry.read_bytes()[:-10] + b"0123456789")
    assert resolve_rulebook(str(book), store=store) == loaded
    assert len(loads) == 2
    assert resolve_rulebook(str(book), store=store) == loaded
    assert len(loads) == 2  # replaced by the load before


def test_an_invalid_rulebook_is_reported_and_not_kept(book: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    (book / "rules.yaml").write_text("rules: [", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RulebookError):
            resolve_rulebook(str(book), store=store)
    assert not store.exists() or not any(store.iterdir())


def test_an_entry_others_may_write_is_never_unpickled(
    book: Path, tmp_path: Path, loads: list[Path]
) -> None:
    store = tmp_path / "store"
    loaded = resolve_rulebook(str(book), store=store)
    (entry,) = store.iterdir()
    entry.chmod(0o666)
    assert resolve_rulebook(str(book), store=store) == loaded
    assert len(loads) == 2  # read from its files, not from the entry
