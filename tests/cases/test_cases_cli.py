"""`nadzor init`, `nadzor cases import | list | show | export` through the real command."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tests.conftest import nadzor_process, read_csv_rows, store_env


@pytest.fixture
def store(store_url: str) -> str:
    done = nadzor_process("init", db=store_url)
    assert done.code == 0, done.err
    return store_url


def test_init_is_idempotent(store_url: str) -> None:
    first = nadzor_process("init", db=store_url)
    again = nadzor_process("init", db=store_url)
    assert (first.code, again.code) == (0, 0)
    assert "migration(s) applied" in first.err and "up to date" in again.err


def test_import_the_example_findings_twice(store: str, examples: Path) -> None:
    path = examples / "ru-2022-findings.csv"
    first = nadzor_process("cases", "import", path, db=store)
    assert first.code == 0, first.err
    assert "30 cases created" in first.out and "34 new findings" in first.out
    again = nadzor_process("cases", "import", path, db=store)
    assert again.code == 0
    assert (
        again.out.strip()
        == "nothing new: all 34 findings from 'ru-2022-findings.csv' are already in the store"
    )
    listed = nadzor_process("cases", "list", "--limit", "100", db=store)
    lines = listed.out.strip().splitlines()
    assert lines[0].split("\t") == [
        "reference",
        "status",
        "kind",
        "region",
        "due",
        "assignee",
        "findings",
    ]
    assert len(lines) == 31 and sum(int(line.split("\t")[-1]) for line in lines[1:]) == 34
    assert "30 of 30 cases shown" in listed.err


def test_import_with_source_and_register(store: str, examples: Path) -> None:
    done = nadzor_process(
        "cases",
        "import",
        examples / "ru-2022-findings.csv",
        "--rulebook",
        "ru-2022",
        "--source",
        "sverdlovsk-2022",
        "--register",
        examples / "ru-2022-register.csv",
        db=store,
    )
    assert done.code == 0, done.err
    listed = nadzor_process("cases", "list", "--region", "Sverdlovsk Oblast", db=store)
    assert listed.code == 0 and "Sverdlovsk Oblast" in listed.out


def test_show_prints_findings_with_basis_and_explanation(store: str, tmp_path: Path) -> None:
    findings = tmp_path / "f.csv"
    findings.write_text(
        "record_id,rule_id,outcome,deferment_until,basis,explanation,rulebook\n"
        "p1,RU22-HEALTH-D,not_subject,,31-FZ art. 17,health category D (unfit) set on 2022-09-12,ru-2022@1.0.0\n",
        encoding="utf-8",
    )
    assert nadzor_process("cases", "import", findings, db=store).code == 0
    reference = nadzor_process("cases", "list", db=store).out.splitlines()[1].split("\t")[0]
    shown = nadzor_process("cases", "show", reference, db=store, env={"COLUMNS": "200"})
    assert shown.code == 0, shown.err
    for text in (reference, "RU22-HEALTH-D", "31-FZ art. 17", "health category D", "case.create"):
        assert text in shown.out


def test_import_as_of_is_each_findings_evaluation_date(store: str, tmp_path: Path) -> None:
    findings = tmp_path / "f.csv"
    findings.write_text(
        "record_id,rule_id,outcome,deferment_until,basis,explanation,rulebook\n"
        "p1,RU22-HEALTH-D,not_subject,,31-FZ art. 18(1)(2),x,ru-2022@1.0.0\n",
        encoding="utf-8",
    )
    bad = nadzor_process("cases", "import", findings, "--as-of", "2023-13-01", db=store)
    assert bad.code == 2 and "--as-of" in bad.err
    done = nadzor_process("cases", "import", findings, "--as-of", "2023-06-01", db=store)
    assert done.code == 0, done.err
    reference = nadzor_process("cases", "list", db=store).out.splitlines()[1].split("\t")[0]
    shown = nadzor_process("cases", "show", reference, db=store, env={"COLUMNS": "200"})
    assert "2023-06-01" in shown.out


def test_show_unknown_case(store: str) -> None:
    done = nadzor_process("cases", "show", "NZ-2026-999999", db=store)
    assert done.code == 2 and done.err.strip() == "nadzor: error: no case NZ-2026-999999"


def test_export_has_no_personal_data_and_is_audited(
    store: str, examples: Path, tmp_path: Path
) -> None:
    nadzor_process("cases", "import", examples / "ru-2022-findings.csv", db=store)
    out = tmp_path / "cases.csv"
    done = nadzor_process("cases", "export", "--out", out, db=store)
    assert done.code == 0 and "30 cases exported" in done.err
    rows = read_csv_rows(out)
    assert len(rows) == 30
    assert "record_id" not in rows[0] and "explanation" not in rows[0]
    assert sum(int(r["findings"]) for r in rows) == 34
    piped = nadzor_process("cases", "export", "--status", "new", db=store)
    assert len(list(csv.DictReader(io.StringIO(piped.out)))) == 30
    verified = nadzor_process("audit", "verify", db=store)
    assert verified.code == 0 and verified.out.startswith("33 entries verified")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["cases", "import", "missing.csv"], "no such file: missing.csv"),
        (["cases", "list", "--status", "done"], "status 'done' is not one of"),
    ],
)
def test_errors_are_one_line(store: str, args: list[str], message: str) -> None:
    done = nadzor_process(*args, db=store)
    assert done.code == 2 and message in done.err and len(done.err.strip().splitlines()) == 1


def test_a_bad_findings_file_imports_nothing(store: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("record_id,rule_id,outcome\nr1,R1,not_subject\nr2,R2,maybe\n", encoding="utf-8")
    done = nadzor_process("cases", "import", bad, db=store)
    assert done.code == 2 and "row 2: outcome 'maybe'" in done.err
    assert "0 of 0 cases shown" in nadzor_process("cases", "list", db=store).err


def test_bad_database_url(tmp_path: Path) -> None:
    done = nadzor_process("cases", "list", db="mysql://x/y")
    assert done.code == 2 and "unsupported database URL" in done.err


def test_init_demo_prints_logins_that_work_and_seeds_once(store_url: str) -> None:
    first = nadzor_process("init", "--demo", db=store_url)
    assert first.code == 0, first.err
    logins = dict(line.split() for line in first.out.splitlines()[1:] if line.startswith("  "))
    assert set(logins) == {
        "demo-intake",
        "demo-investigator",
        "demo-supervisor",
        "demo-analyst",
        "demo-admin",
    }
    again = nadzor_process("init", "--demo", db=store_url)
    assert again.code == 0
    refreshed = dict(line.split() for line in again.out.splitlines()[1:] if line.startswith("  "))
    assert refreshed.keys() == logins.keys() and refreshed != logins
    assert "3 of 3 cases shown" in nadzor_process("cases", "list", db=store_url).err
    script = (
        "import os\n"
        "from nadzor.store import StoreConfig, open_store\n"
        "open_store(StoreConfig.from_env())\n"
        "from nadzor.accounts.services import check_login\n"
        f"print(check_login('demo-supervisor', {refreshed['demo-supervisor']!r}) is not None)\n"
    )
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=store_env(store_url),
    )
    assert done.stdout.strip() == "True", done.stderr


def test_a_second_import_at_the_same_time_is_refused_in_one_line(
    store: str, examples: Path
) -> None:
    """Issue: of two concurrent imports the loser failed with a raw database error."""
    import contextlib
    from collections.abc import Iterator

    @contextlib.contextmanager
    def another_import() -> Iterator[None]:
        if store.startswith("sqlite:///"):
            import fcntl
            import os

            fd = os.open(store.removeprefix("sqlite:///") + ".import-lock", os.O_RDWR | os.O_CREAT)
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                os.close(fd)
            return
        import psycopg

        with psycopg.connect(store, autocommit=True) as conn:
            conn.execute("SELECT pg_advisory_lock(%s)", [0x6E7A696D706F7274])
            yield

    findings = examples / "ru-2022-findings.csv"
    with another_import():
        loser = nadzor_process("cases", "import", findings, db=store)
    assert loser.code == 2
    assert loser.err.strip() == (
        "nadzor: error: another `cases import` is running on this store: run this one again"
        " when it has finished (it adds only what is still missing)"
    )
    winner = nadzor_process("cases", "import", findings, db=store)
    assert winner.code == 0, winner.err


def test_show_as_a_staff_user_shows_their_parts_and_refuses_what_they_may_not_open(
    store: str, tmp_path: Path
) -> None:
    findings = tmp_path / "f.csv"
    findings.write_text("record_id,rule_id,outcome\np1,age.minimum,not_subject\n")
    assert nadzor_process("cases", "import", findings, db=store).code == 0
    for name, role in (("ira", "intake"), ("anna", "analyst")):
        added = nadzor_process("users", "add", name, "--role", role, db=store, stdin="")
        assert added.code == 0, added.err
    reference = nadzor_process("cases", "list", db=store).out.splitlines()[1].split("\t")[0]
    env = {"COLUMNS": "200"}
    operator = nadzor_process("cases", "show", reference, db=store, env=env)
    assert operator.code == 0, operator.err
    for heading in ("findings (1)", "notes (0)", "evidence (0)", "history (", "personal data:"):
        assert heading in operator.out
    assert "steps: triage\n" in operator.out
    intake = nadzor_process("cases", "show", reference, "--as", "ira", db=store, env=env)
    assert intake.code == 0, intake.err
    assert "findings (1)" in intake.out and "steps: triage" in intake.out
    for hidden in ("evidence (", "history (", "personal data:"):
        assert hidden not in intake.out
    analyst = nadzor_process("cases", "show", reference, "--as", "anna", db=store)
    assert (analyst.code, analyst.err.strip()) == (
        5,
        "nadzor: error: an analyst may not view cases",
    )
    nobody = nadzor_process("cases", "show", reference, "--as", "ghost", db=store)
    assert nobody.code == 2 and "'ghost' is not an active" in nobody.err
