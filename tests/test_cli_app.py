"""The CLI app is wired once per process, however often `main()` runs in it."""

from __future__ import annotations

import signal
from collections.abc import Callable

from nadzor.cli import _app
from tests.conftest import CliResult


def _command_count() -> int:
    return len(_app.app.registered_commands) + len(_app.app.registered_groups)


def test_commands_are_registered_once(run_cli: Callable[..., CliResult]) -> None:
    run_cli("--version")
    count = _command_count()
    for _ in range(5):
        run_cli("--version")
    assert _command_count() == count
    names = [group.name for group in _app.app.registered_groups]
    assert len(names) == len(set(names))


def test_sigterm_handler_is_installed_once(
    run_cli: Callable[..., CliResult], monkeypatch: object
) -> None:
    run_cli("--version")
    installed: list[int] = []
    original = signal.signal

    def spy(signum: int, handler: object) -> object:
        installed.append(signum)
        return original(signum, handler)  # type: ignore[arg-type]

    import pytest

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    monkeypatch.setattr(signal, "signal", spy)
    for _ in range(3):
        run_cli("--version")
    assert installed == []
    assert signal.getsignal(signal.SIGTERM) is _app._terminate
