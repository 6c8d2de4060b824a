"""Sending a complaint through the form: the receipt shown once, errors next to their
fields with what was typed kept, files checked, and the code kept nowhere."""

from __future__ import annotations

import logging
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.conftest import every_cell
from tests.web.public.conftest import (
    EXE,
    FORM,
    PDF,
    PNG,
    RECEIPT,
    field_html,
    html,
    latest_complaint,
    post,
    submit,
)

pytestmark = pytest.mark.django_db

CONTACT = {
    "contact_name": "Петрова Анна",
    "contact_phone": "+7 900 555-12-34",
    "contact_email": "anna@example.org",
    "contact_other": "Telegram @petrova_a",
}


def _count() -> int:
    from nadzor.store.models import Complaint

    return Complaint.objects.count()


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ru", ["Ваша жалоба получена", "Сохраните этот код", "только один раз"]),
        ("uk", ["Вашу скаргу отримано", "Збережіть цей код", "лише один раз"]),
        ("en", ["Your complaint has been received", "Keep this code", "shown only once"]),
    ],
)
def test_a_sent_complaint_shows_its_receipt_code_once_grouped(
    client: Client, lang: str, words: list[str]
) -> None:
    response = post(client, "/complaints/new", {**FORM, **CONTACT}, lang=lang)

    page = html(response)
    assert response.status_code == 200
    found = RECEIPT.search(page)
    assert found, page
    grouped = found.group(1)
    assert re.fullmatch(r"[0-9]{4}\s[0-9]{4} [0-9]{4}\s[0-9]{4}", grouped)
    assert page.count(grouped) == 1
    # the digits alone only in the language switch's POST forms (one for each other
    # language), which show the same receipt in that language (never in an address)
    digits = re.sub(r"\s", "", grouped)
    assert page.count(digits) == 2
    assert page.count(f'<input type="hidden" name="code" value="{digits}">') == 2
    for word in words:
        assert word in page
    assert f'href="/complaints/status?lang={lang}"' in page
    assert "http://testserver/complaints/status" in page
    assert response["Cache-Control"] == "no-store"
    assert "Location" not in response


def test_the_complaint_is_stored_with_its_identity_apart(client: Client) -> None:
    from nadzor.complaints.services import find

    code = submit(client, {**FORM, **CONTACT, "reason": "provision:winter_uniform"}, lang="en")

    complaint = find(code)
    assert complaint is not None
    assert (complaint.category, complaint.reason) == ("provision", "winter_uniform")
    assert (complaint.region, complaint.facility) == ("Курская область", "в/ч 12345")
    assert str(complaint.occurred_on) == "2026-11-01"
    assert complaint.language == "en"
    identity = complaint.identity
    assert (identity.name, identity.phone) == ("Петрова Анна", "+7 900 555-12-34")
    assert (identity.email, identity.other) == ("anna@example.org", "Telegram @petrova_a")


def test_an_anonymous_complaint_needs_only_category_and_text(client: Client) -> None:
    from nadzor.store.models import ComplaintIdentity

    submit(client, {"category": "abuse", "text": "Бьют новобранцев."})

    complaint = latest_complaint()
    assert (complaint.category, complaint.reason, complaint.region) == ("abuse", "", "")
    assert not ComplaintIdentity.objects.exists()


@pytest.mark.parametrize(
    ("category", "reason", "stored"),
    [
        ("unlawful_callup", "unlawful_callup:other", "other"),
        ("unlawful_callup", "unlawful_callup:children", "children"),
        ("provision", "provision:other", "other"),
        ("conditions", "", ""),
        ("training", "", ""),
        ("other", "", ""),
    ],
)
def test_the_reason_is_read_for_its_category(
    client: Client, category: str, reason: str, stored: str
) -> None:
    submit(client, {"category": category, "reason": reason, "text": "Текст."})

    assert (latest_complaint().category, latest_complaint().reason) == (category, stored)


def test_the_code_is_in_no_stored_row_and_no_log(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    code = submit(client, {**FORM, **CONTACT})
    post(client, "/complaints/status", {"code": code})
    post(
        client,
        "/complaints/status/reply",
        {"code": code, "text": "Ещё одно."},
        form="/complaints/status",
    )

    grouped = " ".join(code[i : i + 4] for i in range(0, 16, 4))
    for table, value in every_cell():
        assert code not in value, table
        assert grouped not in value, table
    assert code not in caplog.text and grouped not in caplog.text


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "ru",
            {
                "category": "Выберите, о чём жалоба.",
                "text": "Опишите, что произошло.",
                "region": "не больше 200 знаков, а здесь 201",
                "occurred_on": "Дата не может быть в будущем.",
                "contact_email": "Это не похоже на адрес электронной почты",
            },
        ),
        (
            "en",
            {
                "category": "Choose what the complaint is about.",
                "text": "Describe what happened.",
                "region": "at most 200 characters, and it has 201",
                "occurred_on": "The date cannot be in the future.",
                "contact_email": "This does not look like an email address",
            },
        ),
    ],
)
def test_errors_stand_next_to_their_fields_and_what_was_typed_is_kept(
    client: Client, lang: str, expected: dict[str, str]
) -> None:
    form = {
        "category": "",
        "reason": "",
        "region": "Я" * 201,
        "facility": "в/ч 54321 «Север»",
        "text": "   ",
        "occurred_on": "2999-01-01",
        "contact_name": "Иван <b>Иванов</b>",
        "contact_phone": "8 800 000-00-00",
        "contact_email": "not-an-email",
        "contact_other": "",
    }

    response = post(client, "/complaints/new", form, lang=lang)

    page = html(response)
    assert response.status_code == 400
    assert _count() == 0
    for field, message in expected.items():
        assert message in field_html(page, field), field
    assert 'class="notice bad"' in page
    # what was typed, as it was typed (escaped, never lost)
    assert f'value="{"Я" * 201}"' in field_html(page, "region")
    assert 'value="в/ч 54321 «Север»"' in field_html(page, "facility")
    assert 'value="2999-01-01"' in field_html(page, "occurred_on")
    assert 'value="Иван &lt;b&gt;Иванов&lt;/b&gt;"' in field_html(page, "contact_name")
    assert 'value="8 800 000-00-00"' in field_html(page, "contact_phone")
    assert 'value="not-an-email"' in field_html(page, "contact_email")
    assert 'aria-invalid="true"' in field_html(page, "contact_email")
    assert "aria-invalid" not in field_html(page, "contact_phone")


