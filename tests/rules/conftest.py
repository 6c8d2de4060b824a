"""Shared helpers for the rulebook tests: a writable copy of ru-2022 to break one file at a time."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nadzor.rules import Problem, Rulebook, RulebookError, load_rulebook

SRC = Path(__file__).resolve().parents[2] / "src" / "nadzor" / "rulebooks"
RU2022 = SRC / "ru-2022"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


class RulebookCopy:
    """A copy of ru-2022 (without its own tests) under `tmp_path`, edited by small replacements.

    Problems name files relative to the directory holding the rulebook, so a problem in
    this copy's rules file names `ru-2022/rules.yaml`.
    """

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, name: str) -> Path:
        return self.root / name

    def name(self, file: str) -> str:
        return f"{self.root.name}/{file}"

    def text(self, file: str) -> str:
        return self.path(file).read_text(encoding="utf-8")

    def write(self, file: str, text: str) -> None:
        target = self.path(file)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def replace(self, file: str, old: str, new: str) -> None:
        """Replace the one occurrence of `old` in `file` (fails if it is not unique)."""
        text = self.text(file)
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {file}"
        self.write(file, text.replace(old, new))

    def line_of(self, file: str, needle: str) -> int:
        """The 1-based number of the one line of `file` that contains `needle`."""
        found = [
            n for n, line in enumerate(self.text(file).splitlines(), start=1) if needle in line
        ]
        assert len(found) == 1, f"{needle!r} is on lines {found} of {file}"
        return found[0]

    def line_equal(self, file: str, text: str) -> int:
        """The 1-based number of the one line of `file` that is exactly `text`."""
        found = [n for n, line in enumerate(self.text(file).splitlines(), start=1) if line == text]
        assert len(found) == 1, f"{text!r} is on lines {found} of {file}"
        return found[0]

    def load(self) -> Rulebook:
        return load_rulebook(self.root)

    def problems(self) -> list[Problem]:
        with pytest.raises(RulebookError) as caught:
            load_rulebook(self.root)
        problems = caught.value.problems
        assert problems, "a RulebookError must list at least one problem"
        return problems

    def only_problem(self) -> Problem:
        problems = self.problems()
        assert len(problems) == 1, "\n".join(str(p) for p in problems)
        return problems[0]


def copy_rulebook(source: Path, target: Path) -> Path:
    # without its own tests and translations: each test breaks the English files alone
    ignore = shutil.ignore_patterns("tests", "translations", "__pycache__")
    shutil.copytree(source, target, ignore=ignore)
    return target


@pytest.fixture
def ru_copy(tmp_path: Path) -> RulebookCopy:
    return RulebookCopy(copy_rulebook(RU2022, tmp_path / "ru-2022"))
