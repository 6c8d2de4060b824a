"""Checking a submitted complaint: every field, every error at once, what was typed kept."""

from __future__ import annotations

import datetime as dt

import pytest

from nadzor.cases.domain import DomainError
from nadzor.complaints.domain import (
    REASONS,
    CallupReason,
    Category,
    ComplaintInput,
    Contact,
    ErrorCode,
    InputErrors,
    ProvisionItem,
    Topic,
    validate,
    validate_message,
)

TODAY = dt.date(2026, 11, 26)


def good(**changes: object) -> dict[str, object]:
    raw: dict[str, object] = {
        "category": "provision",
        "reason": "winter_uniform",
        "region": "Курская область",
        "facility": "в/ч 12345",
        "text": "Нам не выдали зимнюю форму, в казарме холодно.",
        "occurred_on": "2026-11-20",
    }
    raw.update(changes)
    return raw


def errors_of(raw: dict[str, object]) -> dict[str, list[str]]:
    with pytest.raises(InputErrors) as caught:
        validate(raw, today=TODAY)
    return caught.value.codes()


def test_a_good_complaint_is_cleaned_and_typed() -> None:
    checked = validate(
        good(region="  Курская   область ", text="\n  Нет формы.\r\nХолодно. \x00 "), today=TODAY
    )
    assert checked == ComplaintInput(
        category=Category.PROVISION,
        reason="winter_uniform",
        region="Курская область",
        facility="в/ч 12345",
        text="Нет формы.\nХолодно.",
        occurred_on=dt.date(2026, 11, 20),
        contact=None,
        topics=(Topic(Category.PROVISION, "winter_uniform"),),
    )


def test_only_category_and_text_are_required() -> None:
    checked = validate({"category": "abuse", "text": "Били сослуживцы."}, today=TODAY)
    assert (checked.reason, checked.region, checked.facility) == ("", "", "")
    assert checked.occurred_on is None
    assert checked.contact is None


def test_every_error_is_reported_at_once_with_what_was_typed() -> None:
    raw: dict[str, object] = {
        "category": "conditions",
        "reason": "food",
        "region": "р" * 201,
        "facility": "ф" * 201,
        "text": "   ",
        "occurred_on": "2031-01-01",
        "contact": {"name": "И" * 201, "email": "not an email", "telegram": "@x"},
    }
    with pytest.raises(InputErrors) as caught:
        validate(raw, today=TODAY)
    errors = caught.value
    assert errors.codes() == {
        "reason": [ErrorCode.NOT_ALLOWED],
        "region": [ErrorCode.TOO_LONG],
        "facility": [ErrorCode.TOO_LONG],
        "text": [ErrorCode.REQUIRED],
        "occurred_on": [ErrorCode.FUTURE],
        "contact.telegram": [ErrorCode.UNKNOWN_FIELD],
        "contact.name": [ErrorCode.TOO_LONG],
        "contact.email": [ErrorCode.NOT_AN_EMAIL],
    }
    # the input is echoed as typed, so the form can be shown again
    assert errors.echo == {
        "category": "conditions",
        "reason": "food",
        "region": "р" * 201,
        "facility": "ф" * 201,
        "text": "   ",
        "occurred_on": "2031-01-01",
        "contact.name": "И" * 201,
        "contact.email": "not an email",
    }
    # each message is a plain sentence
    for field, message in errors.pairs():
        assert field
        assert message[0].isupper() and message.endswith("."), message
    assert str(errors).startswith("This category takes no reason.")


def test_errors_are_domain_errors() -> None:
    with pytest.raises(DomainError):
        validate({}, today=TODAY)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (None, ErrorCode.REQUIRED),
        ("", ErrorCode.REQUIRED),
        ("  ", ErrorCode.REQUIRED),
        ("weather", ErrorCode.NOT_A_CHOICE),
        ("PROVISION", ErrorCode.NOT_A_CHOICE),
        (3, ErrorCode.NOT_A_CHOICE),
    ],
)
def test_category(value: object, code: str) -> None:
    assert errors_of(good(category=value, reason=None))["category"] == [code]


def test_every_category_is_known() -> None:
    assert [c.value for c in Category] == [
        "unlawful_callup",
        "provision",
        "conditions",
        "training",
        "abuse",
        "other",
    ]
    for category in Category:
        reason = REASONS[category][0] if category in REASONS else None
        assert (
            validate(good(category=category.value, reason=reason), today=TODAY).category is category
        )


