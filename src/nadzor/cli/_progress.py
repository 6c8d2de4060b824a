"""A Rich progress display for long work: shown on a terminal, silent otherwise."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

__all__ = ["PhaseProgress", "stderr"]

stderr = Console(stderr=True)


class PhaseProgress:
    """Phases (read, validate, screen, write) with a running row count."""

    def __init__(self) -> None:
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            TextColumn("{task.fields[rows]}"),
            TimeElapsedColumn(),
            console=stderr,
            transient=True,
            disable=not stderr.is_terminal,
        )
        self._task = self._progress.add_task("starting", rows="", total=None)

    def __enter__(self) -> PhaseProgress:
        self._progress.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._progress.stop()

    def phase(self, name: str) -> None:
        self._progress.update(self._task, description=name)

    def rows(self, count: int) -> None:
        self._progress.update(self._task, rows=f"{count:,} rows")
