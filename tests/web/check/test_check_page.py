"""/check: questions from the rulebook in three languages, the answer with its grounds, the
letter, and nothing kept: no row, no log line, no cookie."""

from __future__ import annotations

import logging
import re

import pytest
from django.test import Client

from tests.conftest import every_cell
from tests.web.check.conftest import ANSWERS, html

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("ru", ["Был ли призыв законным?", "Дата рождения", "Не знаю", "Ничего не сохраняется."]),
        (
            "uk",
            ["Чи був призов законним?", "Дата народження", "Не знаю", "Нічого не зберігається."],
        ),
        ("en", ["Was the call-up lawful?", "Date of birth", "I don't know", "Nothing is kept."]),
    ],
)
def test_the_questions_speak_the_page_language(client: Client, lang: str, words: list[str]) -> None:
    response = client.get(f"/check?lang={lang}&rulebook=ru-2022")
    page = html(response)
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in page
    for word in words:
        assert word in page
    assert not response.cookies


def test_every_answerable_column_is_asked_once(client: Client) -> None:
    from nadzor.rules import resolve_rulebook

    record = resolve_rulebook("ru-2022").record_type
    page = html(client.get("/check?lang=ru&rulebook=ru-2022"))
    for column in record.columns:
        asked = f'id="q-{column.name}"' in page
        assert asked == (column.name != record.key and not column.reporting_only), column.name


def test_an_optional_fact_may_be_unknown_a_required_one_not(client: Client) -> None:
    page = html(client.get("/check?lang=en&rulebook=ru-2022"))
    health = page[page.index('id="q-health_category"') : page.index('id="q-health_exam_date"')]
    citizen = page[page.index('id="q-ru_citizen"') : page.index('id="q-in_reserve"')]
    assert "I don&#x27;t know" in health or "I don't know" in health
    assert "know" not in citizen


def test_the_answer_gives_verdict_grounds_documents_and_letter(client: Client) -> None:
    response = client.post("/check?lang=ru&rulebook=ru-2022", ANSWERS)
    page = html(response)
    assert response.status_code == 200
    assert "Призыв, по-видимому, незаконен" in page
    assert "Вы не подлежите призыву" in page
    assert "Отсрочка до 31.12.2025" in page or "отсрочка до 31.12.2025" in page.lower()
    # the legal basis as the rulebook cites it in Russian, not in its English original
    assert "п. 3 ст. 53 Федерального закона от 28.03.1998 № 53-ФЗ" in page
    assert "53-FZ art. 53(3)" not in page and "на английском языке" not in page
    assert "Заключение военно-врачебной комиссии" in page
    assert "Свидетельства о рождении детей" in page
    assert "Военному прокурору" in page
    assert "Что делать дальше" in page
    assert not response.cookies


def test_a_ukrainian_page_quotes_russian_law_in_russian_not_english(client: Client) -> None:
    page = html(client.post("/check?lang=uk&rulebook=ru-2022", ANSWERS))
    assert "Ви не підлягаєте призову" in page
    assert "п. 3 ст. 53 Федерального закона от 28.03.1998 № 53-ФЗ" in page
    assert "53-FZ art. 53(3)" not in page and "unfit persons" not in page
    assert 'lang="ru"' in page


def test_no_ground_is_said_plainly(client: Client) -> None:
    answers = {**ANSWERS, "health_category": "A", "children_birth_dates": [""]}
    page = html(client.post("/check?lang=en&rulebook=ru-2022", answers))
    assert "No ground against the call-up was found" in page
    assert "Draft letter" not in page


def test_an_answer_that_cannot_be_read_is_named_and_kept(client: Client) -> None:
    answers = {**ANSWERS, "birth_date": "2023-05-01", "callup_date": "2022-09-01"}
    response = client.post("/check?lang=ru&rulebook=ru-2022", answers)
    page = html(response)
    assert response.status_code == 400
    assert 'href="#q-birth_date"' in page and 'href="#q-callup_date"' in page
    assert "Проверка охватывает призывы с 21.09.2022." in page
    assert 'value="2023-05-01"' in page  # what was typed is kept


def test_the_letter_downloads_with_name_and_address_only_there(client: Client) -> None:
    data = {**ANSWERS, "name": "Петров Пётр Петрович", "address": "г. Тверь, ул. Мира, 1"}
    text = client.post("/check/letter?lang=ru", {**data, "format": "txt"})
    assert text.status_code == 200
    assert text["Content-Type"].startswith("text/plain")
    assert "attachment" in text["Content-Disposition"]
    body = text.content.decode()
    assert "Петров Пётр Петрович" in body and "г. Тверь, ул. Мира, 1" in body
    assert "№ 31-ФЗ" in body and "ПРОШУ" in body
    pdf = client.post("/check/letter?lang=ru", {**data, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    page = html(client.post("/check?lang=ru&rulebook=ru-2022", data))
    assert "Петров" not in page and "Тверь" not in page


def test_a_post_from_another_site_is_refused(client: Client) -> None:
    response = client.post(
        "/check?lang=ru&rulebook=ru-2022", ANSWERS, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403
    same = client.post(
        "/check?lang=ru&rulebook=ru-2022", ANSWERS, headers={"Origin": "http://testserver"}
    )
    assert same.status_code == 200


def test_checks_are_rate_limited_in_memory(client: Client) -> None:
    from nadzor.web.check.limits import check_requests

    for _ in range(check_requests.limit):
        assert client.post("/check?lang=ru&rulebook=ru-2022", ANSWERS).status_code == 200
    limited = client.post("/check?lang=ru&rulebook=ru-2022", ANSWERS)
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert "Пожалуйста, подождите" in html(limited)


def test_nothing_submitted_is_kept(client: Client, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    distinct = {
        "birth_date": "1987-06-13",
        "health_exam_date": "2022-09-17",
        "children_birth_dates": ["2011-04-27", "2013-08-19", "2015-11-23", "2017-02-09"],
        "full_time_student_until": "2026-07-29",
        "conviction_articles": "291.7",
    }
    secret = {"name": "Zyxwvutsrq Qwertyuiop", "address": "Улица Невероятная 987654"}
    answers = {**ANSWERS, **distinct}
    responses = [
        client.get("/check?lang=ru&rulebook=ru-2022"),
        client.post("/check?lang=ru&rulebook=ru-2022", answers),
        client.post("/check?lang=ru&rulebook=ru-2022", {**answers, "birth_date": "1987-13-13"}),
        client.post("/check/letter?lang=ru", {**answers, **secret, "format": "txt"}),
        client.post("/check/letter?lang=ru", {**answers, **secret, "format": "pdf"}),
        client.post(
            "/api/v1/check",
            {
                "rulebook": "ru-2022",
                "record": {**answers, "children_birth_dates": distinct["children_birth_dates"]},
            },
            content_type="application/json",
        ),
    ]
    values = [*secret.values(), "291.7", "1987-13-13", *distinct["children_birth_dates"]]
    values += [distinct["birth_date"], distinct["health_exam_date"], "2026-07-29", "13.06.1987"]
    for response in responses:
        assert response.status_code in (200, 400)
        assert not response.cookies
        assert "Set-Cookie" not in response.headers
    for table, cell in every_cell():
        for value in values:
            assert value not in cell, table
    for value in values:
        assert value not in caplog.text
    # the logs were captured: a 400 is reported, by path only
    assert re.search(r"Bad Request: /check", caplog.text)