def test_a_missing_reason_for_callups_and_provision_is_other() -> None:
    for category in ("unlawful_callup", "provision"):
        for missing in (None, "", " "):
            checked = validate(good(category=category, reason=missing), today=TODAY)
            assert (checked.category, checked.reason) == (category, "other")


def test_several_categories_each_with_its_reason() -> None:
    raw = good(
        category=["unlawful_callup", "provision", "abuse", "provision"],
        reason={"unlawful_callup": "health", "provision": "winter_uniform"},
    )
    checked = validate(raw, today=TODAY)
    assert [(t.category.value, t.reason) for t in checked.topics] == [
        ("unlawful_callup", "health"),
        ("provision", "winter_uniform"),
        ("abuse", ""),
    ]
    assert (checked.category, checked.reason) == ("unlawful_callup", "health")


def test_one_reason_text_belongs_to_the_first_category_that_takes_one() -> None:
    checked = validate(good(category=["abuse", "provision"], reason="food"), today=TODAY)
    assert [(t.category.value, t.reason) for t in checked.topics] == [
        ("abuse", ""),
        ("provision", "food"),
    ]


def test_a_reason_for_a_category_not_chosen_or_unknown_is_refused() -> None:
    assert errors_of(good(category=["abuse"], reason={"provision": "food"})) == {
        "reason": [ErrorCode.NOT_A_CHOICE]
    }
    assert errors_of(good(category=["provision"], reason={"provision": "tanks"})) == {
        "reason": [ErrorCode.NOT_A_CHOICE]
    }
    assert errors_of(good(category=["provision", "nonsense"])) == {
        "category": [ErrorCode.NOT_A_CHOICE]
    }


def test_reason_must_fit_the_category() -> None:
    assert [r.value for r in CallupReason] == [
        "health",
        "age",
        "children",
        "care",
        "student",
        "reservation",
        "other",
    ]
    assert [i.value for i in ProvisionItem] == [
        "body_armour",
        "winter_uniform",
        "food",
        "medicine",
        "other",
    ]
    for reason in CallupReason:
        assert (
            validate(good(category="unlawful_callup", reason=reason.value), today=TODAY).reason
            == reason
        )
    for item in ProvisionItem:
        assert (
            validate(good(category="provision", reason=f" {item.value} "), today=TODAY).reason
            == item
        )
    assert errors_of(good(category="unlawful_callup", reason="food")) == {
        "reason": [ErrorCode.NOT_A_CHOICE]
    }
    assert errors_of(good(category="provision", reason="health")) == {
        "reason": [ErrorCode.NOT_A_CHOICE]
    }
    assert errors_of(good(category="provision", reason=7)) == {"reason": [ErrorCode.NOT_A_CHOICE]}


@pytest.mark.parametrize("category", ["conditions", "training", "abuse", "other"])
def test_reason_is_refused_for_the_other_categories(category: str) -> None:
    assert errors_of(good(category=category, reason="food")) == {"reason": [ErrorCode.NOT_ALLOWED]}
    assert validate(good(category=category, reason=""), today=TODAY).reason == ""
    assert validate(good(category=category, reason=None), today=TODAY).reason == ""


def test_an_unknown_category_does_not_also_complain_about_the_reason() -> None:
    assert errors_of(good(category="weather", reason="food")) == {
        "category": [ErrorCode.NOT_A_CHOICE]
    }


@pytest.mark.parametrize("field", ["region", "facility"])
def test_region_and_facility_are_short_single_lines(field: str) -> None:
    assert validate(good(**{field: "x" * 200}), today=TODAY).__getattribute__(field) == "x" * 200
    assert errors_of(good(**{field: "x" * 201})) == {field: [ErrorCode.TOO_LONG]}
    assert errors_of(good(**{field: 5})) == {field: [ErrorCode.NOT_TEXT]}
    cleaned = validate(good(**{field: " a\n\tb\x07  c "}), today=TODAY)
    assert getattr(cleaned, field) == "a b c"
    assert getattr(validate(good(**{field: None}), today=TODAY), field) == ""


