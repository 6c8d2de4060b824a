"""Input errors of the complaint desk: every field checked at once, each error tied to a field.

Each error has a stable `code` (for the web to translate) and a plain English sentence; the
error keeps what the person typed (`echo`) so that a form can be shown again as it was.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import NamedTuple

from nadzor.cases.domain import DomainError

__all__ = ["ErrorCode", "FieldError", "InputErrors"]


class ErrorCode(StrEnum):
    """The codes of `FieldError`; stable names the web translates."""

    REQUIRED = "required"
    NOT_TEXT = "not_text"
    NOT_A_CHOICE = "not_a_choice"
    NOT_ALLOWED = "not_allowed"
    TOO_LONG = "too_long"
    NOT_A_DATE = "not_a_date"
    FUTURE = "future"
    TOO_EARLY = "too_early"
    NOT_AN_EMAIL = "not_an_email"
    NOT_AN_OBJECT = "not_an_object"
    UNKNOWN_FIELD = "unknown_field"
    TOO_MANY = "too_many"
    TOO_LARGE = "too_large"
    BAD_TYPE = "bad_type"
    EMPTY = "empty"


class FieldError(NamedTuple):
    """One problem with one field: `contact.email`, `attachments`, `text`..."""

    field: str
    message: str
    code: str


class InputErrors(DomainError):  # noqa: N818 - public name the services raise
    """Input that cannot be stored, with every problem found (in the order of the fields)."""

    def __init__(self, errors: Sequence[FieldError], echo: Mapping[str, str] | None = None):
        if not errors:
            raise ValueError("InputErrors needs at least one error")
        self.errors: tuple[FieldError, ...] = tuple(errors)
        self.echo: dict[str, str] = dict(echo or {})
        super().__init__(" ".join(error.message for error in self.errors))

    def pairs(self) -> list[tuple[str, str]]:
        """(field, message) of each error."""
        return [(error.field, error.message) for error in self.errors]

    def codes(self) -> dict[str, list[str]]:
        """The error codes of each field that has errors."""
        found: dict[str, list[str]] = {}
        for error in self.errors:
            found.setdefault(error.field, []).append(error.code)
        return found

    def first(self) -> FieldError:
        return self.errors[0]
