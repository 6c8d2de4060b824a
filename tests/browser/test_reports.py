"""Reports on a phone, in Russian and Ukrainian: figures with charts, the list behind a figure,
publishing the public form and the transparency page, with no sideways scrolling and no
script errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, sign_in

pytestmark = pytest.mark.browser


def no_sideways_scrolling(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px screen"


@pytest.fixture
def cases(staff: dict[str, str]) -> None:
    from nadzor.cases.domain import Actor, Kind, Role
    from nadzor.cases.services import NewCase, create_case

    boss = Actor("sofia", Role.SUPERVISOR)
    for n in range(7):
        kind = Kind.PROVISION if n % 2 else Kind.CONDITIONS
        create_case(boss, NewCase(kind=kind, region="Курская область", facility="в/ч 12345"))


def test_reports_on_a_phone_in_russian(
    new_page: Callable[..., Page], site: str, cases: None
) -> None:
    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    sign_in(phone, site, "sofia")
    phone.goto(f"{site}/staff/reports/?lang=ru")
    expect(phone.get_by_role("heading", name="Отчёты", exact=True)).to_be_visible()
    no_sideways_scrolling(phone)
    charts = phone.locator("figure.chart svg")
    assert charts.count() >= 1
    assert charts.first.locator("title").text_content()
    opened = phone.get_by_role("row", name="Открыто дел").get_by_role("link")
    expect(opened).to_have_text("7")
    opened.tap()
    expect(phone.locator("#figure-count")).to_have_attribute("data-count", "7")
    expect(phone.locator("tr.item")).to_have_count(7)
    no_sideways_scrolling(phone)

    phone.get_by_role("link", name="Вернуться к отчёту").tap()
    phone.get_by_role(
        "button", name="Опубликовать публичную форму на странице открытых данных"
    ).tap()
    expect(phone.get_by_text("Публичный отчёт опубликован.")).to_be_visible()

    visitor = new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    visitor.goto(f"{site}/?lang=ru")
    visitor.get_by_role(
        "link", name="Опубликованные показатели: что выявлено и что исправлено"
    ).tap()
    expect(
        visitor.get_by_role("heading", name="Открытые данные: опубликованные показатели")
    ).to_be_visible()
    expect(visitor.get_by_role("cell", name="7", exact=True).first).to_be_visible()
    assert "в/ч" not in visitor.content()
    no_sideways_scrolling(visitor)


def test_reports_on_a_phone_in_ukrainian(
    new_page: Callable[..., Page], site: str, cases: None
) -> None:
    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True, locale="uk-UA")
    sign_in(phone, site, "sofia")
    phone.goto(f"{site}/staff/reports/?lang=uk")
    expect(phone.get_by_role("heading", name="Звіти", exact=True)).to_be_visible()
    expect(phone.get_by_role("row", name="Курська область").first).to_be_visible()
    no_sideways_scrolling(phone)
    opened = phone.get_by_role("row", name="Відкрито справ").get_by_role("link")
    expect(opened).to_have_text("7")
    opened.tap()
    expect(phone.get_by_role("heading", name="Відкрито справ", level=1)).to_be_visible()
    expect(phone.locator("#figure-count")).to_have_text("7 справ")
    expect(phone.locator("tr.item")).to_have_count(7)
    expect(phone.locator("tr.item").first).to_contain_text("Курська область")
    no_sideways_scrolling(phone)
    phone.get_by_role("link", name="Повернутися до звіту").tap()
    expect(phone.get_by_role("button", name="Показати")).to_be_visible()
