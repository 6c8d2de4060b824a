"""The language of the pages: Russian unless the browser or the visitor asks for English,
and once switched, English on every page reached by a link or a form."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PASSWORD, STATUS_ADDRESS

pytestmark = pytest.mark.browser

ENGLISH = re.compile(r"[?&]lang=en(&|$)")
RUSSIAN = re.compile(r"[?&]lang=ru(&|$)")


def in_english(page: Page) -> None:
    expect(page).to_have_url(ENGLISH)
    expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.mark.parametrize("locale", ["ru-RU", "de-DE"])
def test_russian_unless_asked(new_page: Callable[..., Page], site: str, locale: str) -> None:
    page = new_page(locale=locale)
    page.goto(f"{site}/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Сообщить о незаконном призыве или нарушении"
    )
    expect(page.get_by_role("navigation", name="Язык").get_by_role("link")).to_have_text(
        ["Українська", "English"]
    )


def test_english_from_the_browser(new_page: Callable[..., Page], site: str) -> None:
    page = new_page(locale="en-US")
    page.goto(f"{site}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Report an unlawful call-up or a violation"
    )


def test_switch_keeps_english_across_links_and_forms(
    new_page: Callable[..., Page], site: str, staff: dict[str, str]
) -> None:
    page = new_page(locale="ru-RU")
    page.goto(f"{site}/")
    page.get_by_role("link", name="English").click()
    in_english(page)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Report an unlawful call-up or a violation"
    )

    page.get_by_role("link", name="Report a violation").click()
    in_english(page)
    page.get_by_label("Unlawful call-up", exact=True).check()
    page.get_by_label("What happened?").fill("Called up although he has three small children.")
    page.get_by_label("Region").fill("x" * 201)  # too long: refused
    page.get_by_role("button", name="Send the complaint").click()
    in_english(page)
    expect(page.get_by_role("alert")).to_contain_text("Some answers need to be corrected.")
    region = page.get_by_label("Region")
    expect(region).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#field-region")).to_contain_text("This is too long")
    expect(page.get_by_label("What happened?")).to_have_value(
        "Called up although he has three small children."
    )
    region.fill("Kursk region")
    page.get_by_label("Unlawful call-up: why").select_option(label="Children")
    page.get_by_role("button", name="Send the complaint").click()
    in_english(page)
    expect(page.get_by_role("heading", name="Your complaint has been received")).to_be_visible()

    page.get_by_role("link", name=STATUS_ADDRESS).click()
    in_english(page)
    page.get_by_label("Receipt code").fill("0000 0000 0000 0000")
    page.get_by_role("button", name="Check").click()
    in_english(page)
    expect(page.get_by_role("alert")).to_contain_text("No complaint was found with this code.")

    page.get_by_role("link", name="Русский").click()
    expect(page).to_have_url(RUSSIAN)
    expect(page.get_by_role("heading", level=1)).to_have_text("Проверить жалобу")

    staff_page = new_page(locale="ru-RU")
    staff_page.goto(f"{site}/staff/login?lang=en")
    staff_page.get_by_label("User name").fill("sofia")
    staff_page.get_by_label("Password").fill(PASSWORD)
    staff_page.get_by_role("button", name="Sign in").click()
    in_english(staff_page)
    staff_page.get_by_role("link", name="Complaints").click()
    in_english(staff_page)
    expect(staff_page.get_by_role("heading", name="Complaints", level=1)).to_be_visible()
