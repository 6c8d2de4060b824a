"""Running the decoder in a child process with limits on time, memory and output size, so
that a hostile or broken file ends the child, never the worker or the server.

A `Decoder` keeps one child for many files (starting Python and its imaging libraries for
every file would cost more than decoding most of them): the kernel limits the child's
memory (RLIMIT_AS), the size of what it writes (RLIMIT_FSIZE) and its processor time
(RLIMIT_CPU, a backstop over its lifetime); the parent limits each file's time by the clock
and ends the child when a file takes longer. A child that dies or is ended is replaced for
the next file; the file that ended it gets the reason.
"""

from __future__ import annotations

import json
import os
import resource
import selectors
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

__all__ = ["Decoder", "Limits", "Probed", "run_probe"]

# files one child decodes before it is replaced (bounds its processor-time backstop)
_RECYCLE = 200


@dataclass(frozen=True)
class Limits:
    seconds: int = int(os.environ.get("NADZOR_INTAKE_DECODE_SECONDS", "120"))
    memory_mb: int = int(os.environ.get("NADZOR_INTAKE_DECODE_MB", "1536"))
    view_mb: int = 20


@dataclass
class Probed:
    """What the decoder found; `error` says why it found nothing."""

    metadata: dict[str, Any] = field(default_factory=dict)
    sensitive: dict[str, Any] = field(default_factory=dict)
    hashes: list[bytes] = field(default_factory=list)
    warning: str = ""
    error: str = ""


def _limit(limits: Limits, files: int) -> None:
    """In the child, before the decoder starts: the kernel enforces these."""
    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = limits.seconds * files
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    view = limits.view_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (view, view))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _environment() -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
    }


def _answer(found: dict[str, Any]) -> Probed:
    if found.get("error"):
        return Probed(error=str(found["error"]))
    return Probed(
        metadata=found.get("metadata", {}),
        sensitive=found.get("sensitive", {}),
        hashes=[bytes.fromhex(h) for h in found.get("hashes", [])],
        warning=found.get("warning", ""),
    )


class Decoder:
    """One decoding child at a time, replaced whenever a file ends it."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self._child: subprocess.Popen[bytes] | None = None
        self._errors: IO[bytes] | None = None
        self._served = 0

    def _start(self) -> subprocess.Popen[bytes]:
        self.close()
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the child
        limits = self.limits
        self._child = subprocess.Popen(
            [sys.executable, "-m", "nadzor.intake._probe", "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
            preexec_fn=lambda: _limit(limits, _RECYCLE),
            env=_environment(),
        )
        self._served = 0
        return self._child

    def probe(self, kind: str, path: Path, view: Path) -> Probed:
        child = self._child
        if child is None or child.poll() is not None or self._served >= _RECYCLE:
            child = self._start()
        assert child.stdin is not None and child.stdout is not None
        self._served += 1
        asked = json.dumps({"kind": kind, "path": str(path), "view": str(view)}) + "\n"
        try:
            child.stdin.write(asked.encode("utf-8"))
            child.stdin.flush()
        except BrokenPipeError:
            return self._ended()
        with selectors.DefaultSelector() as waiting:
            waiting.register(child.stdout, selectors.EVENT_READ)
            if not waiting.select(timeout=self.limits.seconds):
                self.close()
                return Probed(error=f"decoding took longer than {self.limits.seconds} seconds")
        line = child.stdout.readline()
        if not line:
            return self._ended()
        try:
            return _answer(json.loads(line))
        except ValueError:
            self.close()
            return Probed(error="the decoder gave no readable answer")

    def _ended(self) -> Probed:
        """The child died on this file: why, from its exit and its last words."""
        child, errors = self._child, self._errors
        assert child is not None and errors is not None
        code = child.wait()
        errors.seek(0)
        said = errors.read()[-4000:]
        self._child = None
        self.close()
        return Probed(error=_death(code, said, self.limits))

    def close(self) -> None:
        if self._child is not None:
            if self._child.poll() is None:
                self._child.kill()
            self._child.wait()
            for pipe in (self._child.stdin, self._child.stdout):
                if pipe is not None:
                    pipe.close()
            self._child = None
        if self._errors is not None:
            self._errors.close()
            self._errors = None


def run_probe(kind: str, path: Path, view: Path, limits: Limits | None = None) -> Probed:
    """Decode one file in a child process of its own."""
    decoder = Decoder(limits)
    try:
        return decoder.probe(kind, path, view)
    finally:
        decoder.close()


def _death(code: int, stderr: bytes, limits: Limits) -> str:
    if code in (-signal.SIGXCPU, -signal.SIGKILL):
        return f"decoding took more than {limits.seconds} seconds of processor time"
    if code == -signal.SIGXFSZ:
        return "the viewing copy came out larger than allowed"
    if any(
        word in stderr
        for word in (b"MemoryError", b"bad_alloc", b"Cannot allocate", b"Memory allocation")
    ):
        return f"decoding needs more than {limits.memory_mb} MB of memory"
    tail = stderr.decode("utf-8", "replace").strip().splitlines()
    last = tail[-1][:200] if tail else f"exit {code}"
    return f"the decoder failed: {last}"