def test_the_typed_description_and_choices_are_kept(client: Client) -> None:
    text = "Строка один.\nСтрока два с <тегом> & знаком."
    form = {**FORM, "text": text, "occurred_on": "31.02.2025"}

    response = post(client, "/complaints/new", form, lang="en")

    page = html(response)
    assert response.status_code == 400
    assert "day.month.year" in field_html(page, "occurred_on")
    assert "Строка один.\nСтрока два с &lt;тегом&gt; &amp; знаком.</textarea>" in page
    assert 'value="provision" checked' in field_html(page, "category")
    assert '<option value="provision:winter_uniform" selected>' in field_html(page, "reason")


@pytest.mark.parametrize(
    ("category", "reason", "lang", "message"),
    [
        ("provision", "unlawful_callup:health", "en", "listed under the category you chose"),
        ("abuse", "provision:food", "en", "listed under the category you chose"),
        ("abuse", "food", "en", "This category needs no reason"),
        ("abuse", "food", "ru", "Для этой темы причина не нужна"),
        ("nonsense", "", "en", "Choose one of the listed categories."),
    ],
)
def test_the_reason_is_checked_for_the_chosen_category(
    client: Client, category: str, reason: str, lang: str, message: str
) -> None:
    form = {**FORM, "category": category, "reason": reason}

    response = post(client, "/complaints/new", form, lang=lang)

    assert response.status_code == 400
    field = "category" if category == "nonsense" else "reason"
    assert message in field_html(html(response), field)
    assert _count() == 0


def _files(*items: tuple[str, bytes]) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(name, data) for name, data in items]


def test_files_are_stored_with_the_complaint(client: Client) -> None:
    form = {**FORM, "attachments": _files(("акт.pdf", PDF), ("photo.png", PNG))}

    submit(client, form)

    stored = latest_complaint().attachments.order_by("original_name")
    assert [(a.original_name, a.media_type) for a in stored] == [
        ("photo.png", "image/png"),
        ("акт.pdf", "application/pdf"),
    ]


@pytest.mark.parametrize(
    ("lang", "files", "message"),
    [
        ("ru", [("run.exe", EXE)], "Файл «run.exe» нельзя принять"),
        ("en", [("run.exe", EXE)], "The file “run.exe” cannot be accepted"),
        ("ru", [("пусто.pdf", b"")], "Файл «пусто.pdf» пустой."),
        ("en", [("big.pdf", PDF + bytes(2048))], "The file “big.pdf” is too large: at most 1 KB"),
        (
            "ru",
            [("big.pdf", PDF + bytes(2048))],
            "Файл «big.pdf» слишком большой: каждый файл — не больше 1 КБ",
        ),
        (
            "en",
            [(f"{n}.pdf", PDF) for n in range(6)],
            "Too many files: at most 5 at a time, and you chose 6.",
        ),
        ("ru", [(f"{n}.pdf", PDF) for n in range(6)], "за один раз можно не больше 5, а выбрано 6"),
    ],
)
def test_refused_files_are_named_next_to_the_files_field(
    client: Client,
    settings: object,
    lang: str,
    files: list[tuple[str, bytes]],
    message: str,
) -> None:
    settings.NADZOR_COMPLAINT_MAX_BYTES = 1024  # type: ignore[attr-defined]
    form = {**FORM, **CONTACT, "attachments": _files(*files)}

    response = post(client, "/complaints/new", form, lang=lang)

    page = html(response)
    assert response.status_code == 400
    assert message in field_html(page, "attachments")
    reselect = {"ru": "выберите их снова", "en": "choose them again"}[lang]
    assert reselect in field_html(page, "attachments")
    assert reselect in page[: page.index("<form")], "said at the top too"
    assert 'value="Петрова Анна"' in page and FORM["text"] in page
    assert _count() == 0


def test_the_files_limit_is_stated_on_the_form(client: Client, settings: object) -> None:
    settings.NADZOR_COMPLAINT_MAX_BYTES = 5 * 1024 * 1024  # type: ignore[attr-defined]

    ru = html(client.get("/complaints/new?lang=ru"))
    en = html(client.get("/complaints/new?lang=en"))

    assert "Файлов: до 5, каждый не больше 5 МБ" in field_html(ru, "attachments")
    assert "Up to 5 files, each at most 5 MB" in field_html(en, "attachments")


def test_a_form_without_its_csrf_token_is_refused_with_a_plain_page(client: Client) -> None:
    response = client.post("/complaints/new?lang=en", FORM)

    assert response.status_code == 403
    assert "The form has expired" in html(response)
    assert _count() == 0
