"""The `nadzor synth` command: output, exit codes, one-line errors, help."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
import typer
from typer.testing import CliRunner

from nadzor.cli import _app
from nadzor.cli._synth_cmd import register


def synth_app() -> typer.Typer:
    """A root app with only `synth`, so the test does not depend on the other commands."""
    app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)

    @app.callback()
    def root() -> None:
        """nadzor"""

    register(app)
    return app


def run_main(args: list[str], monkeypatch: pytest.MonkeyPatch) -> int:
    """Run the real entry point (its one-line error convention) on the synth-only app."""
    monkeypatch.setattr(_app, "app", synth_app())
    monkeypatch.setattr(_app, "_register_commands", lambda args: None)
    with pytest.raises(SystemExit) as stop:
        _app.main(args)
        raise SystemExit(0)
    return int(stop.value.code or 0)


def test_writes_the_file_and_says_so(tmp_path: Path) -> None:
    target = tmp_path / "register.parquet"
    result = CliRunner().invoke(synth_app(), ["synth", "--records", "1200", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert pq.read_metadata(target).num_rows == 1200
    assert "1200 records" in result.stdout and str(target) in result.stdout


def test_dirty_run_counts_malformed_rows(tmp_path: Path) -> None:
    target = tmp_path / "register.csv"
    args = ["synth", "-n", "20000", "--seed", "4", "--dirty", "-o", str(target)]
    result = CliRunner().invoke(synth_app(), args)
    assert result.exit_code == 0, result.output
    assert "malformed" in result.stdout
    assert len(target.read_text(encoding="utf-8").splitlines()) == 20_001


def test_no_progress_bar_when_not_on_a_terminal(tmp_path: Path) -> None:
    result = CliRunner().invoke(synth_app(), ["synth", "-n", "10", "-o", str(tmp_path / "r.csv")])
    assert result.exit_code == 0
    assert result.stderr == ""


def test_callup_window_and_dmy_dates(tmp_path: Path) -> None:
    target = tmp_path / "r.parquet"
    args = ["synth", "-n", "500", "-o", str(target)]
    args += ["--callup-from", "01.10.2022", "--callup-to", "2022-10-31"]
    assert CliRunner().invoke(synth_app(), args).exit_code == 0
    days = pq.read_table(target, columns=["callup_date"])["callup_date"].to_pylist()
    assert min(days).isoformat() >= "2022-10-01" and max(days).isoformat() <= "2022-10-31"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["-n", "10", "-o", "{dir}/r.txt"], "extension must be one of .csv, .parquet"),
        (["-n", "-5", "-o", "{dir}/r.csv"], "--records must be 0 or more"),
        (["-n", "10", "-o", "{dir}/r.csv", "--seed", "-1"], "--seed must be 0 or more"),
        (
            [
                "-n",
                "10",
                "-o",
                "{dir}/r.csv",
                "--callup-from",
                "2022-12-01",
                "--callup-to",
                "2022-11-01",
            ],
            "is after --callup-to",
        ),
        (["-n", "10", "-o", "{dir}/r.csv", "--callup-from", "2022/10/01"], "not a date"),
        (["-n", "10", "-o", "{dir}/missing/r.csv"], "no such directory"),
    ],
)
def test_unusable_flags_exit_2_with_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    args = ["synth", *(arg.replace("{dir}", str(tmp_path)) for arg in extra)]
    assert run_main(args, monkeypatch) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("nadzor: error: ")
    assert message in lines[0]
    assert list(tmp_path.iterdir()) == []


def test_zero_records_exit_0_with_a_header(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "r.csv"
    assert run_main(["synth", "--records", "0", "--out", str(target)], monkeypatch) == 0
    assert target.read_text(encoding="utf-8").startswith("record_id,callup_date,")
    assert len(target.read_text(encoding="utf-8").splitlines()) == 1
    assert "0 records" in capsys.readouterr().out


def test_warns_about_callups_before_the_rulebook(tmp_path: Path) -> None:
    args = ["synth", "-n", "10", "-o", str(tmp_path / "r.csv"), "--callup-from", "2022-09-01"]
    result = CliRunner().invoke(synth_app(), args)
    assert result.exit_code == 0
    assert "warning" in result.stderr and "2022-09-21" in result.stderr


def test_help_explains_every_option() -> None:
    result = CliRunner().invoke(synth_app(), ["synth", "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    for option in ["--records", "--out", "--seed", "--callup-from", "--callup-to", "--dirty"]:
        assert option in result.stdout
    words = " ".join(result.stdout.split())
    assert ".parquet" in words and "same arguments always give the same file" in words
