"""Configure Django for the web app once per process."""

from __future__ import annotations

from nadzor.store import StoreConfig

__all__ = ["configure_web"]


def configure_web(config: StoreConfig, *, allowed_hosts: list[str] | None = None) -> None:
    import django
    from django.conf import settings

    from nadzor.web._settings import web_settings

    if settings.configured:
        return
    from nadzor.store._config import private_sqlite_file

    private_sqlite_file(config.database_url)
    settings.configure(**web_settings(config, allowed_hosts=allowed_hosts))
    django.setup()
