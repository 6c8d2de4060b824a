"""Problems found in a rulebook, each pinned to a file and line."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Problem", "RulebookError"]


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class RulebookError(Exception):
    """A rulebook that cannot be used; `problems` lists every error found, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        first = str(self.problems[0]) if self.problems else "invalid rulebook"
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(first + more)
