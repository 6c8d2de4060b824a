"""Checking a submitted complaint: every field at once, each problem tied to its field.

`raw` is what the API body or the web form gave: texts, `occurred_on` as `YYYY-MM-DD` (or
`DD.MM.YYYY`, as people type it when a browser has no date picker) or a date, and
`contact` as a mapping of `name`, `phone`, `email`, `other`. Unknown top-level keys are
ignored (forms carry tokens and the language); an unknown contact field is an error, so
that a way to reach the person is never dropped silently.

Texts are put in Unicode NFC, control characters removed (single-line fields also have
their runs of spaces collapsed), then trimmed; the limits apply to the cleaned text.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping

from nadzor.complaints.domain._errors import ErrorCode, FieldError, InputErrors
from nadzor.complaints.domain._model import (
    CONTACT_FIELDS,
    REASONS,
    Category,
    ComplaintInput,
    Contact,
    Topic,
)

__all__ = [
    "CONTACT_MAX",
    "EARLIEST_DATE",
    "FIELD_MAX",
    "TEXT_MAX",
    "clean_line",
    "clean_text",
    "echo",
    "validate",
    "validate_message",
]

TEXT_MAX = 10_000
FIELD_MAX = 200
CONTACT_MAX = 200
EARLIEST_DATE = dt.date(2022, 1, 1)

_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DOTTED_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
_SPACES = re.compile(r"\s+")
_KEPT_CONTROLS = frozenset("\n\t")
_CATEGORIES = frozenset(category.value for category in Category)
# control characters (NUL cannot even be stored by PostgreSQL) and lone surrogates (which
# cannot be encoded): never kept
_DROPPED = frozenset({"Cc", "Cs"})

# a category that takes a reason and was given none: the reason is `other` (`api.md`: only
# the category and the text are required)
_DEFAULT_REASON = "other"


def clean_text(value: str) -> str:
    """A multi-line text: NFC, line ends as \\n, no control characters but \\n and \\t, no
    lone surrogates, trimmed."""
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    kept = "".join(
        c for c in value if c in _KEPT_CONTROLS or unicodedata.category(c) not in _DROPPED
    )
    return kept.strip()


def clean_line(value: str) -> str:
    """A one-line text: NFC, control characters and runs of spaces as one space, no lone
    surrogates, trimmed."""
    value = unicodedata.normalize("NFC", value)
    spaced = "".join(
        "" if category == "Cs" else " " if category == "Cc" else c
        for c, category in ((c, unicodedata.category(c)) for c in value)
    )
    return _SPACES.sub(" ", spaced).strip()


class _Checker:
    def __init__(self, raw: Mapping[str, object]) -> None:
        self.raw = raw
        self.errors: list[FieldError] = []

    def fail(self, field: str, code: ErrorCode, message: str) -> None:
        self.errors.append(FieldError(field, message, code))

    def line(self, field: str, value: object, limit: int, label: str) -> str:
        """An optional one-line text (None and absent are empty)."""
        if value is None:
            return ""
        if not isinstance(value, str):
            self.fail(field, ErrorCode.NOT_TEXT, f"The {label} must be text.")
            return ""
        cleaned = clean_line(value)
        if len(cleaned) > limit:
            self.fail(
                field,
                ErrorCode.TOO_LONG,
                f"The {label} is too long: at most {limit} characters, not {len(cleaned)}.",
            )
        return cleaned


def validate(raw: Mapping[str, object], *, today: dt.date) -> ComplaintInput:
    """The complaint in `raw`, checked; `InputErrors` lists every problem found."""
    check = _Checker(raw)
    categories = _categories(check, raw.get("category"))
    topics = _topics(check, categories, raw.get("reason"))
    region = check.line("region", raw.get("region"), FIELD_MAX, "region")
    facility = check.line("facility", raw.get("facility"), FIELD_MAX, "facility or unit")
    text = _text(check, "text", raw.get("text"))
    occurred_on = _date(check, raw.get("occurred_on"), today)
    contact = _contact(check, raw.get("contact"))
    if check.errors:
        raise InputErrors(check.errors, echo(raw))
    assert topics  # no category is an error above
    return ComplaintInput(
        category=topics[0].category,
        reason=topics[0].reason,
        region=region,
        facility=facility,
        text=text,
        occurred_on=occurred_on,
        contact=contact,
        topics=tuple(topics),
    )


def validate_message(value: object, *, required: bool = True) -> str:
    """The text of a later message, checked like a complaint's text (empty allowed when
    `required` is false: a message that only adds files)."""
    check = _Checker({})
    text = _text(check, "text", value, required=required)
    if check.errors:
        raise InputErrors(check.errors, {"text": value} if isinstance(value, str) else {})
    return text


def echo(raw: Mapping[str, object]) -> dict[str, str]:
    """What the person typed, as text, to show the form again: top-level fields by name,
    contact fields as `contact.name` and so on. Values that are not text are left out
    (dates are shown as YYYY-MM-DD)."""
    shown: dict[str, str] = {}
    for name in ("category", "reason", "region", "facility", "text", "occurred_on"):
        text = _shown(raw.get(name))
        if text is not None:
            shown[name] = text
    contact = raw.get("contact")
    if isinstance(contact, Mapping):
        for name in CONTACT_FIELDS:
            text = _shown(contact.get(name))
            if text is not None:
                shown[f"contact.{name}"] = text
    return shown


def _shown(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return None


def _categories(check: _Checker, value: object) -> list[Category]:
    """One category (a text) or several (a list of texts), without repeats, in order."""
    given = value if isinstance(value, list | tuple) else [value]
    texts = [v.strip() if isinstance(v, str) else v for v in given]
    texts = [v for v in texts if v is not None and v != ""]
    if not texts:
        check.fail("category", ErrorCode.REQUIRED, "Choose what the complaint is about.")
        return []
    known = [v for v in texts if isinstance(v, str) and v in _CATEGORIES]
    if len(known) != len(texts):
        check.fail("category", ErrorCode.NOT_A_CHOICE, "Choose one of the listed categories.")
        return []
    return [Category(v) for v in dict.fromkeys(known)]


def _topics(check: _Checker, categories: list[Category], value: object) -> list[Topic]:
    """Each category with its reason.

    `value` is one reason (a text: it belongs to the first category that takes one) or a
    mapping of category to reason. A category that takes a reason and has none gets
    `other`; a reason given for a category that takes none is an error.
    """
    if not categories:
        return []  # nothing to check it against; the category's error says what to do
    reasons: dict[str, object] = {}
    if isinstance(value, Mapping):
        reasons = {str(k): v for k, v in value.items()}
        for key in reasons:
            # a reason under a category not chosen: listed under another category
            unchosen = key not in _CATEGORIES or Category(key) not in categories
            if unchosen and _given(reasons[key]):
                check.fail("reason", ErrorCode.NOT_A_CHOICE, "Choose one of the listed reasons.")
    elif _given(value):
        takes = [c for c in categories if c in REASONS]
        if not takes:
            check.fail("reason", ErrorCode.NOT_ALLOWED, "This category takes no reason.")
            return [Topic(c) for c in categories]
        reasons = {takes[0].value: value}
    topics = []
    for category in categories:
        allowed = REASONS.get(category)
        given = reasons.get(category.value)
        if allowed is None:
            if _given(given):
                check.fail("reason", ErrorCode.NOT_ALLOWED, "This category takes no reason.")
            topics.append(Topic(category))
            continue
        if not _given(given):
            topics.append(Topic(category, _DEFAULT_REASON))
            continue
        if not isinstance(given, str) or given.strip() not in allowed:
            check.fail("reason", ErrorCode.NOT_A_CHOICE, "Choose one of the listed reasons.")
            topics.append(Topic(category, _DEFAULT_REASON))
            continue
        topics.append(Topic(category, given.strip()))
    return topics


def _given(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _text(check: _Checker, field: str, value: object, *, required: bool = True) -> str:
    if value is not None and not isinstance(value, str):
        check.fail(field, ErrorCode.NOT_TEXT, "The description must be text.")
        return ""
    cleaned = clean_text(value or "")
    if not cleaned:
        if required:
            check.fail(field, ErrorCode.REQUIRED, "Describe what happened.")
        return ""
    if len(cleaned) > TEXT_MAX:
        check.fail(
            field,
            ErrorCode.TOO_LONG,
            f"The description is too long: at most {TEXT_MAX} characters, not {len(cleaned)}.",
        )
    return cleaned


def _date(check: _Checker, value: object, today: dt.date) -> dt.date | None:
    if value is None:
        return None
    day: dt.date | None
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        if not value.strip():
            return None
        day = _parse_date(value.strip())
    else:
        day = None
    if day is None:
        check.fail(
            "occurred_on",
            ErrorCode.NOT_A_DATE,
            "Give the date as year-month-day, for example 2024-03-15, or leave it empty.",
        )
        return None
    if day > today:
        check.fail("occurred_on", ErrorCode.FUTURE, "The date cannot be in the future.")
    elif day < EARLIEST_DATE:
        check.fail("occurred_on", ErrorCode.TOO_EARLY, "The date cannot be before 1 January 2022.")
    return day


def _parse_date(text: str) -> dt.date | None:
    iso = _ISO_DATE.fullmatch(text)
    dotted = _DOTTED_DATE.fullmatch(text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif dotted:
        day, month, year = (int(part) for part in dotted.groups())
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_CONTACT_LABELS = {
    "name": "name",
    "phone": "phone number",
    "email": "email address",
    "other": "other way to reach you",
}


def _contact(check: _Checker, value: object) -> Contact | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        check.fail(
            "contact",
            ErrorCode.NOT_AN_OBJECT,
            "The contact details must be given as name, phone, email and other.",
        )
        return None
    for key in value:
        if key not in CONTACT_FIELDS:
            shown = str(key)[:40]
            check.fail(
                f"contact.{shown}",
                ErrorCode.UNKNOWN_FIELD,
                "Contact details can be a name, a phone number, an email address or another"
                " way to reach you.",
            )
    values = {
        name: check.line(f"contact.{name}", value.get(name), CONTACT_MAX, _CONTACT_LABELS[name])
        for name in CONTACT_FIELDS
    }
    email = values["email"]
    if email and len(email) <= CONTACT_MAX and not _EMAIL.fullmatch(email):
        check.fail(
            "contact.email",
            ErrorCode.NOT_AN_EMAIL,
            "This does not look like an email address (name@example.org).",
        )
    contact = Contact(**values)
    return contact if contact.fields_given() else None