def test_the_text_is_required_and_limited_after_trimming() -> None:
    assert validate(good(text="  " + "я" * 10_000 + "\n "), today=TODAY).text == "я" * 10_000
    assert errors_of(good(text="я" * 10_001)) == {"text": [ErrorCode.TOO_LONG]}
    assert errors_of(good(text=None)) == {"text": [ErrorCode.REQUIRED]}
    assert errors_of(good(text="\x00\x01 \n")) == {"text": [ErrorCode.REQUIRED]}
    assert errors_of(good(text=["a"])) == {"text": [ErrorCode.NOT_TEXT]}
    # line breaks and tabs stay; the text is in NFC
    assert validate(good(text="a\tb\r\nc\rd"), today=TODAY).text == "a\tb\nc\nd"
    assert validate(good(text="е\u0308"), today=TODAY).text == "ё"
    # lone surrogates (from a JSON body) cannot be stored: they are dropped
    assert validate(good(text="a\ud800b"), today=TODAY).text == "ab"
    assert validate(good(region="Кур\udfffск"), today=TODAY).region == "Курск"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-26", dt.date(2026, 11, 26)),
        ("2022-01-01", dt.date(2022, 1, 1)),
        (" 2024-02-29 ", dt.date(2024, 2, 29)),
        ("29.02.2024", dt.date(2024, 2, 29)),
        ("1.3.2024", dt.date(2024, 3, 1)),
        (dt.date(2025, 5, 9), dt.date(2025, 5, 9)),
        (dt.datetime(2025, 5, 9, 12, 0), dt.date(2025, 5, 9)),
        ("", None),
        (None, None),
    ],
)
def test_occurred_on_accepts_dates(value: object, expected: dt.date | None) -> None:
    assert validate(good(occurred_on=value), today=TODAY).occurred_on == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("2026-11-27", ErrorCode.FUTURE),
        ("2021-12-31", ErrorCode.TOO_EARLY),
        ("2023-02-29", ErrorCode.NOT_A_DATE),
        ("2024-13-01", ErrorCode.NOT_A_DATE),
        ("20240101", ErrorCode.NOT_A_DATE),
        ("2024-W01-1", ErrorCode.NOT_A_DATE),
        ("yesterday", ErrorCode.NOT_A_DATE),
        ("١٢/٠١/٢٠٢٤", ErrorCode.NOT_A_DATE),
        (20240101, ErrorCode.NOT_A_DATE),
    ],
)
def test_occurred_on_refuses_other_values(value: object, code: str) -> None:
    assert errors_of(good(occurred_on=value)) == {"occurred_on": [code]}


def test_contact_is_optional_and_kept_whole() -> None:
    contact = {
        "name": " Анна ",
        "phone": "+7 900 555-12-34",
        "email": "anna@пример.рф",
        "other": "Telegram @anna",
    }
    checked = validate(good(contact=contact), today=TODAY)
    assert checked.contact == Contact(
        "Анна", "+7 900 555-12-34", "anna@пример.рф", "Telegram @anna"
    )
    assert validate(good(contact={"name": "", "phone": None}), today=TODAY).contact is None
    assert validate(good(contact={}), today=TODAY).contact is None
    assert validate(good(contact=None), today=TODAY).contact is None
    assert validate(good(contact={"phone": "89005551234"}), today=TODAY).contact == Contact(
        phone="89005551234"
    )


def test_contact_errors() -> None:
    assert errors_of(good(contact="Анна, +7 900")) == {"contact": [ErrorCode.NOT_AN_OBJECT]}
    assert errors_of(good(contact={"phone": "1" * 201, "other": "о" * 201})) == {
        "contact.phone": [ErrorCode.TOO_LONG],
        "contact.other": [ErrorCode.TOO_LONG],
    }
    assert errors_of(good(contact={"name": 5})) == {"contact.name": [ErrorCode.NOT_TEXT]}
    for bad in ("anna", "anna@", "@example.org", "anna@example", "an na@example.org", "a@b@c.org"):
        assert errors_of(good(contact={"email": bad})) == {
            "contact.email": [ErrorCode.NOT_AN_EMAIL]
        }, bad
    # an email over the limit is only too long
    assert errors_of(good(contact={"email": "a" * 195 + "@x.org"})) == {
        "contact.email": [ErrorCode.TOO_LONG]
    }


def test_unknown_top_level_keys_are_ignored() -> None:
    checked = validate(good(csrfmiddlewaretoken="x", lang="en"), today=TODAY)
    assert checked.category is Category.PROVISION


def test_a_later_message() -> None:
    assert validate_message("  Спасибо.\n ") == "Спасибо."
    assert validate_message("", required=False) == ""
    assert validate_message(None, required=False) == ""
    with pytest.raises(InputErrors) as caught:
        validate_message(" ")
    assert caught.value.codes() == {"text": [ErrorCode.REQUIRED]}
    with pytest.raises(InputErrors) as caught:
        validate_message("я" * 10_001)
    assert caught.value.codes() == {"text": [ErrorCode.TOO_LONG]}
    assert caught.value.echo == {"text": "я" * 10_001}


def test_input_errors_need_an_error() -> None:
    with pytest.raises(ValueError, match="at least one"):
        InputErrors([])
