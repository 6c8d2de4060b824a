"""The complaint desk in Ukrainian on a phone, end to end: chosen with `?lang=uk` in a
browser that asks for English, and by a browser that asks for Ukrainian. Every page on the
way is read for English and Russian words and must not scroll sideways on a 390px screen."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, STATUS_ADDRESS, digits
from tests.web.ukrainian_words import foreign_on_ukrainian_page

pytestmark = pytest.mark.browser

GROUPED_CODE = re.compile(r"[0-9]{4}([ \u00a0][0-9]{4}){3}")
TEXT = "Третій місяць не видають зимову форму; казарму не опалюють, багато хто захворів."
MORE = "Дякую. Поки що нічого не змінилося."
# how each way of asking for Ukrainian opens the desk: (the browser's locale, the query)
WAYS = {"query": ("en-GB", "?lang=uk"), "header": ("uk-UA", "")}


def ukrainian_only(page: Page, where: str) -> None:
    """The page is marked Ukrainian, shows no English or Russian word, fits the screen."""
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    shown = page.locator("body").inner_text()
    assert foreign_on_ukrainian_page(shown) == [], where
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{where} is {width}px wide on a {PHONE['width']}px screen"


@pytest.mark.parametrize("way", sorted(WAYS))
def test_the_complaint_desk_in_ukrainian_on_a_phone(
    new_page: Callable[..., Page],
    site: str,
    way: str,
    screenshot: Callable[[Page, str], None],
) -> None:
    locale, query = WAYS[way]
    phone = new_page(
        viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, locale=locale
    )
    phone.goto(f"{site}/{query}")
    expect(
        phone.get_by_role("heading", name="Повідомити про незаконний призов або порушення")
    ).to_be_visible()
    switch = phone.locator("a[hreflang]")
    expect(switch).to_have_text(["Русский", "English"])
    ukrainian_only(phone, "the start page")
    screenshot(phone, f"uk-{way}-start")
    phone.get_by_role("link", name="Повідомити про порушення").tap()

    expect(phone.get_by_role("heading", name="Повідомити про порушення")).to_be_visible()
    ukrainian_only(phone, "the empty form")
    phone.get_by_label("Не видали спорядження або забезпечення").tap()
    phone.get_by_label("Чого не видали").select_option(label="Зимова форма")
    phone.get_by_label("Регіон").fill("Курська область")
    phone.get_by_label("Військова частина, військкомат або інше місце").fill("в/ч 12345")
    phone.get_by_label("Що сталося?").fill(TEXT)
    phone.get_by_label("Коли це сталося?").fill("2026-11-01")
    ukrainian_only(phone, "the filled form")
    screenshot(phone, f"uk-{way}-form")
    phone.get_by_role("button", name="Надіслати скаргу").tap()

    expect(phone.get_by_role("heading", name="Вашу скаргу отримано")).to_be_visible()
    expect(phone.get_by_text("Збережіть цей код. Він показується лише один раз.")).to_be_visible()
    code = phone.locator("#receipt").inner_text().strip()
    assert GROUPED_CODE.fullmatch(code) and len(digits(code)) == 16, code
    ukrainian_only(phone, "the receipt")
    screenshot(phone, f"uk-{way}-receipt")
    phone.get_by_role("link", name=STATUS_ADDRESS).tap()

    expect(phone.get_by_role("heading", name="Перевірити скаргу")).to_be_visible()
    ukrainian_only(phone, "the status form")
    phone.get_by_label("Код квитанції").fill(digits(code))
    phone.get_by_role("button", name="Перевірити").tap()
    expect(phone.get_by_role("heading", name="Ваша скарга", exact=True)).to_be_visible()
    expect(phone.locator("#status")).to_contain_text("Отримана")
    expect(phone.get_by_text("Повідомлень поки немає.")).to_be_visible()
    ukrainian_only(phone, "the status page")
    screenshot(phone, f"uk-{way}-status")

    phone.get_by_label("Ваше повідомлення").fill(MORE)
    phone.get_by_role("button", name="Надіслати", exact=True).tap()
    expect(phone.get_by_role("status")).to_contain_text("Ваше повідомлення надіслано.")
    mine = phone.locator("ul.messages li.you")
    expect(mine).to_contain_text("Від вас")
    expect(mine).to_contain_text(MORE)
    ukrainian_only(phone, "the status page with a message")
    screenshot(phone, f"uk-{way}-message")

    from nadzor.store.models import Complaint

    complaint = Complaint.objects.get()
    assert (complaint.language, complaint.region) == ("uk", "Курская область")
    assert str(complaint.occurred_on) == "2026-11-01"
