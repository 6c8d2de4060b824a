"""Signing in and out: sessions, the lockout, the same answer for every failure, the audit."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from nadzor.accounts.services import LOCKOUT, add_user
from nadzor.store.models import AuditEntry
from tests.web.staff.conftest import text_of

pytestmark = pytest.mark.django_db

PASSWORD = "violet-river-stone"
FAILED = "Sign-in failed: the name or the password is not right"


@pytest.fixture
def sofia() -> None:
    add_user("sofia", "supervisor", PASSWORD, by=None)


def logins() -> list[tuple[str, str]]:
    return [
        (e.actor, json.loads(e.data)["result"])
        for e in AuditEntry.objects.filter(action="user.login").order_by("seq")
    ]


def sign_in(client: Client, name: str, password: str, **extra: str) -> object:
    return client.post("/staff/login?lang=en", {"name": name, "password": password, **extra})


def test_the_login_page_works_without_javascript() -> None:
    response = Client().get("/staff/login?lang=en")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'autocomplete="current-password"' in html
    assert "no-store" in response["Cache-Control"]


def test_signing_in_opens_a_session_and_is_recorded(sofia: None) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/staff/login?lang=en")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/staff/login?lang=en",
        {"name": "sofia", "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/?lang=en"
    assert client.get("/staff/").status_code == 200
    assert logins() == [("sofia", "ok")]


def test_a_form_without_its_token_is_refused(sofia: None) -> None:
    client = Client(enforce_csrf_checks=True)
    response = sign_in(client, "sofia", PASSWORD)
    assert response.status_code == 403
    assert logins() == []


def test_back_to_the_page_asked_for_but_never_off_the_staff_side(sofia: None) -> None:
    response = sign_in(Client(), "sofia", PASSWORD, next="/staff/cases/?status=new")
    assert response["Location"] == "/staff/cases/?status=new"
    for elsewhere in ("https://example.org/staff/", "//example.org/staff/", "/complaints/new"):
        response = sign_in(Client(), "sofia", PASSWORD, next=elsewhere)
        assert response["Location"] == "/staff/?lang=en", elsewhere


def test_an_anonymous_visitor_is_sent_to_login_and_back(sofia: None) -> None:
    client = Client()
    response = client.get("/staff/cases/?lang=en&status=new")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login?lang=en&next=")
    login_page = client.get(response["Location"])
    assert 'value="/staff/cases/?lang=en&amp;status=new"' in login_page.content.decode()


def test_unknown_name_wrong_password_and_locked_get_the_same_answer(sofia: None) -> None:
    client = Client()
    unknown = sign_in(client, "nobody", PASSWORD)
    wrong = sign_in(client, "sofia", "not-the-password")
    for _ in range(LOCKOUT.max_failures - 1):
        sign_in(client, "sofia", "not-the-password")
    locked = sign_in(client, "sofia", PASSWORD)  # the right password, but locked now
    answers = [text_of(r) for r in (unknown, wrong, locked)]
    assert all(r.status_code == 400 for r in (unknown, wrong, locked))
    assert answers[0] == answers[1] == answers[2]
    assert FAILED in answers[2]
    # the note on the lockout is part of every refusal, so it tells no name apart
    assert f"After {LOCKOUT.max_failures} failed attempts in a row" in answers[2]
    assert "is locked for 15 minutes" in answers[2]
    assert client.get("/staff/").status_code == 302
    assert logins() == [("public", "failed")] + [("sofia", "failed")] * 5 + [("sofia", "locked")]


def test_the_name_typed_is_kept_the_password_is_not(sofia: None) -> None:
    response = sign_in(Client(), "sofia", "a-wrong-password")
    html = response.content.decode()
    assert 'value="sofia"' in html
    assert "a-wrong-password" not in html


def test_empty_fields_are_named_and_no_attempt_is_made() -> None:
    response = Client().post("/staff/login?lang=en", {"name": " ", "password": ""})
    assert response.status_code == 400
    shown = text_of(response)
    assert "Enter your user name." in shown
    assert "Enter your password." in shown
    assert logins() == []


def test_a_very_long_password_fails_like_any_wrong_one(sofia: None) -> None:
    response = sign_in(Client(), "sofia", PASSWORD + "x" * 100_000)
    assert response.status_code == 400
    assert logins() == [("sofia", "failed")]


def test_signing_out_needs_a_post_and_ends_the_session(sofia: None) -> None:
    client = Client()
    sign_in(client, "sofia", PASSWORD)
    assert client.get("/staff/logout").status_code == 405
    assert client.get("/staff/").status_code == 200
    response = client.post("/staff/logout?lang=en")
    assert response.status_code == 302
    assert response["Location"] == "/staff/login?lang=en"
    assert "You are signed out." in text_of(client.get(response["Location"]))
    assert client.get("/staff/").status_code == 302


def test_the_session_cookie_is_not_readable_by_scripts(sofia: None) -> None:
    client = Client()
    sign_in(client, "sofia", PASSWORD)
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_the_russian_page(sofia: None) -> None:
    response = Client().get("/staff/login", headers={"accept-language": "ru"})
    assert response["Content-Language"] == "ru"
    assert 'lang="ru"' in response.content.decode()


def test_a_browser_can_send_the_login_form(sofia: None) -> None:
    """Browsers send `Origin: null` with a form from a page whose referrer policy is
    `no-referrer`, which the CSRF check refuses: the staff pages must let the real origin
    through, or nobody could sign in."""
    import re

    client = Client(enforce_csrf_checks=True)
    page = client.get("/staff/login?lang=en")
    meta = re.search(r'<meta name="referrer" content="([^"]+)">', page.content.decode())
    policies = {page["Referrer-Policy"], meta.group(1) if meta else ""}
    origin = "null" if "no-referrer" in policies else "http://testserver"
    response = client.post(
        "/staff/login?lang=en",
        {
            "name": "sofia",
            "password": PASSWORD,
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
        HTTP_ORIGIN=origin,
    )
    assert response.status_code == 302, f"the policy {policies} makes browsers send {origin}"
