"""The self-check on a phone, with and without JavaScript, in Russian and Ukrainian: the
questions, the answer with its grounds, and the letter downloaded as PDF. No cookie."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

WORDS = {
    "ru": {
        "title": "Был ли призыв законным?",
        "male": "Мужской",
        "yes": "Да",
        "soldier": "Рядовой, сержант, старшина, прапорщик",
        "d": "Д — не годен",
        "check": "Проверить",
        "verdict": "Призыв, по-видимому, незаконен",
        "ground": "Вы не подлежите призыву",
        "document": "Заключение военно-врачебной комиссии",
        "pdf": "Скачать письмо (PDF)",
        "name": "Ваши фамилия, имя и отчество (по желанию)",
        "error": "Ответьте на этот вопрос.",
    },
    "uk": {
        "title": "Чи був призов законним?",
        "male": "Чоловіча",
        "yes": "Так",
        "soldier": "Рядовий, сержант, старшина, прапорщик",
        "d": "Д — непридатний",
        "check": "Перевірити",
        "verdict": "Призов, імовірно, незаконний",
        "ground": "Ви не підлягаєте призову",
        "document": "Висновок військово-лікарської комісії",
        "pdf": "Завантажити лист (PDF)",
        "name": "Ваші прізвище, ім'я та по батькові (за бажанням)",
        "error": "Дайте відповідь на це запитання.",
    },
}


@pytest.fixture(autouse=True)
def fresh_check_limit() -> None:
    from nadzor.web.check.limits import check_requests

    check_requests.clear()


def _answer(page: Page, words: dict[str, str]) -> None:
    page.locator('input[name="callup_date"]').fill("2022-10-01")
    page.locator('input[name="birth_date"]').fill("1990-01-01")
    page.locator("#q-sex").get_by_label(words["male"]).check()
    page.locator("#q-ru_citizen").get_by_label(words["yes"], exact=True).check()
    page.locator("#q-in_reserve").get_by_label(words["yes"], exact=True).check()
    page.locator("#q-rank_group").get_by_label(words["soldier"]).check()
    page.locator("#q-health_category").get_by_label(words["d"]).check()
    page.locator('input[name="health_exam_date"]').fill("2022-09-01")
    dates = page.locator('input[name="children_birth_dates"]')
    for i, day in enumerate(["2010-01-01", "2012-01-01", "2014-02-02"]):
        dates.nth(i).fill(day)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("lang", ["ru", "uk"])
def test_a_phone_checks_a_call_up_and_downloads_the_letter(
    site: str,
    new_page: Callable[..., Page],
    screenshot: Callable[[Page, str], None],
    lang: str,
    javascript: bool,
) -> None:
    words = WORDS[lang]
    locale = {"ru": "ru-RU", "uk": "uk-UA"}[lang]
    page = new_page(viewport=PHONE, java_script_enabled=javascript, locale=locale)
    page.goto(f"{site}/check?lang={lang}&rulebook=ru-2022")
    expect(page.get_by_role("heading", name=words["title"])).to_be_visible()
    screenshot(page, f"check-questions-{lang}")
    _answer(page, words)
    page.get_by_role("button", name=words["check"], exact=True).click()
    expect(page.get_by_role("heading", name=words["verdict"])).to_be_visible()
    expect(page.get_by_text(words["ground"]).first).to_be_visible()
    expect(page.get_by_text(words["document"]).first).to_be_visible()
    screenshot(page, f"check-answer-{lang}")
    page.get_by_label(words["name"]).fill("Тестовий Заявник")
    with page.expect_download() as download:
        page.get_by_role("button", name=words["pdf"]).click()
    path = download.value.path()
    assert path is not None and Path(path).read_bytes().startswith(b"%PDF-")
    assert page.context.cookies() == []


def test_a_required_answer_left_empty_is_stopped_on_the_phone(
    site: str, new_page: Callable[..., Any]
) -> None:
    page = new_page(viewport=PHONE, java_script_enabled=False)
    page.goto(f"{site}/check?lang=ru&rulebook=ru-2022")
    _answer(page, WORDS["ru"])
    page.locator('input[name="birth_date"]').fill("")
    page.get_by_role("button", name="Проверить", exact=True).click()
    # the browser's own check keeps the form (and what was typed) and marks the field
    assert page.locator('input[name="birth_date"]:invalid').count() == 1
    expect(page.locator('input[name="callup_date"]')).to_have_value("2022-10-01")
