"""Option parsing shared by commands: dates and rulebooks, with one-line errors."""

from __future__ import annotations

import datetime as dt

from nadzor.cli._app import CommandError
from nadzor.rules import Rulebook, RulebookError, UnknownRulebook, resolve_rulebook

__all__ = ["load_rulebook_option", "parse_date_option"]


def parse_date_option(value: str | None, flag: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return (
            dt.date.fromisoformat(value.strip()) if len(value.strip()) == 10 else _fail(flag, value)
        )
    except ValueError:
        return _fail(flag, value)


def _fail(flag: str, value: str) -> dt.date:
    raise CommandError(f"{flag} {value!r}: not a date, expected YYYY-MM-DD")


def load_rulebook_option(name: str, *, with_tests: bool = False, cache: bool = False) -> Rulebook:
    """The rulebook `name`; with `cache`, kept between processes beside the compiled SQL
    (the SQL cache's directory, unless that is turned off)."""
    store = None
    if cache:
        from nadzor.screening._sql_cache import default_cache

        sql = default_cache()
        store = sql.directory if sql is not None else None
    try:
        return resolve_rulebook(name, with_tests=with_tests, store=store)
    except UnknownRulebook as exc:
        raise CommandError(str(exc)) from None
    except RulebookError as exc:
        raise CommandError(
            f"rulebook {name} is invalid: {exc} (run `nadzor rulebook check {name}`)"
        ) from None
