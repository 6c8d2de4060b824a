"""The WSGI application for `nadzor serve` (and any WSGI server): configured from NADZOR_*."""

from __future__ import annotations

import os

from django.core.handlers.wsgi import WSGIHandler

from nadzor.store import StoreConfig
from nadzor.web._setup import configure_web

__all__ = ["make_application"]


def make_application() -> WSGIHandler:
    hosts = [h for h in os.environ.get("NADZOR_ALLOWED_HOSTS", "").split(",") if h.strip()]
    configure_web(StoreConfig.from_env(), allowed_hosts=hosts or None)
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    # Imported now, before the server forks its workers: they then share the limiters'
    # in-memory key, and so their counts in the store's cache.
    from nadzor.web import login_throttle, ratelimit  # noqa: F401

    return application  # type: ignore[return-value]
