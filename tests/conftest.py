"""Shared fixtures: the spec's public examples, the CLI, and the PostgreSQL test server."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from nadzor.cli import main

# The product owner's contract beside the project; NADZOR_TEST_SPEC names another copy.
SPEC = Path(
    os.environ.get(
        "NADZOR_TEST_SPEC", Path(__file__).resolve().parents[1] / ".." / "shared" / "spec"
    )
)
EXAMPLES = SPEC / "examples"
POSTGRES_URL = os.environ.get("NADZOR_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")
# The store under test: SQLite by default; `make test` runs the store tests again with this
# set to the PostgreSQL server, so every store test runs on both.
STORE_URL = os.environ.get("NADZOR_TEST_STORE", "sqlite")


def pytest_configure(config: pytest.Config) -> None:
    """Configure Django for the store tests (pytest-django creates the test database)."""
    import tempfile

    from nadzor.store import StoreConfig
    from nadzor.web._setup import configure_web

    scratch = Path(tempfile.mkdtemp(prefix="nadzor-test-"))
    url = STORE_URL if STORE_URL != "sqlite" else f"sqlite:///{scratch / 'store.db'}"
    os.environ.setdefault("NADZOR_SECRET_KEY", "test-secret-key-not-for-production")
    # Compiled SQL is kept for the session, never in the user's cache directory.
    os.environ.setdefault("NADZOR_CACHE_DIR", str(scratch / "sql-cache"))
    configure_web(
        StoreConfig(
            database_url=url,
            evidence_dir=scratch / "evidence",
            secret_file=scratch / "secret",
            evidence_max_bytes=1024 * 1024,
        )
    )
    from django.db import connections

    _let_flush_empty_the_audit_log()
    database = connections["default"].settings_dict
    if database["ENGINE"].endswith("sqlite3"):
        # A file, not memory: the concurrency tests open several connections.
        database["TEST"]["NAME"] = str(scratch / "test-store.db")


def _let_flush_empty_the_audit_log() -> None:
    """Tests that commit (`transaction=True`) are cleaned up by Django's flush, which empties
    every table: it must lift the audit log's append-only triggers for that moment."""
    from django.db.backends.base.operations import BaseDatabaseOperations

    from nadzor.store import _append_only

    original = BaseDatabaseOperations.execute_sql_flush

    def flush(self: BaseDatabaseOperations, sql_list: list[str]) -> None:
        _append_only.remove(self.connection)
        try:
            original(self, sql_list)
        finally:
            _append_only.install(self.connection)

    BaseDatabaseOperations.execute_sql_flush = flush  # type: ignore[method-assign]


@contextmanager
def owner_tampering() -> Iterator[None]:
    """Act as someone who owns the database (and so can drop its triggers): the way the
    tamper tests rewrite the audit log that the application itself cannot."""
    from django.db import connection

    from nadzor.store import _append_only

    _append_only.remove(connection)
    try:
        yield
    finally:
        _append_only.install(connection)


def tamper_sql(db: str, *statements: str) -> None:
    """Run SQL on a store as its owner, with the audit log's triggers lifted meanwhile."""
    if db.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(db.removeprefix("sqlite:///")) as conn:
            conn.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
            conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
            for sql in statements:
                conn.execute(sql)
        return
    import psycopg

    with psycopg.connect(db, autocommit=True) as conn:
        conn.execute("ALTER TABLE audit_log DISABLE TRIGGER USER")
        for sql in statements:
            conn.execute(sql)  # type: ignore[arg-type]
        conn.execute("ALTER TABLE audit_log ENABLE TRIGGER USER")


@pytest.fixture(autouse=True)
def _fresh_limiters() -> Iterator[None]:
    """Every test starts with no failed receipt codes or sign-ins counted (the limiters
    share their counts through the store's cache, which outlives a test's transaction)."""
    from nadzor.web.login_throttle import sign_ins
    from nadzor.web.ratelimit import status_lookups

    status_lookups.clear()
    sign_ins.clear()
    yield
    status_lookups.clear()
    sign_ins.clear()


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


