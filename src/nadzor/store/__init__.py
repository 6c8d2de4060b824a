"""The store: Django models and migrations for cases, people, evidence, users and the audit log.

Importing this package does no work; `open_store` configures Django for one database.
"""

from nadzor.store._bulk import bulk_insert
from nadzor.store._config import StoreConfig, StoreConfigError
from nadzor.store._dburl import DEFAULT_DATABASE_URL, StoreUrlError, describe_url
from nadzor.store._setup import StoreError, migrate, open_store, pending_migrations

__all__ = [
    "DEFAULT_DATABASE_URL",
    "StoreConfig",
    "StoreConfigError",
    "StoreError",
    "StoreUrlError",
    "bulk_insert",
    "describe_url",
    "migrate",
    "open_store",
    "pending_migrations",
]
