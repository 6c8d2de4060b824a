"""`nadzor screen` killed with SIGKILL at chosen moments, in a subprocess: the outputs that
remain are never passed off as one run's, and the next run removes what was left behind."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from nadzor.screening._workdir import PREFIX
from tests.conftest import call_cli

HEADER = "record_id,callup_date,birth_date,sex,ru_citizen,in_reserve,rank_group"
SRC = Path(__file__).resolve().parents[2] / "src"

# Runs the command in a child that kills itself with SIGKILL at one moment: when the
# reader has handed over its first batch, or after `n` files were renamed into place.
_CHILD = """
import os, signal, sys
from pathlib import Path
moment = sys.argv[1]
renames = 0
if moment == "read":
    from nadzor.screening import _source
    original = _source.without_nul
    def first_batch(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)
    _source.without_nul = first_batch
else:
    allowed = int(moment)
    replace = Path.replace
    def counted(self, target):
        global renames
        if renames == allowed:
            os.kill(os.getpid(), signal.SIGKILL)
        renames += 1
        return replace(self, target)
    Path.replace = counted
from nadzor.cli import main
main(sys.argv[2:])
"""


def write_register(path: Path, rows: int, bad: int) -> Path:
    lines = [HEADER]
    for n in range(1, rows + 1):
        sex = "X" if n <= bad else "M"
        lines.append(f"R{n:05d},2022-10-03,1990-08-17,{sex},true,true,soldier")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def manifest_holds(out: Path) -> bool:
    """Does the manifest exist and vouch for every file there with its size and hash?"""
    manifest = out / "findings.csv.run.json"
    if not manifest.exists():
        return False
    record = json.loads(manifest.read_text(encoding="utf-8"))
    for entry in record["files"]:
        data = (out / entry["path"]).read_bytes()
        if hashlib.sha256(data).hexdigest() != entry["sha256"]:
            return False
    listed = {entry["path"] for entry in record["files"]}
    present = {p.name for p in out.iterdir() if not p.name.startswith(".")}
    return present == listed | {manifest.name}


def leftovers(out: Path, scratch: Path) -> list[str]:
    parts = [p.name for p in out.iterdir() if p.name.endswith(".part")]
    runs = [p.name for p in scratch.iterdir() if p.name.startswith(PREFIX)]
    return parts + runs


# The second run writes findings, summary and the manifest: "1" is between the first two
# renames, "2" after both outputs and before the manifest.
@pytest.mark.parametrize("moment", ["read", "1", "2"])
def test_kill_at_any_moment_leaves_nothing_passed_off_and_the_next_run_cleans_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, moment: str
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    out = tmp_path / "out"
    out.mkdir()
    args = ["screen", "--out", str(out / "findings.csv"), "--summary", str(out / "summary.csv")]
    # An earlier complete run with rejects: its outputs and manifest are there.
    first = write_register(tmp_path / "first.csv", 50, bad=5)
    assert call_cli(*args[:1], first, *args[1:]) == 3
    assert manifest_holds(out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    second = write_register(tmp_path / "second.csv", 40, bad=0)
    env = {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, moment, args[0], str(second), *args[1:]],
        env=env,
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()

    now = {p.name: p.read_bytes() for p in out.iterdir() if not p.name.endswith(".part")}
    if moment == "read":
        assert now == before, "nothing may change before the first rename"
        assert manifest_holds(out)
    else:
        # Killed among the renames: the old manifest is gone, so no reader takes the mix
        # of new findings and old rejects for one run.
        assert not manifest_holds(out)

    assert call_cli(*args[:1], second, *args[1:]) == 0
    assert manifest_holds(out)
    assert not (out / "rejects.csv").exists()
    assert leftovers(out, scratch) == []
    for path in out.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