#: Spark in local mode on two cores: the parity tests' rows are few, more would only wait
SPARK_SPEC = os.environ.get("NADZOR_TEST_SPARK", "local[2]")


@pytest.fixture(scope="session")
def spark_spec() -> str:
    """Spark for engine tests (one session per test process); in CI its absence (no
    Java, no PySpark) is a failure, not a skip."""
    from nadzor.screening._engine_spark import spark_available

    why = None if SPARK_SPEC.startswith("sc://") else spark_available()
    if why is not None:
        if os.environ.get("CI"):
            pytest.fail(f"Spark cannot run: {why}")
        pytest.skip(f"Spark cannot run: {why}")
    return SPARK_SPEC


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


# Staff of every role (and a second investigator, `olga`), shared by the store tests.
STAFF_NAMES = {
    "intake": "ira",
    "investigator": "ivan",
    "supervisor": "sofia",
    "analyst": "anna",
    "admin": "adam",
}


@pytest.fixture
def staff(db: None) -> dict[Any, Any]:
    """One user per role, keyed by `Role`, as `Actor`s; plus the investigator `olga`."""
    from nadzor.cases.domain import Actor, Role
    from nadzor.store.models import User

    for role, name in STAFF_NAMES.items():
        User.objects.create_user(username=name, role=role, password=None)
    User.objects.create_user(username="olga", role="investigator", password=None)
    return {Role(role): Actor(name, Role(role)) for role, name in STAFF_NAMES.items()}


_STORE_FIXTURES = frozenset({"db", "transactional_db", "django_db_setup", "store_url"})


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that touches the store, so `-m store` runs them on another database,
    and every test that starts Spark, so that `-m spark` (or `-m "not spark"`) selects them."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & _STORE_FIXTURES or item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.store)
        if "spark_spec" in names:
            item.add_marker(pytest.mark.spark)


@pytest.fixture
def store_url(tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store for commands run in a subprocess: a SQLite file, or a new
    PostgreSQL database on the server under test (dropped afterwards)."""
    if STORE_URL == "sqlite":
        yield f"sqlite:///{tmp_path / 'nadzor.db'}"
        return
    import uuid
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    name = f"nadzor_t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(STORE_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(STORE_URL)
    yield urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(STORE_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def store_env(db: str, env: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a process working on the store `db`: on PostgreSQL with the
    evidence folder such a store must name (one per test database)."""
    environment = {**os.environ, "NADZOR_DATABASE_URL": db, **(env or {})}
    if db.startswith("postgresql") and "NADZOR_EVIDENCE_DIR" not in environment:
        import tempfile

        name = db.rsplit("/", 1)[-1]
        environment["NADZOR_EVIDENCE_DIR"] = str(Path(tempfile.gettempdir()) / f"{name}-evidence")
    return environment


def nadzor_process(
    *args: object,
    db: str,
    cwd: Path | None = None,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
) -> CliResult:
    """Run `nadzor ARGS --db DB` in a new process (the store commands configure Django
    for their own database, which a test process already configured cannot do)."""
    import subprocess
    import sys

    environment = store_env(db, env)
    environment.pop("NADZOR_DEBUG", None)
    done = subprocess.run(
        [sys.executable, "-m", "nadzor", *[str(a) for a in args]],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        cwd=cwd,
        timeout=600,
    )
    return CliResult(done.returncode, done.stdout, done.stderr)


def cheapen_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 still, at the smallest cost, for test packages that hash many passwords."""
    from django.contrib.auth.hashers import Argon2PasswordHasher

    monkeypatch.setattr(Argon2PasswordHasher, "time_cost", 1)
    monkeypatch.setattr(Argon2PasswordHasher, "memory_cost", 64)
    monkeypatch.setattr(Argon2PasswordHasher, "parallelism", 1)


def every_cell() -> Iterator[tuple[str, str]]:
    """(table, value as text) for every non-null cell of every table in the store."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for value in row:
                    if value is None:
                        continue
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("utf-8", "replace")
                    yield table, str(value)
