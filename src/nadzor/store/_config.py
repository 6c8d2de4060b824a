"""Where the store lives and how it behaves, from flags and NADZOR_* environment variables."""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nadzor.store._cache import cache_settings
from nadzor.store._dburl import DEFAULT_DATABASE_URL, database_settings

__all__ = ["StoreConfig", "StoreConfigError", "django_settings", "private_sqlite_file"]

_MIB = 1024 * 1024


class StoreConfigError(ValueError):
    """The store's locations are missing or unsafe, in one sentence saying what to set."""


@dataclass(frozen=True)
class StoreConfig:
    database_url: str = DEFAULT_DATABASE_URL
    evidence_dir: Path = Path("nadzor-evidence")
    secret_file: Path = Path("nadzor.secret")
    evidence_max_bytes: int = 100 * _MIB
    debug: bool = False

    @classmethod
    def from_env(cls, db: str | None = None, env: Mapping[str, str] | None = None) -> StoreConfig:
        """The configuration a command runs with: `--db` wins over NADZOR_DATABASE_URL.

        On SQLite the evidence folder and the secret default to the database file's folder.
        On PostgreSQL there is no such folder: NADZOR_EVIDENCE_DIR and NADZOR_SECRET_FILE
        (or NADZOR_SECRET_KEY) must be set, or a server started from another folder would
        silently make a new secret (every receipt code lost) and find no evidence.
        """
        env = os.environ if env is None else env
        max_mib = env.get("NADZOR_EVIDENCE_MAX_MB", "")
        url = db or env.get("NADZOR_DATABASE_URL") or DEFAULT_DATABASE_URL
        home = _beside(url)
        if home is None:
            missing = [
                name
                for name, given in (
                    ("NADZOR_EVIDENCE_DIR", env.get("NADZOR_EVIDENCE_DIR")),
                    (
                        "NADZOR_SECRET_FILE",
                        env.get("NADZOR_SECRET_FILE") or env.get("NADZOR_SECRET_KEY"),
                    ),
                )
                if not given
            ]
            if missing:
                raise StoreConfigError(
                    f"a PostgreSQL store needs {' and '.join(missing)} set to absolute paths"
                    " (where its evidence and its server secret live)"
                )
            home = Path()
        return cls(
            database_url=url,
            evidence_dir=Path(env.get("NADZOR_EVIDENCE_DIR") or home / "nadzor-evidence"),
            secret_file=Path(env.get("NADZOR_SECRET_FILE") or home / "nadzor.secret"),
            evidence_max_bytes=int(max_mib) * _MIB if max_mib.isdigit() else 100 * _MIB,
            debug=env.get("NADZOR_DEBUG", "") not in ("", "0"),
        )

    def secret_key(self) -> str:
        """The server secret (NADZOR_SECRET_KEY, else a file created once with mode 0600).

        A new secret is made only for a new store: beside an existing SQLite store a missing
        secret file is an error, never silently replaced (the secret keys every receipt code).
        """
        from_env = os.environ.get("NADZOR_SECRET_KEY")
        if from_env:
            return from_env
        path = self.secret_file
        if not path.exists():
            existing = _sqlite_file(self.database_url)
            if existing is not None and existing.is_file() and existing.stat().st_size > 0:
                raise StoreConfigError(
                    f"the store {existing} exists but its secret file {path} is missing:"
                    " restore it (`nadzor restore`) or set NADZOR_SECRET_FILE to where it is;"
                    " a new secret would make every receipt code useless"
                )
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
        return path.read_text().strip()


def _sqlite_file(url: str) -> Path | None:
    settings = database_settings(url)
    name = str(settings["NAME"])
    if settings["ENGINE"].endswith("sqlite3") and name != ":memory:":
        return Path(name)
    return None


def _beside(url: str) -> Path | None:
    """Where evidence and the secret live by default: beside a SQLite file (here for an
    in-memory one); None for a server database, which has no folder of its own."""
    settings = database_settings(url)
    if not settings["ENGINE"].endswith("sqlite3"):
        return None
    found = _sqlite_file(url)
    return found.parent if found is not None else Path()


def private_sqlite_file(url: str) -> None:
    """Create a new SQLite store file readable by its owner only (0600) before SQLite does
    (it would follow the umask, often world-readable); its WAL and shared-memory files take
    the same mode from it. An existing file is left as it is."""
    path = _sqlite_file(url)
    if path is None or path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def django_settings(config: StoreConfig) -> dict[str, Any]:
    """The Django settings for the store (the web app adds its own on top)."""
    return {
        "DEBUG": config.debug,
        "SECRET_KEY": config.secret_key(),
        "DATABASES": {"default": database_settings(config.database_url)},
        "INSTALLED_APPS": [
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "nadzor.store",
        ],
        "AUTH_USER_MODEL": "store.User",
        "PASSWORD_HASHERS": [
            "django.contrib.auth.hashers.Argon2PasswordHasher",
            "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        ],
        "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
        "USE_TZ": True,
        "TIME_ZONE": "UTC",
        "NADZOR_EVIDENCE_DIR": str(config.evidence_dir),
        "NADZOR_EVIDENCE_MAX_BYTES": config.evidence_max_bytes,
        "LOGGING_CONFIG": None,
        "CACHES": cache_settings(),
    }
