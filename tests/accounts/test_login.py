"""Password sign-in: no lockout, equal work for unknown names, and the audit entries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nadzor.accounts.services import add_user, check_login, disable_user
from nadzor.store.models import User
from tests.accounts.conftest import T0, audit_rows

pytestmark = pytest.mark.django_db

PASSWORD = "violet-river-stone"
WRONG = "violet-river-stony"


@pytest.fixture
def olga() -> None:
    add_user("olga", "investigator", PASSWORD, by=None)


def results() -> list[object]:
    return [data["result"] for *_, data in audit_rows("user.login")]


def test_success_returns_the_user_and_records_the_login(olga: None) -> None:
    user = check_login("olga", PASSWORD, now=T0)

    assert user is not None
    assert user.username == "olga"
    assert User.objects.get(username="olga").last_login == T0
    assert audit_rows("user.login") == [("olga", "user.login", "user:olga", {"result": "ok"})]


def test_a_wrong_password_fails_and_counts(olga: None) -> None:
    assert check_login("olga", WRONG, now=T0) is None
    assert check_login("olga", "", now=T0) is None

    assert User.objects.get(username="olga").failed_logins == 2
    assert (
        audit_rows("user.login") == [("olga", "user.login", "user:olga", {"result": "failed"})] * 2
    )


def test_no_number_of_failures_locks_the_account(olga: None) -> None:
    """Anyone may type a name: failures must not keep its owner out (issue: lockout abuse)."""
    for second in range(50):
        assert check_login("olga", WRONG, now=T0 + timedelta(seconds=second)) is None

    user = check_login("olga", PASSWORD, now=T0 + timedelta(minutes=1))

    assert user is not None
    assert results() == ["failed"] * 50 + ["ok"]
    stored = User.objects.get(username="olga")
    assert (stored.failed_logins, stored.locked_until) == (0, None)


def test_a_lock_from_an_older_version_no_longer_keeps_anyone_out(olga: None) -> None:
    User.objects.filter(username="olga").update(locked_until=T0 + timedelta(days=1))
    assert check_login("olga", PASSWORD, now=T0) is not None
    assert User.objects.get(username="olga").locked_until is None


def test_failures_in_a_row_are_counted_for_administrators(olga: None) -> None:
    for _ in range(4):
        check_login("olga", WRONG, now=T0)
    assert User.objects.get(username="olga").failed_logins == 4
    assert check_login("olga", PASSWORD, now=T0) is not None
    assert User.objects.get(username="olga").failed_logins == 0


def test_an_unknown_name_is_recorded_as_public_without_the_name(olga: None) -> None:
    assert check_login("nobody-here", PASSWORD, now=T0) is None

    assert audit_rows("user.login") == [("public", "user.login", "user:?", {"result": "failed"})]
    from nadzor.store.models import AuditEntry

    assert not AuditEntry.objects.filter(data__contains="nobody-here").exists()
    assert not AuditEntry.objects.filter(subject__contains="nobody-here").exists()


def test_a_disabled_user_fails_with_the_right_password_without_counting(olga: None) -> None:
    disable_user("olga", by=None)
    assert check_login("olga", PASSWORD, now=T0) is None
    assert results() == ["failed"]
    assert User.objects.get(username="olga").failed_logins == 0


def test_every_attempt_runs_the_hasher_once(olga: None, hasher_runs: list[str]) -> None:
    add_user("desk", "intake", by=None)  # no password
    add_user("gone", "intake", PASSWORD, by=None)
    disable_user("gone", by=None)

    attempts = [
        ("olga", PASSWORD),  # right
        ("olga", WRONG),  # wrong
        ("nobody", PASSWORD),  # unknown
        ("", PASSWORD),  # empty name
        ("x" * 500, PASSWORD),  # longer than any name
        ("desk", PASSWORD),  # no usable password
        ("gone", PASSWORD),  # disabled
    ]
    for name, password in attempts:
        before = len(hasher_runs)
        check_login(name, password, now=T0)
        assert len(hasher_runs) == before + 1, name


def test_no_password_tried_is_ever_logged(olga: None) -> None:
    for name, password in [("olga", PASSWORD), ("olga", WRONG), ("nobody", "secret-typed-here")]:
        check_login(name, password, now=T0)
    from nadzor.store.models import AuditEntry

    text = " ".join(f"{e.actor} {e.subject} {e.data}" for e in AuditEntry.objects.all())
    for secret in (PASSWORD, WRONG, "secret-typed-here"):
        assert secret not in text
