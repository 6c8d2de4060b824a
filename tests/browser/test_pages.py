"""Every main page, public and staff, loads nothing from another host and breaks none of its
content security policy; with `NADZOR_SCREENSHOTS=1` the tour also writes the screenshots
of the documentation (docs/screenshots/)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DESKTOP, STATUS_ADDRESS, Watch, sign_in

pytestmark = pytest.mark.browser

COMPLAINTS = [
    {
        "category": "conditions",
        "region": "Kursk region",
        "facility": "unit 12345",
        "text": "Forty people sleep in a room for twelve; there is no heating and no doctor.",
    },
    {
        "category": "conditions",
        "region": "Kursk region",
        "facility": "unit 12345",
        "text": "In unit 12345 forty men sleep in a room for twelve, no heating, no doctor.",
    },
    {
        "category": "provision",
        "reason": "body_armour",
        "region": "Buryatia",
        "facility": "unit 54321",
        "text": "Sent to the front line without body armour; told to buy it ourselves.",
    },
    {
        "category": "unlawful_callup",
        "reason": "health",
        "region": "Moscow region",
        "facility": "the enlistment office of Lyubertsy",
        "text": "Called up despite a category D diagnosis from the district hospital.",
    },
]


def seed() -> None:
    """Complaints, two of them in cases, one of those under investigation; the second
    complaint is much like the first (a possible duplicate)."""
    from nadzor.cases.domain import Actor, Role, Status, TransitionRequest
    from nadzor.cases.services import transition
    from nadzor.complaints.services import open_case, submit

    numbers = [submit(fields, language="en").complaint_id for fields in COMPLAINTS]
    sofia = Actor("sofia", Role.SUPERVISOR)
    first = open_case(sofia, numbers[0]).reference
    open_case(sofia, numbers[3])
    transition(sofia, first, TransitionRequest(Status.TRIAGE, reason="Living conditions."))
    transition(
        sofia,
        first,
        TransitionRequest(Status.INVESTIGATING, reason="Ivan knows the unit.", assignee="ivan"),
    )


def test_main_pages(
    new_page: Callable[..., Page],
    site: str,
    staff: dict[str, str],
    screenshot: Callable[[Page, str], None],
) -> None:
    seed()
    page = new_page(viewport=DESKTOP)

    page.goto(f"{site}/?lang=en")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, "public-landing")

    page.get_by_role("link", name="Report a violation").click()
    page.get_by_label("Unlawful call-up", exact=True).check()
    page.get_by_label("Region").fill("Tver region")
    page.get_by_label("What happened?").fill("Called up at 52, past the age limit.")
    page.get_by_label("When did it happen?").fill("2999-01-01")
    page.get_by_role("button", name="Send the complaint").click()
    expect(page.get_by_role("alert")).to_contain_text("Some answers need to be corrected.")
    screenshot(page, "public-complaint-form-error")

    page.get_by_label("When did it happen?").fill("")
    page.get_by_label("Unlawful call-up: why").select_option(label="Age")
    page.get_by_role("button", name="Send the complaint").click()
    expect(page.get_by_role("heading", name="Your complaint has been received")).to_be_visible()
    code = page.locator("#receipt").inner_text()
    screenshot(page, "public-receipt")

    from nadzor.cases.domain import Actor, Role
    from nadzor.complaints.services import find, reply

    complaint = find(code)
    assert complaint is not None
    reply(Actor("ira", Role.INTAKE), complaint.pk, "Thank you. Which enlistment office was it?")
    page.get_by_role("link", name=STATUS_ADDRESS).click()
    page.get_by_label("Receipt code").fill(code)
    page.get_by_role("button", name="Check").click()
    expect(page.locator("ul.messages li.staff")).to_be_visible()
    screenshot(page, "public-status")

    staff_page = new_page(viewport=DESKTOP)
    staff_page.goto(f"{site}/staff/?lang=en")
    expect(staff_page.get_by_role("heading", name="Staff sign-in")).to_be_visible()
    screenshot(staff_page, "staff-login")
    sign_in(staff_page, site, "sofia")
    expect(staff_page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()
    screenshot(staff_page, "staff-dashboard")

    nav = staff_page.get_by_role("navigation", name="Staff workspace")
    nav.get_by_role("link", name="Complaints").click()
    expect(staff_page.locator("article.complaint")).to_have_count(2)
    expect(staff_page.get_by_text("possible duplicate").first).to_be_visible()
    screenshot(staff_page, "staff-inbox")

    staff_page.goto(f"{site}/staff/complaints/{complaint.pk}/?lang=en")
    expect(staff_page.locator("ul.messages")).to_contain_text("Which enlistment office")
    screenshot(staff_page, "staff-complaint")

    nav.get_by_role("link", name="Cases").click()
    expect(staff_page.locator("#case-table tbody tr")).to_have_count(2)
    screenshot(staff_page, "staff-cases")

    staff_page.locator("#case-table tbody tr").filter(has_text="ivan").get_by_role(
        "link"
    ).first.click()
    expect(staff_page.get_by_role("heading", name="Next steps")).to_be_visible()
    screenshot(staff_page, "staff-case")

    nav.get_by_role("link", name="Approvals").click()
    expect(staff_page.get_by_role("heading", level=1)).to_be_visible()


def test_the_watch_sees_what_it_must_refuse(browser: Browser, site: str) -> None:
    """The checks every page above passed are not blind: a request to another host and a
    style the policy forbids are both caught."""
    watch = Watch(site)
    context = browser.new_context()
    context.route("http://192.0.2.1/**", lambda route: route.abort())  # never leaves
    try:
        page = context.new_page()
        watch.attach(page)
        page.goto(f"{site}/?lang=en")
        with page.expect_console_message(lambda m: "Content Security Policy" in m.text):
            page.evaluate(
                "() => { const s = document.createElement('style');"
                " s.textContent = 'body { color: red }'; document.head.append(s); }"
            )
        with page.expect_request("http://192.0.2.1/**"):
            page.goto("about:blank")
            page.set_content('<img src="http://192.0.2.1/pixel.png">')
    finally:
        context.close()
    assert watch.csp
    assert watch.foreign == ["http://192.0.2.1/pixel.png"]
