"""`nadzor serve`: the web app and API behind a production WSGI server (gunicorn)."""

from __future__ import annotations

import os
import sys
from typing import Any

import typer

from nadzor.cli._app import CommandError
from nadzor.cli._store_options import DB_OPTION

__all__ = ["register"]


def serve_command(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(
        0, "--workers", min=0, help="Worker processes (default: 2 per CPU core, at least 2)."
    ),
    threads: int = typer.Option(4, "--threads", min=1, help="Threads per worker."),
    db: str | None = DB_OPTION,
) -> None:
    """Run the public complaint desk, the staff workspace and the JSON API."""
    if db:
        os.environ["NADZOR_DATABASE_URL"] = db
    _check_store()
    count = workers or max(2, 2 * (os.cpu_count() or 1))
    print(
        f"nadzor serving on http://{host}:{port}/ ({count} workers x {threads} threads); Ctrl-C stops",
        file=sys.stderr,
        flush=True,
    )
    _Server(
        {
            "bind": f"{host}:{port}",
            "workers": count,
            "threads": threads,
            "worker_class": "gthread",
            # No access log: the public desk records no IP address or user agent.
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            "timeout": 120,
            "graceful_timeout": 10,
            "preload_app": True,
        }
    ).run()


def _check_store() -> None:
    from nadzor.store import (
        StoreConfig,
        StoreConfigError,
        StoreError,
        StoreUrlError,
        describe_url,
        pending_migrations,
    )
    from nadzor.store._secret_check import check_secret
    from nadzor.web._setup import configure_web

    try:
        config = StoreConfig.from_env()
        configure_web(config)
        pending = pending_migrations()
        if not pending:
            check_secret()
    except (StoreUrlError, StoreConfigError, StoreError) as exc:
        raise CommandError(str(exc)) from None
    except Exception as exc:
        from django.db import Error

        if isinstance(exc, Error):
            raise CommandError(
                f"cannot open the store: {str(exc).strip().splitlines()[0]}"
            ) from None
        raise
    if pending:
        raise CommandError(
            f"the store {describe_url(config.database_url)} is not initialised or is out of date:"
            " run `nadzor init` first"
        )


def _server_base() -> type[Any]:
    from gunicorn.app.base import BaseApplication

    return BaseApplication  # type: ignore[no-any-return]


class _Server(_server_base()):  # type: ignore[misc]
    def __init__(self, options: dict[str, Any]) -> None:
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from nadzor.web.wsgi import make_application

        return make_application()


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
