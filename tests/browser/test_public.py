"""The public desk in a real browser: a complaint from a phone with a staff reply, and the
same complaint with JavaScript turned off."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, STATUS_ADDRESS, digits, sign_in

pytestmark = pytest.mark.browser

GROUPED_CODE = re.compile(r"[0-9]{4}([ \u00a0][0-9]{4}){3}")
TEXT = "Third month without winter uniform; the barracks are not heated and many are ill."
REPLY = "We have asked the unit's command for an explanation and will write again."


def receipt_code(page: Page) -> str:
    """The code on the receipt page, as shown (groups of four, any kind of space)."""
    expect(page.get_by_role("heading", name="Your complaint has been received")).to_be_visible()
    shown = page.locator("#receipt").inner_text().strip()
    assert GROUPED_CODE.fullmatch(shown), shown
    assert len(digits(shown)) == 16
    return shown


def open_status(page: Page, code: str) -> None:
    expect(page.get_by_role("heading", name="Check a complaint")).to_be_visible()
    page.get_by_label("Receipt code").fill(code)
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_role("heading", name="Your complaint", exact=True)).to_be_visible()


def no_sideways_scrolling(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width}px wide on a {PHONE['width']}px screen"


def test_phone_complaint_gets_a_receipt_and_a_staff_reply(
    new_page: Callable[..., Page], site: str, staff: dict[str, str]
) -> None:
    phone = new_page(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    phone.goto(f"{site}/")  # English from the phone's Accept-Language
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    no_sideways_scrolling(phone)
    phone.get_by_role("link", name="Report a violation").tap()

    expect(phone.get_by_role("heading", name="Report a violation")).to_be_visible()
    phone.get_by_label("Kit or supplies not provided").tap()
    # with JavaScript the reason list narrows to the chosen category
    phone.get_by_label("Not provided: what").select_option(label="Winter uniform")
    phone.get_by_label("Region").fill("Kursk region")
    phone.get_by_label("Military unit, enlistment office or other place").fill("unit 12345")
    phone.get_by_label("What happened?").fill(TEXT)
    no_sideways_scrolling(phone)
    phone.get_by_role("button", name="Send the complaint").tap()

    code = receipt_code(phone)
    no_sideways_scrolling(phone)
    phone.get_by_role("link", name=STATUS_ADDRESS).tap()
    open_status(phone, code)  # typed back as shown, no-break spaces and all
    expect(phone.locator("#status")).to_contain_text("Received")
    expect(phone.get_by_text("No messages yet.")).to_be_visible()

    desk = new_page()
    sign_in(desk, site, "ira")
    desk.get_by_role("navigation", name="Staff workspace").get_by_role(
        "link", name="Complaints"
    ).click()
    card = desk.locator("article.complaint")
    expect(card).to_have_count(1)
    expect(card).to_contain_text(TEXT)
    card.get_by_role("link", name=re.compile(r"^Complaint \d+$")).click()
    desk.get_by_label("Reply to the person").fill(REPLY)
    desk.get_by_role("button", name="Send the reply").click()
    expect(desk.get_by_role("status")).to_contain_text("The reply was sent")
    expect(desk.locator("ul.messages")).to_contain_text(REPLY)

    phone.get_by_role("link", name="nadzor").tap()
    phone.get_by_role("link", name="Check a complaint").tap()
    open_status(phone, digits(code))
    expect(phone.locator("#status")).to_contain_text("Being reviewed")
    staff_message = phone.locator("ul.messages li.staff")
    expect(staff_message).to_contain_text(REPLY)
    expect(staff_message).to_contain_text("From staff")
    expect(staff_message).not_to_contain_text("ira")  # staff names are not shown

    phone.get_by_label("Your message").fill("Thank you. Nothing has changed yet.")
    phone.get_by_role("button", name="Send", exact=True).tap()
    expect(phone.get_by_role("status")).to_contain_text("Your message has been sent.")
    expect(phone.locator("ul.messages li")).to_have_count(2)
    no_sideways_scrolling(phone)


def test_complaint_without_javascript(
    new_page: Callable[..., Page], site: str, transactional_db: None
) -> None:
    from nadzor.store.models import Complaint

    page = new_page(java_script_enabled=False)
    page.goto(f"{site}/complaints/new?lang=en")
    page.get_by_label("Kit or supplies not provided").check()
    # without JavaScript a list for each category that takes a reason is offered
    expect(page.locator("select[name=reason]")).to_have_count(2)
    page.get_by_label("Not provided: what").select_option(label="Winter uniform")
    page.get_by_label("What happened?").fill(TEXT)
    page.get_by_label("Name").fill("Anna")
    page.get_by_label("Phone number").fill("+7 900 555-12-34")
    page.get_by_role("button", name="Send the complaint").click()

    code = receipt_code(page)
    complaint = Complaint.objects.get()
    assert (complaint.category, complaint.reason) == ("provision", "winter_uniform")

    page.get_by_role("link", name=STATUS_ADDRESS).click()
    open_status(page, code)
    expect(page.locator("#status")).to_contain_text("Received")
    page.get_by_label("Your message").fill("One more thing: the stove is broken too.")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Your message has been sent.")
    mine = page.locator("ul.messages li.you")
    expect(mine).to_contain_text("From you")
    expect(mine).to_contain_text("the stove is broken")
