"""The audit log is append-only in the database itself, not only in the application.

PostgreSQL: a trigger refuses UPDATE, DELETE and TRUNCATE on `audit_log` for every role that
does not own the table (the owner, or a superuser, could drop the trigger: run the server
as a role that does not own the schema, see docs/operations.md). UPDATE, DELETE and TRUNCATE
are also revoked from PUBLIC. SQLite: triggers refuse UPDATE and DELETE (SQLite has no
roles: whoever can write the file can drop them; the signed anchor then catches a rewrite).
"""

from __future__ import annotations

from typing import Any

__all__ = ["CACHE_TABLE", "install", "remove"]

# Django's database cache, in the store's own database: the rate limiters share it.
CACHE_TABLE = "nadzor_cache"

MESSAGE = "audit_log is append-only: entries cannot be changed or removed"

_POSTGRES_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION nadzor_audit_log_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
    END
    $$
    """,
    "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log"
    " FOR EACH ROW EXECUTE FUNCTION nadzor_audit_log_append_only()",
    "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
    "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log"
    " FOR EACH STATEMENT EXECUTE FUNCTION nadzor_audit_log_append_only()",
    "REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC",
]
_POSTGRES_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log",
    "DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log",
]
_SQLITE_INSTALL = [
    "DROP TRIGGER IF EXISTS audit_log_no_update",
    f"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
    f" BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    "DROP TRIGGER IF EXISTS audit_log_no_delete",
    f"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
    f" BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
_SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_log_no_update",
    "DROP TRIGGER IF EXISTS audit_log_no_delete",
]


def _statements(vendor: str, *, installing: bool) -> list[str]:
    if vendor == "postgresql":
        return _POSTGRES_INSTALL if installing else _POSTGRES_REMOVE
    if vendor == "sqlite":
        return _SQLITE_INSTALL if installing else _SQLITE_REMOVE
    raise ValueError(f"no append-only triggers for the {vendor} database")


def install(connection: Any) -> None:
    """Create the triggers (idempotent)."""
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, installing=True):
            cursor.execute(statement)


def remove(connection: Any) -> None:
    """Drop the triggers: only a migration's reversal and a test's wipe of the store do this."""
    with connection.cursor() as cursor:
        for statement in _statements(connection.vendor, installing=False):
            cursor.execute(statement)
