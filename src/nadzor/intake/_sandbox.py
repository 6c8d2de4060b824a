"""Running the decoder in a child process with limits on time, memory and output size, so
that a hostile or broken file ends the child, never the worker or the server."""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Limits", "Probed", "run_probe"]


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


def _limit(limits: Limits) -> None:
    """In the child, before the decoder starts: the kernel enforces these."""
    memory = limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.seconds, limits.seconds + 5))
    view = limits.view_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_FSIZE, (view, view))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def run_probe(kind: str, path: Path, view: Path, limits: Limits | None = None) -> Probed:
    """Decode `path` as `kind` in a child process; the viewing copy goes to `view`."""
    limits = limits or Limits()
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", "nadzor.intake._probe", kind, str(path), str(view)],
            capture_output=True,
            timeout=limits.seconds * 2,  # wall clock: a child waiting on nothing is ended too
            preexec_fn=lambda: _limit(limits),
            env=environment,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Probed(error=f"decoding took longer than {limits.seconds * 2} seconds")
    if done.returncode != 0:
        return Probed(error=_death(done.returncode, done.stderr, limits))
    try:
        found = json.loads(done.stdout)
    except ValueError:
        return Probed(error="the decoder gave no readable answer")
    if found.get("error"):
        return Probed(error=str(found["error"]))
    return Probed(
        metadata=found.get("metadata", {}),
        sensitive=found.get("sensitive", {}),
        hashes=[bytes.fromhex(h) for h in found.get("hashes", [])],
        warning=found.get("warning", ""),
    )


def _death(code: int, stderr: bytes, limits: Limits) -> str:
    if code in (-signal.SIGXCPU, -signal.SIGKILL):
        return f"decoding took more than {limits.seconds} seconds of processor time"
    if code == -signal.SIGXFSZ:
        return "the viewing copy came out larger than allowed"
    if b"MemoryError" in stderr or b"std::bad_alloc" in stderr or b"Cannot allocate" in stderr:
        return f"decoding needs more than {limits.memory_mb} MB of memory"
    tail = stderr.decode("utf-8", "replace").strip().splitlines()
    last = tail[-1][:200] if tail else f"exit {code}"
    return f"the decoder failed: {last}"
