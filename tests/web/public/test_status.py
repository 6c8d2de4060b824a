"""The status page: the code only in POST bodies, the same answer for every code that opens
nothing, staff messages and the person's own, and replies with files."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from nadzor.cases.domain import Actor, Role
from tests.web.public.conftest import (
    EXE,
    PDF,
    field_html,
    html,
    latest_complaint,
    look_up,
    normalised,
    post,
    submit,
)

pytestmark = pytest.mark.django_db

STATUS = "/complaints/status"
REPLY = "/complaints/status/reply"


def _wrong(code: str) -> str:
    """The code with its last digit changed."""
    return code[:-1] + str((int(code[-1]) + 1) % 10)


def _reply(client: Client, data: dict[str, object], *, lang: str = "ru") -> object:
    return post(client, REPLY, data, lang=lang, form=STATUS)


@pytest.fixture
def supervisor(db: None) -> Actor:
    from nadzor.store.models import User

    User.objects.create_user(username="sofia", role=Role.SUPERVISOR.value, password=None)
    return Actor("sofia", Role.SUPERVISOR)


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ru", ["Ваша жалоба", "Получена", "Сообщений пока нет", "Написать сотрудникам"]),
        ("en", ["Your complaint", "Received", "No messages yet", "Write to the staff"]),
    ],
)
def test_the_right_code_opens_the_status_page(client: Client, lang: str, words: list[str]) -> None:
    code = submit(client)

    response = look_up(client, code, lang=lang)

    page = html(response)
    assert response.status_code == 200
    for word in words:
        assert word in page
    assert response["Cache-Control"] == "no-store"


def test_the_code_may_be_typed_grouped_or_with_dashes(client: Client) -> None:
    code = submit(client)

    for typed in (
        f"{code[:4]} {code[4:8]} {code[8:12]} {code[12:]}",
        f"{code[:4]}\u00a0{code[4:8]} {code[8:12]}\u00a0{code[12:]}",  # copied from the receipt
        f"{code[:8]}-{code[8:]}",
    ):
        assert look_up(client, typed).status_code == 200


def test_the_code_travels_only_in_the_reply_forms_hidden_field(client: Client) -> None:
    code = submit(client)

    page = html(look_up(client, code, lang="en"))

    assert page.count(code) == 1
    assert f'<input type="hidden" name="code" value="{code}">' in page
    assert '<form method="post" action="/complaints/status/reply?lang=en"' in page
    assert code not in page[: page.index("<main")]


def test_wrong_unknown_and_malformed_codes_get_the_same_page(client: Client) -> None:
    code = submit(client)
    wrong = _wrong(code)
    unknown = "9081 7263 5445 3627"
    malformed = "12345"

    answers = {typed: look_up(client, typed, lang="en") for typed in (wrong, unknown, malformed)}

    assert {response.status_code for response in answers.values()} == {404}
    pages = {normalised(html(response), typed) for typed, response in answers.items()}
    assert len(pages) == 1
    page = pages.pop()
    assert "No complaint was found with this code" in field_html(page, "code")
    assert 'value="CODE"' in page, "what was typed is kept to be corrected"
    assert "Your complaint" not in page


def test_wrong_and_unknown_codes_each_cost_one_code_check(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nadzor.complaints import _receipts

    code = submit(client)
    checks: list[str] = []
    verify = _receipts.verify_code

    def counting(code_hash: str, typed: str) -> bool:
        checks.append(code_hash)
        return verify(code_hash, typed)

    monkeypatch.setattr(_receipts, "verify_code", counting)
    for typed in (_wrong(code), "1234567890123456", "12345", code):
        checks.clear()
        look_up(client, typed)
        assert len(checks) == 1, typed


def test_an_empty_code_is_asked_for_and_not_counted(client: Client) -> None:
    from nadzor.web.ratelimit import status_lookups

    response = look_up(client, "   ", lang="ru")

    assert response.status_code == 400
    assert "Введите код квитанции" in field_html(html(response), "code")
    assert len(status_lookups) == 0


def test_staff_messages_and_the_status_in_plain_words(client: Client, supervisor: Actor) -> None:
    from nadzor.complaints.services import reply

    code = submit(client)
    reply(supervisor, latest_complaint().pk, "Мы получили жалобу. Уточните номер роты?")

    ru = html(look_up(client, code, lang="ru"))
    en = html(look_up(client, code, lang="en"))

    assert "Рассматривается" in ru and "От сотрудников" in ru
    assert "Мы получили жалобу. Уточните номер роты?" in ru
    assert "Being reviewed" in en and "From staff" in en
    assert "sofia" not in ru and "sofia" not in en, "staff are never named"


@pytest.mark.parametrize(
    ("lang", "sent"), [("ru", "Ваше сообщение отправлено."), ("en", "Your message has been sent.")]
)
def test_a_reply_is_stored_and_shown(client: Client, lang: str, sent: str) -> None:
    code = submit(client)

    response = _reply(client, {"code": code, "text": "Вторая рота.\nКазарма 3."}, lang=lang)

    page = html(response)
    assert response.status_code == 200
    assert sent in page
    assert "Вторая рота.<br>Казарма 3." in page
    assert ("От вас" if lang == "ru" else "From you") in page
    messages = list(latest_complaint().messages.values_list("sender", "text"))
    assert messages == [("you", "Вторая рота.\nКазарма 3.")]
    assert field_html(page, "text").count("Вторая рота") == 0, "the reply box is empty again"


def test_a_reply_may_be_only_files(client: Client) -> None:
    code = submit(client)
    files = [SimpleUploadedFile("справка.pdf", PDF)]

    response = _reply(client, {"code": code, "text": "", "attachments": files}, lang="en")

    assert response.status_code == 200
    assert "Files added." in html(response)
    complaint = latest_complaint()
    assert [a.original_name for a in complaint.attachments.all()] == ["справка.pdf"]
    assert complaint.attachments.get().message is not None


@pytest.mark.parametrize(
    ("lang", "text_error", "file_error"),
    [
        ("ru", "Опишите, что произошло.", "Файл «virus.exe» нельзя принять"),
        ("en", "Describe what happened.", "The file “virus.exe” cannot be accepted"),
    ],
)
def test_a_reply_with_errors_keeps_the_text_and_says_what_is_wrong(
    client: Client, lang: str, text_error: str, file_error: str
) -> None:
    code = submit(client)

    empty = _reply(client, {"code": code, "text": "  "}, lang=lang)
    bad_file = _reply(
        client,
        {
            "code": code,
            "text": "Вот фото.",
            "attachments": [SimpleUploadedFile("virus.exe", EXE)],
        },
        lang=lang,
    )

    assert (empty.status_code, bad_file.status_code) == (400, 400)
    assert text_error in field_html(html(empty), "text")
    page = html(bad_file)
    assert file_error in field_html(page, "attachments")
    assert ">Вот фото.</textarea>" in page
    assert f'<input type="hidden" name="code" value="{code}">' in page
    assert not latest_complaint().messages.exists()


def test_a_reply_with_a_wrong_code_gets_the_not_found_page(client: Client) -> None:
    code = submit(client)

    response = _reply(client, {"code": _wrong(code), "text": "Привет."}, lang="en")

    assert response.status_code == 404
    assert "No complaint was found with this code" in html(response)
    assert not latest_complaint().messages.exists()
