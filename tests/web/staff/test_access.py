"""Who may open which staff page: every page for every role, and anonymous visitors.

Expected answers: 200 the page, 302 a redirect (to the login page for anonymous visitors,
to the role's landing page otherwise), 403 a plain refusal that reveals nothing.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from typing import Any

import pytest

from nadzor.cases.domain import Actor, Role, Status, TransitionRequest
from tests.web.staff.conftest import NAMES, PDF, text_of

pytestmark = pytest.mark.django_db

IT, V, S, A, D = Role.INTAKE, Role.INVESTIGATOR, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN
ROLES = [None, IT, V, S, A, D]


@pytest.fixture
def world(staff: dict[Role, Actor], case: Any, submit: Callable[..., Any]) -> dict[str, str]:
    """A new unassigned case with a file, another investigator's case, and a complaint."""
    from nadzor.cases.services import add_evidence, transition

    boss = staff[S]
    add_evidence(boss, case.reference, io.BytesIO(PDF), original_name="order.pdf")
    from nadzor.cases.services import NewCase, create_case

    theirs = create_case(boss, NewCase(kind="abuse", title="Beaten at the unit"))
    transition(boss, theirs.reference, TransitionRequest(Status.TRIAGE, "looked"))
    transition(
        boss,
        theirs.reference,
        TransitionRequest(Status.INVESTIGATING, "assigned", assignee="olga"),
    )
    complaint = submit()
    return {
        "case": case.reference,
        "theirs": theirs.reference,
        "sha": hashlib.sha256(PDF).hexdigest(),
        "complaint": str(complaint.complaint_id),
    }


# page -> expected status for: anonymous, intake, investigator, supervisor, analyst, admin
MATRIX: list[tuple[str, tuple[int, ...]]] = [
    ("/staff/", (302, 302, 302, 200, 200, 200)),
    ("/staff/complaints/", (302, 200, 200, 200, 403, 403)),
    ("/staff/complaints/{complaint}/", (302, 200, 200, 200, 403, 403)),
    ("/staff/cases/", (302, 200, 200, 200, 403, 403)),
    # a new, unassigned case: intake sees new and triage cases, an investigator may take it
    ("/staff/cases/{case}/", (302, 200, 200, 200, 403, 403)),
    # a case another investigator works on
    ("/staff/cases/{theirs}/", (302, 403, 403, 200, 403, 403)),
    ("/staff/cases/{case}/evidence/{sha}", (302, 403, 403, 200, 403, 403)),
    ("/staff/approvals/", (302, 403, 403, 200, 403, 403)),
]


@pytest.mark.parametrize(("page", "expected"), MATRIX, ids=[p for p, _ in MATRIX])
def test_every_page_for_every_role(
    browser: Callable[..., Any], world: dict[str, str], page: str, expected: tuple[int, ...]
) -> None:
    url = page.format(**world)
    for role, status in zip(ROLES, expected, strict=True):
        response = browser(role).get(url)
        assert response.status_code == status, (role, url)
        if role is None:
            assert response["Location"].startswith("/staff/login?")
            assert "next=" in response["Location"]


def test_the_landing_page_of_each_role(browser: Callable[..., Any], world: Any) -> None:
    assert browser(IT).get("/staff/")["Location"].startswith("/staff/complaints/")
    assert browser(V).get("/staff/")["Location"].startswith("/staff/cases/")
    assert "Dashboard" in text_of(browser(S).get("/staff/?lang=en"))
    assert "Dashboard" in text_of(browser(A).get("/staff/?lang=en"))
    admin = text_of(browser(D).get("/staff/?lang=en"))
    assert "Users" in admin and world["case"] not in admin


POSTS = [
    "/staff/complaints/{complaint}/open-case",
    "/staff/complaints/{complaint}/link",
    "/staff/complaints/{complaint}/reply",
    "/staff/complaints/{complaint}/close",
    "/staff/complaints/{complaint}/identity",
    "/staff/cases/{case}/transition",
    "/staff/cases/{case}/closure",
    "/staff/cases/{case}/deadline",
    "/staff/cases/{case}/notes",
    "/staff/cases/{case}/people",
    "/staff/cases/{case}/evidence",
]


@pytest.mark.parametrize("page", POSTS)
def test_analysts_and_admins_change_nothing(
    browser: Callable[..., Any], world: dict[str, str], page: str
) -> None:
    from nadzor.store.models import AuditEntry

    url = page.format(**world)
    before = AuditEntry.objects.count()
    for role in (A, D):
        response = browser(role).post(url, {"reason": "x", "text": "x", "target": "triage"})
        assert response.status_code == 403, (role, url)
    anonymous = browser(None).post(url, {"reason": "x"})
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/staff/login?")
    assert AuditEntry.objects.count() == before


def test_a_refusal_does_not_tell_whether_the_case_exists(
    browser: Callable[..., Any], world: dict[str, str]
) -> None:
    intake = browser(IT)
    hidden = intake.get(f"/staff/cases/{world['theirs']}/?lang=en")
    missing = intake.get("/staff/cases/NZ-2020-999999/?lang=en")
    assert hidden.status_code == missing.status_code == 403

    # the same page, but for the address asked for (in the language switch) and the
    # form token (new on every page)
    def page(response: Any, reference: str) -> str:
        html = response.content.decode().replace(reference, "REF")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "TOKEN", html)

    assert page(hidden, world["theirs"]) == page(missing, "NZ-2020-999999")
    assert "Beaten" not in hidden.content.decode()
    # a supervisor sees every case, so for them a missing one is simply not found
    assert browser(S).get("/staff/cases/NZ-2020-999999/").status_code == 404


def test_the_navigation_shows_only_what_the_role_may_open(
    browser: Callable[..., Any], world: Any
) -> None:
    links = {
        role: browser(role).get("/staff/complaints/?lang=en").content.decode()
        for role in (IT, V, S)
    }
    assert 'href="/staff/approvals/' not in links[IT]
    assert 'href="/staff/approvals/' not in links[V]
    assert 'href="/staff/approvals/' in links[S]
    analyst = browser(A).get("/staff/?lang=en").content.decode()
    assert 'href="/staff/cases/' not in analyst
    assert 'href="/staff/complaints/' not in analyst


def test_a_user_disabled_while_signed_in_is_signed_out(
    browser: Callable[..., Any], world: Any
) -> None:
    from nadzor.accounts.services import disable_user

    client = browser(S)
    assert client.get("/staff/cases/").status_code == 200
    disable_user(NAMES[S], by=None)
    response = client.get("/staff/cases/")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login?")
