"""Shared fixtures: the spec's public examples, the CLI, and the PostgreSQL test server."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from nadzor.cli import main

SPEC = Path(__file__).resolve().parents[1] / ".." / "shared" / "spec"
EXAMPLES = SPEC / "examples"
POSTGRES_URL = os.environ.get("NADZOR_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def examples() -> Path:
    if not (EXAMPLES / "ru-2022-register.csv").is_file():
        pytest.skip("the spec's examples are not beside the project (../shared/spec/examples)")
    return EXAMPLES


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., CliResult]:
    """Run `nadzor ARGS` in-process; returns the exit code and captured output."""

    def run(*args: str) -> CliResult:
        code = 0
        try:
            main([str(a) for a in args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def call_cli(*args: object) -> int:
    """Run `nadzor ARGS` in-process (output left to pytest); returns the exit code."""
    try:
        main([str(a) for a in args])
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def _postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL, connect_timeout=3):
            return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The PostgreSQL server for engine tests; in CI its absence is a failure, not a skip."""
    if not _postgres_reachable():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable at {POSTGRES_URL}")
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_URL}")
    return POSTGRES_URL


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def finding_keys(path: Path) -> set[tuple[str, str, str, str]]:
    """(record_id, rule_id, outcome, deferment_until) of a findings CSV or Parquet file."""
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        rows = pq.read_table(path).to_pylist()
        return {
            (r["record_id"], r["rule_id"], r["outcome"], str(r["deferment_until"] or ""))
            for r in rows
        }
    return {
        (r["record_id"], r["rule_id"], r["outcome"], r.get("deferment_until") or "")
        for r in read_csv_rows(path)
    }
