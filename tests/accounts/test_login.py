"""Password sign-in: the lockout, equal work for unknown names, and the audit entries."""

from __future__ import annotations

from datetime import timedelta

import pytest

from nadzor.accounts.services import (
    LOCKOUT,
    LockoutPolicy,
    add_user,
    check_login,
    disable_user,
    set_password,
)
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


def test_the_defaults_are_five_failures_and_fifteen_minutes() -> None:
    assert LockoutPolicy(max_failures=5, lock_for=timedelta(minutes=15)) == LOCKOUT


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


def test_five_failures_lock_the_account_for_fifteen_minutes(olga: None) -> None:
    for second in range(5):
        assert check_login("olga", WRONG, now=T0 + timedelta(seconds=second)) is None
    locked_at = T0 + timedelta(seconds=4)
    assert User.objects.get(username="olga").locked_until == locked_at + timedelta(minutes=15)

    # locked: even the right password fails
    assert check_login("olga", PASSWORD, now=locked_at + timedelta(minutes=1)) is None
    assert check_login("olga", PASSWORD, now=locked_at + timedelta(minutes=14, seconds=59)) is None
    assert results() == ["failed"] * 5 + ["locked"] * 2

    # the lock has expired
    user = check_login("olga", PASSWORD, now=locked_at + timedelta(minutes=15))
    assert user is not None
    stored = User.objects.get(username="olga")
    assert (stored.failed_logins, stored.locked_until) == (0, None)
    assert results()[-1] == "ok"


def test_after_a_lock_expires_the_count_starts_again(olga: None) -> None:
    for _ in range(5):
        check_login("olga", WRONG, now=T0)
    later = T0 + timedelta(minutes=16)
    assert check_login("olga", WRONG, now=later) is None
    stored = User.objects.get(username="olga")
    assert (stored.failed_logins, stored.locked_until) == (1, None)
    assert check_login("olga", PASSWORD, now=later) is not None


def test_success_resets_the_count(olga: None) -> None:
    for _ in range(4):
        check_login("olga", WRONG, now=T0)
    assert check_login("olga", PASSWORD, now=T0) is not None
    for _ in range(4):
        check_login("olga", WRONG, now=T0)
    assert check_login("olga", PASSWORD, now=T0) is not None
    assert "locked" not in results()


def test_the_policy_is_configurable(olga: None) -> None:
    strict = LockoutPolicy(max_failures=2, lock_for=timedelta(minutes=1))
    check_login("olga", WRONG, now=T0, policy=strict)
    check_login("olga", WRONG, now=T0, policy=strict)
    assert check_login("olga", PASSWORD, now=T0 + timedelta(seconds=59), policy=strict) is None
    assert check_login("olga", PASSWORD, now=T0 + timedelta(seconds=60), policy=strict) is not None


def test_set_password_lifts_a_lock(olga: None) -> None:
    for _ in range(5):
        check_login("olga", WRONG, now=T0)
    set_password("olga", "amber-forest-lake", by=None)
    assert check_login("olga", "amber-forest-lake", now=T0) is not None


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

    for _ in range(5):
        check_login("olga", WRONG, now=T0)
    before = len(hasher_runs)
    assert check_login("olga", PASSWORD, now=T0) is None  # locked
    assert len(hasher_runs) == before + 1


def test_no_password_tried_is_ever_logged(olga: None) -> None:
    for name, password in [("olga", PASSWORD), ("olga", WRONG), ("nobody", "secret-typed-here")]:
        check_login(name, password, now=T0)
    from nadzor.store.models import AuditEntry

    text = " ".join(f"{e.actor} {e.subject} {e.data}" for e in AuditEntry.objects.all())
    for secret in (PASSWORD, WRONG, "secret-typed-here"):
        assert secret not in text
