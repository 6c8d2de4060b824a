"""The complaint service's input errors in the page's language, by form field.

The service gives each error a field, a stable code and an English sentence; the sentence
is translated here by its code. The few numbers and file names a sentence names are read
back from the English sentence; anything not recognised is shown in English rather than
not at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.translation import pgettext

from nadzor.complaints.domain import (
    CONTACT_MAX,
    EARLIEST_DATE,
    FIELD_MAX,
    TEXT_MAX,
    AttachmentLimits,
    ErrorCode,
    FieldError,
)
from nadzor.web.public.forms import form_field, size_words

__all__ = ["by_field", "translated"]

_QUOTED = re.compile(r"“(.*)”")
_NOT_N = re.compile(r"not ([0-9]+)")
_ROOM = re.compile(r"can take ([0-9]+) more")


def by_field(
    errors: Iterable[FieldError], limits: AttachmentLimits, *, category: str = ""
) -> dict[str, list[str]]:
    """Each form field's errors, translated, in the order the service gave them."""
    found: dict[str, list[str]] = {}
    for error in errors:
        name = form_field(error.field)
        message = translated(error, limits, category=category)
        if message not in found.get(name, []):
            found.setdefault(name, []).append(message)
    return found


def translated(error: FieldError, limits: AttachmentLimits, *, category: str = "") -> str:
    field, code, english = error.field, error.code, error.message
    if field == "attachments":
        return _attachment(code, english, limits)
    if code == ErrorCode.TOO_LONG:
        limit = TEXT_MAX if field == "text" else CONTACT_MAX if "." in field else FIELD_MAX
        count = _number(_NOT_N, english)
        if count is None:
            return pgettext("public desk", "This is too long: at most %(limit)s characters.") % {
                "limit": limit
            }
        return pgettext(
            "public desk", "This is too long: at most %(limit)s characters, and it has %(count)s."
        ) % {"limit": limit, "count": count}
    if code == ErrorCode.REQUIRED:
        if field == "category":
            return pgettext("public desk", "Choose what the complaint is about.")
        if field == "reason":
            if category == "provision":
                return pgettext("public desk", "Choose what was not provided.")
            return pgettext("public desk", "Choose why the call-up is unlawful.")
        if field == "text":
            return pgettext("public desk", "Describe what happened.")
    if code == ErrorCode.NOT_A_CHOICE:
        if field == "category":
            return pgettext("public desk", "Choose one of the listed categories.")
        if field == "reason":
            return pgettext(
                "public desk", "Choose one of the reasons listed under the category you chose."
            )
    if code == ErrorCode.NOT_ALLOWED and field == "reason":
        return pgettext(
            "public desk",
            "This category needs no reason: choose “Not needed” in this list, or choose"
            " another category.",
        )
    if code == ErrorCode.NOT_A_DATE:
        return pgettext(
            "public desk",
            "Give the date as day.month.year, for example 15.03.2024, or leave it empty.",
        )
    if code == ErrorCode.FUTURE:
        return pgettext("public desk", "The date cannot be in the future.")
    if code == ErrorCode.TOO_EARLY:
        return pgettext("public desk", "The date cannot be earlier than %(date)s.") % {
            "date": EARLIEST_DATE.strftime("%d.%m.%Y")
        }
    if code == ErrorCode.NOT_AN_EMAIL:
        return pgettext(
            "public desk", "This does not look like an email address (name@example.org)."
        )
    if code == ErrorCode.NOT_TEXT:
        return pgettext("public desk", "This must be text.")
    return english


def _attachment(code: str, english: str, limits: AttachmentLimits) -> str:
    name_match = _QUOTED.search(english)
    name = name_match.group(1) if name_match else pgettext("public desk", "without a name")
    if code == ErrorCode.TOO_MANY:
        room = _number(_ROOM, english)
        if room is not None:
            return pgettext(
                "public desk",
                "This complaint can take only %(room)s more files: at most %(max)s in all.",
            ) % {"room": room, "max": limits.max_per_complaint}
        count = _number(_NOT_N, english)
        return pgettext(
            "public desk", "Too many files: at most %(max)s at a time, and you chose %(count)s."
        ) % {
            "max": limits.max_files,
            "count": count if count is not None else "?",
        }
    if code == ErrorCode.TOO_LARGE:
        return pgettext(
            "public desk", "The file “%(name)s” is too large: at most %(size)s per file."
        ) % {
            "name": name,
            "size": size_words(limits.max_bytes),
        }
    if code == ErrorCode.EMPTY:
        return pgettext("public desk", "The file “%(name)s” is empty.") % {"name": name}
    if code == ErrorCode.BAD_TYPE:
        return pgettext(
            "public desk",
            "The file “%(name)s” cannot be accepted: send documents (PDF, office files, plain"
            " text), photos, audio or video.",
        ) % {"name": name}
    return english


def _number(pattern: re.Pattern[str], text: str) -> int | None:
    found = pattern.search(text)
    return int(found.group(1)) if found else None
