"""Signing in and out: sessions, the throttle, the same answer for every failure, the audit."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from nadzor.accounts.services import add_user
from nadzor.store.models import AuditEntry
from tests.web.staff.conftest import text_of

pytestmark = pytest.mark.django_db

PASSWORD = "violet-river-stone"
FAILED = "Sign-in failed: the name or the password is not right"


@pytest.fixture
def sofia() -> None:
    add_user("sofia", "supervisor", PASSWORD, by=None)


@pytest.fixture
def hasher_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Counts password verifications (one entry per run of the hasher)."""
    from django.contrib.auth.hashers import Argon2PasswordHasher

    runs: list[str] = []
    verify = Argon2PasswordHasher.verify

    def counting(self: Argon2PasswordHasher, password: str, encoded: str) -> bool:
        runs.append(encoded)
        return verify(self, password, encoded)

    monkeypatch.setattr(Argon2PasswordHasher, "verify", counting)
    return runs


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


def test_unknown_name_and_wrong_password_get_the_same_answer(sofia: None) -> None:
    client = Client()
    unknown = sign_in(client, "nobody", PASSWORD)
    wrong = sign_in(client, "sofia", "not-the-password")
    answers = [text_of(r) for r in (unknown, wrong)]
    assert all(r.status_code == 400 for r in (unknown, wrong))
    assert answers[0] == answers[1]
    assert FAILED in answers[1]
    assert client.get("/staff/").status_code == 302
    assert logins() == [("public", "failed"), ("sofia", "failed")]


def test_a_client_that_fails_too_often_waits_and_nothing_is_hashed(
    sofia: None, hasher_runs: list[str]
) -> None:
    """The throttle answers before Argon2 runs: a flood costs no hashing (issue: a login
    flood made the public form slow), and the account is not locked for anyone else."""
    attacker = Client(REMOTE_ADDR="192.0.2.66")
    for _ in range(5):
        assert sign_in(attacker, "sofia", "guess").status_code == 400
    hashed = len(hasher_runs)

    for _ in range(20):
        refused = sign_in(attacker, "sofia", PASSWORD)
        assert refused.status_code == 429
    assert len(hasher_runs) == hashed, "no password was hashed for a throttled attempt"
    assert int(refused["Retry-After"]) > 0
    assert "Too many failed sign-in attempts. Try again in 1 minute." in text_of(refused)
    assert logins() == [("sofia", "failed")] * 5

    # sofia, from her own device, signs in at once: nothing is locked
    own = sign_in(Client(REMOTE_ADDR="198.51.100.7"), "sofia", PASSWORD)
    assert own.status_code == 302


def test_the_back_off_grows(sofia: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from nadzor.web.login_throttle import sign_ins

    now = [1_000_000.0]
    for tier in sign_ins.tiers:
        monkeypatch.setattr(tier, "clock", lambda: now[0])
    monkeypatch.setattr(sign_ins, "clock", lambda: now[0])
    client = Client(REMOTE_ADDR="192.0.2.67")
    waits: list[int] = []
    failures = 0
    while True:
        reply = sign_in(client, "sofia", "guess")
        if reply.status_code == 400:
            failures += 1
            now[0] += 1
            continue
        assert reply.status_code == 429
        waits.append(int(reply["Retry-After"]))
        if failures >= 20:
            break
        now[0] += waits[-1]
    # 5 failures: a minute; 10: until a quarter of an hour has passed; 20: the hour
    assert failures == 20
    assert waits[0] <= 60
    assert 60 < waits[1] <= 15 * 60
    # the 20th failure within the hour: no further try until an hour after the first
    assert now[0] + waits[-1] >= 1_000_000.0 + 3600
    assert sign_in(client, "sofia", PASSWORD).status_code == 429


def test_a_flood_from_everywhere_is_throttled_overall(sofia: None, settings: object) -> None:
    from django.conf import settings as live

    live.NADZOR_LOGIN_FAILURES_PER_MINUTE = 3
    try:
        for n in range(3):
            assert sign_in(Client(REMOTE_ADDR=f"192.0.2.{n}"), "x", "y").status_code == 400
        assert sign_in(Client(REMOTE_ADDR="192.0.2.99"), "sofia", PASSWORD).status_code == 429
    finally:
        del live.NADZOR_LOGIN_FAILURES_PER_MINUTE


def test_a_success_gives_its_attempt_back(sofia: None) -> None:
    client = Client(REMOTE_ADDR="192.0.2.68")
    for _ in range(10):
        assert sign_in(client, "sofia", PASSWORD).status_code == 302
        client.post("/staff/logout")
    for _ in range(4):
        assert sign_in(client, "sofia", "guess").status_code == 400
    assert sign_in(client, "sofia", PASSWORD).status_code == 302


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


def test_the_pause_is_told_in_russian(sofia: None) -> None:
    client = Client(REMOTE_ADDR="192.0.2.69")
    for _ in range(5):
        client.post("/staff/login?lang=ru", {"name": "sofia", "password": "guess"})
    failed = client.post("/staff/login?lang=ru", {"name": "sofia", "password": "guess"})
    assert failed.status_code == 429
    assert "Слишком много неудачных попыток входа. Попробуйте снова через 1 минуту." in text_of(
        failed
    )
    wrong = Client().post("/staff/login?lang=ru", {"name": "sofia", "password": "guess"})
    assert "Войти не удалось: неверное имя пользователя или пароль." in text_of(wrong)
