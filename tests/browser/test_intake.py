"""Intake in a real browser, in Russian on a phone: a picture and a text added through the
form, worked by the worker, grouped in triage, and the item page with its suggestions."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, sign_in
from tests.intake.media import STORIES, make_picture, paraphrase, save_picture

pytestmark = pytest.mark.browser


def test_intake_on_a_phone_in_russian(
    new_page: Callable[..., Page],
    site: str,
    staff: dict[str, str],
    tmp_path: Path,
    screenshot: Callable[[Page, str], None],
) -> None:
    from nadzor.intake.services import work

    page = new_page(viewport=PHONE, locale="ru-RU")
    sign_in(page, site, "ivan")
    page.goto(f"{site}/staff/intake/?lang=ru")
    expect(page.get_by_role("heading", name="Материалы", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Материалы")).to_be_visible()

    picture = save_picture(make_picture(5), tmp_path / "снимок.jpg")
    for kind, given in (
        ("file", str(picture)),
        ("text", STORIES[0]),
        ("text", paraphrase(STORIES[0])),
    ):
        page.goto(f"{site}/staff/intake/?lang=ru")
        page.get_by_text("Добавить материал").click()
        if kind == "file":
            page.get_by_label("Файл", exact=True).set_input_files(given)
        else:
            page.get_by_label("…или вставьте текст").fill(given)
        page.get_by_label("Площадка", exact=True).fill("telegram")
        page.get_by_label("Дата публикации", exact=True).fill("2022-10-12")
        screenshot(page, "intake-add-ru-phone")
        page.get_by_role("button", name="Добавить", exact=True).click()
        expect(page.get_by_role("status").first).to_be_visible()
    expect(page.get_by_text("ждёт обработки").first).to_be_visible()

    work(until_idle=True)
    page.goto(f"{site}/staff/intake/?lang=ru")
    expect(page.get_by_role("heading", name="Группы копий")).to_be_visible()
    expect(page.get_by_role("link", name="2", exact=True)).to_be_visible()
    screenshot(page, "intake-triage-ru-phone")
    page.get_by_role("link", name=re.compile("^Нас отправили|^Командир")).first.click()
    expect(page.get_by_text("воинская часть:")).to_be_visible()
    expect(page.get_by_text("2 материала в этой группе.", exact=False)).to_be_visible()
    screenshot(page, "intake-item-ru-phone")
    page.get_by_label("Статус", exact=True).select_option("corroborated")
    page.get_by_label("Причина", exact=True).fill("Два независимых источника")
    page.get_by_role("button", name="Сохранить статус").click()
    expect(page.get_by_role("status")).to_contain_text("Статус проверки сохранён")
    expect(page.get_by_text("подтверждается другими источниками: Два независимых")).to_be_visible()
