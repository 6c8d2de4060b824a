"""Adding users, passwords, disabling, listing: rules, storage and audit entries."""

from __future__ import annotations

import pytest

from nadzor.accounts.services import (
    BadInput,
    add_user,
    check_login,
    disable_user,
    issue_token,
    list_users,
    set_password,
)
from nadzor.audit import journal
from nadzor.cases.domain import Actor, Denied, Role
from nadzor.store.models import User
from tests.accounts.conftest import audit_rows
from tests.conftest import every_cell

pytestmark = pytest.mark.django_db

PASSWORD = "violet-river-stone"
ADMIN = Actor("root", Role.ADMIN)


def test_add_user_stores_an_argon2_hash_and_audits_name_and_role_only() -> None:
    user = add_user("ivan.petrov", "investigator", PASSWORD, by=None)

    stored = User.objects.get(username="ivan.petrov")
    assert stored.pk == user.pk
    assert stored.role == "investigator"
    assert stored.is_active
    assert stored.password.startswith("argon2$argon2id$")
    assert stored.check_password(PASSWORD)
    assert audit_rows() == [
        (
            "system",
            "user.create",
            "user:ivan.petrov",
            {"name": "ivan.petrov", "role": "investigator"},
        )
    ]
    assert not [table for table, text in every_cell() if PASSWORD in text]
    assert journal.verify().ok


def test_without_a_password_the_user_is_token_only() -> None:
    user = add_user("desk", Role.INTAKE, by=None)

    assert not user.has_usable_password()
    assert check_login("desk", "") is None
    assert check_login("desk", user.password) is None
    assert issue_token("desk", by=None).startswith("nz_")


@pytest.mark.parametrize("name", ["a", "ivan.petrov", "Иван_Петров", "x@y-z", "7", "a" * 150])
def test_valid_names(name: str) -> None:
    assert add_user(name, "analyst", by=None).username == name


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("", "required"),
        ("   ", "required"),
        ("a b", "letters, digits and . _ - @"),
        ("a/b", "letters, digits and . _ - @"),
        ("a+b", "letters, digits and . _ - @"),
        ("a" * 151, "at most 150"),
        ("system", "reserved"),
        ("Public", "reserved"),
        ("SYSTEM", "reserved"),
    ],
)
def test_invalid_names(name: str, says: str) -> None:
    with pytest.raises(BadInput, match=says):
        add_user(name, "analyst", by=None)
    assert not User.objects.exists()
    assert not audit_rows()


def test_a_duplicate_name_is_refused_in_any_letter_case() -> None:
    add_user("olga", "supervisor", by=None)
    for name in ("olga", "OLGA", " olga "):
        with pytest.raises(BadInput, match="already exists"):
            add_user(name, "analyst", by=None)
    assert User.objects.count() == 1
    assert len(audit_rows("user.create")) == 1


def test_an_unknown_role_names_the_allowed_ones() -> None:
    with pytest.raises(BadInput) as refused:
        add_user("olga", "boss", by=None)
    message = str(refused.value)
    assert "'boss'" in message
    for role in Role:
        assert role.value in message
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("short", "at least 10"),
        ("123456789", "at least 10"),
        ("          ", "only spaces"),
        ("my-olga-password", "user name"),
        ("password123", "too common"),
        ("x" * 1025, "too long"),
    ],
)
def test_weak_passwords_are_refused(password: str, says: str) -> None:
    with pytest.raises(BadInput, match=says):
        add_user("olga", "supervisor", password, by=None)
    assert not User.objects.exists()


def test_only_an_administrator_manages_users() -> None:
    for role in (Role.INTAKE, Role.INVESTIGATOR, Role.SUPERVISOR, Role.ANALYST):
        someone = Actor("someone", role)
        with pytest.raises(Denied):
            add_user("olga", "supervisor", by=someone)
    assert not User.objects.exists()

    add_user("olga", "supervisor", by=ADMIN)
    issue_token("olga", by=ADMIN)
    set_password("olga", PASSWORD, by=ADMIN)
    disable_user("olga", by=ADMIN)
    assert {actor for actor, *_ in audit_rows()} == {"root"}
    with pytest.raises(Denied):
        disable_user("olga", by=Actor("olga", Role.SUPERVISOR))


def test_set_password_replaces_it_unlocks_and_is_audited_without_the_password() -> None:
    add_user("olga", "supervisor", PASSWORD, by=None)
    User.objects.filter(username="olga").update(failed_logins=5)

    set_password("olga", "amber-forest-lake", by=None)

    assert check_login("olga", PASSWORD) is None
    assert check_login("olga", "amber-forest-lake") is not None
    assert ("system", "user.password", "user:olga", {}) in audit_rows()
    assert not [t for t, text in every_cell() if "amber-forest-lake" in text]
    with pytest.raises(BadInput, match="no user"):
        set_password("nobody", "amber-forest-lake", by=None)
    with pytest.raises(BadInput, match="at least 10"):
        set_password("olga", "short", by=None)


def test_disable_deactivates_revokes_every_token_and_is_audited_once() -> None:
    add_user("olga", "supervisor", PASSWORD, by=None)
    issue_token("olga", by=None)
    issue_token("olga", by=None)

    result = disable_user("olga", by=None)

    assert result.was_active
    assert result.tokens_revoked == 2
    user = User.objects.get(username="olga")
    assert not user.is_active
    assert not user.tokens.filter(revoked=False).exists()
    assert audit_rows("user.disable") == [
        ("system", "user.disable", "user:olga", {"tokens_revoked": 2})
    ]
    assert check_login("olga", PASSWORD) is None

    again = disable_user("olga", by=None)
    assert (again.was_active, again.tokens_revoked) == (False, 0)
    assert len(audit_rows("user.disable")) == 1
    with pytest.raises(BadInput, match="no user"):
        disable_user("nobody", by=None)


def test_an_administrator_cannot_disable_themselves() -> None:
    add_user("root", "admin", by=None)
    with pytest.raises(BadInput, match="your own account"):
        disable_user("root", by=ADMIN)


def test_list_users_by_name_with_disabled_ones() -> None:
    for name in ("zoe", "anna", "mark"):
        add_user(name, "intake", by=None)
    disable_user("mark", by=None)

    users = list_users()

    assert [u.username for u in users] == ["anna", "mark", "zoe"]
    assert [u.is_active for u in users] == [True, False, True]
    assert journal.verify().ok
