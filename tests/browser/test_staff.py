"""The staff workspace in a real browser: a complaint from the inbox to a resolved case,
every step through the pages, by the roles that take it."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

TEXT = "Forty people sleep in a room for twelve; there is no heating and no doctor."
REMEDY = "Heating repaired and a second barracks opened."


def submit_complaint(text: str = TEXT, **fields: str) -> str:
    """A complaint as the public desk stores it; its receipt code."""
    from nadzor.complaints.services import submit

    raw = {"category": "conditions", "region": "Kursk region", "facility": "unit 12345"}
    return submit({**raw, **fields, "text": text}, language="en").code


def step(page: Page, label: str) -> Locator:
    """The form of one of the case's "next steps", opened."""
    form = page.locator("details").filter(has=page.locator("summary", has_text=label))
    form.locator("summary").click()
    return form


def fact(page: Page, name: str) -> Locator:
    return page.get_by_role("row", name=re.compile(f"^{name}"))


def test_complaint_to_resolved_case(
    new_page: Callable[..., Page], site: str, staff: dict[str, str]
) -> None:
    from nadzor.complaints.services import status_of

    code = submit_complaint()

    # intake: the inbox, a case for the complaint (in place), and triage
    intake = new_page()
    sign_in(intake, site, "ira")
    expect(intake.get_by_role("heading", name="Complaints", level=1)).to_be_visible()
    card = intake.locator("article.complaint")
    expect(card).to_contain_text(TEXT)
    card.get_by_role("button", name="Open a case").click()
    expect(card.get_by_role("status")).to_contain_text("was opened for complaint")
    case_link = card.get_by_role("link", name=re.compile(r"^NZ-\d{4}-\d{6}$"))
    reference = case_link.inner_text()
    case_link.click()
    expect(intake.get_by_role("heading", name=reference)).to_be_visible()
    expect(fact(intake, "Status")).to_contain_text("new")
    form = step(intake, "Move to triage")
    form.get_by_label("Comment (optional)").fill("A complaint about living conditions.")
    form.get_by_role("button", name="Move to triage").click()
    expect(fact(intake, "Status")).to_contain_text("triage")

    # a supervisor starts the investigation and assigns it
    supervisor = new_page()
    sign_in(supervisor, site, "sofia")
    supervisor.get_by_role("link", name="Cases", exact=True).click()
    supervisor.get_by_role("link", name=reference).click()
    form = step(supervisor, "Start the investigation")
    form.get_by_label("Assignee").select_option("ivan")
    form.get_by_label("Comment (optional)").fill("Ivan knows the unit.")
    form.get_by_role("button", name="Start the investigation").click()
    expect(fact(supervisor, "Status")).to_contain_text("investigating")
    expect(fact(supervisor, "Assignee")).to_contain_text("ivan")

    # the investigator asks for a remedy, then resolves the case with it
    investigator = new_page()
    sign_in(investigator, site, "ivan")
    investigator.goto(f"{site}/staff/cases/{reference}/?lang=en")
    form = step(investigator, "Request a remedy")
    form.get_by_label("Comment (optional)").fill("Overcrowding confirmed on a visit.")
    form.get_by_role("button", name="Request a remedy").click()
    expect(fact(investigator, "Status")).to_contain_text("remedy requested")
    form = step(investigator, "Resolve with a remedy")
    form.get_by_label("Remedy", exact=True).select_option(label="conditions fixed")
    form.get_by_label("What was done").fill(REMEDY)
    form.get_by_label("Comment (optional)").fill("The command answered and we checked.")
    form.get_by_role("button", name="Resolve with a remedy").click()
    expect(fact(investigator, "Status")).to_contain_text("resolved")
    expect(fact(investigator, "Remedy")).to_contain_text(f"conditions fixed: {REMEDY}")
    expect(investigator.locator("section", has_text="Next steps")).to_contain_text(
        "No change of status is open to you on this case now."
    )

    # the supervisor sees the same, and so does the person who complained
    supervisor.reload()
    expect(fact(supervisor, "Status")).to_contain_text("resolved")
    expect(fact(supervisor, "Remedy")).to_contain_text("conditions fixed")
    found = status_of(code)
    assert found is not None
    assert found.status == "resolved"
