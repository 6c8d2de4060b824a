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


def load_rulebook_option(name: str, *, with_tests: bool = False) -> Rulebook:
    try:
        return resolve_rulebook(name, with_tests=with_tests)
    except UnknownRulebook as exc:
        raise CommandError(str(exc)) from None
    except RulebookError as exc:
        raise CommandError(
            f"rulebook {name} is invalid: {exc} (run `nadzor rulebook check {name}`)"
        ) from None
