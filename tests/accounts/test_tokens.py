"""API tokens: shown once, stored as a SHA-256 only, refused once revoked or disabled."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest

from nadzor.accounts.services import (
    BadInput,
    add_user,
    authenticate_token,
    disable_user,
    issue_token,
)
from nadzor.store.models import ApiToken
from tests.accounts.conftest import T0, audit_rows
from tests.conftest import every_cell

pytestmark = pytest.mark.django_db


@pytest.fixture
def olga() -> None:
    add_user("olga", "investigator", by=None)


def test_a_token_is_nz_and_256_random_bits_and_authenticates(olga: None) -> None:
    token = issue_token("olga", by=None)

    assert re.fullmatch(r"nz_[A-Za-z0-9_-]{43}", token)
    user = authenticate_token(token)
    assert user is not None
    assert user.username == "olga"
    assert issue_token("olga", by=None) != token


def test_only_the_hash_and_a_prefix_are_stored(olga: None) -> None:
    token = issue_token("olga", by=None)

    row = ApiToken.objects.get()
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert row.prefix == token[:8]
    assert not row.revoked
    cells = list(every_cell())
    assert any(table == "nadzor_api_token" for table, _ in cells)
    assert [table for table, text in cells if token in text or token[3:] in text] == []
    assert audit_rows("user.token") == [
        ("system", "user.token", "user:olga", {"prefix": token[:8]})
    ]


@pytest.mark.parametrize(
    "wrong", ["", "nz_", "nz_nothing", "Bearer nz_x", "x" * 10_000, "nz_" + "A" * 43]
)
def test_anything_else_does_not_authenticate(olga: None, wrong: str) -> None:
    token = issue_token("olga", by=None)
    assert authenticate_token(wrong) is None
    assert authenticate_token(token.upper()) is None
    assert authenticate_token(token + " ") is None


def test_revoked_tokens_and_disabled_users_do_not_authenticate(olga: None) -> None:
    first = issue_token("olga", by=None)
    second = issue_token("olga", by=None)
    ApiToken.objects.filter(prefix=first[:8]).update(revoked=True)
    assert authenticate_token(first) is None
    assert authenticate_token(second) is not None

    disable_user("olga", by=None)

    assert authenticate_token(second) is None
    with pytest.raises(BadInput, match="disabled"):
        issue_token("olga", by=None)


def test_a_disabled_user_is_refused_even_with_an_unrevoked_token(olga: None) -> None:
    token = issue_token("olga", by=None)
    from nadzor.store.models import User

    User.objects.filter(username="olga").update(is_active=False)
    assert authenticate_token(token) is None


def test_no_token_for_an_unknown_user() -> None:
    with pytest.raises(BadInput, match="no user named 'nobody'"):
        issue_token("nobody", by=None)
    assert not audit_rows()


def test_last_used_is_written_at_most_once_a_minute(olga: None) -> None:
    token = issue_token("olga", by=None, now=T0)

    def last_used():  # type: ignore[no-untyped-def]
        return ApiToken.objects.get().last_used_at

    assert last_used() is None
    authenticate_token(token, now=T0)
    assert last_used() == T0
    authenticate_token(token, now=T0 + timedelta(seconds=59))
    assert last_used() == T0
    authenticate_token(token, now=T0 + timedelta(seconds=61))
    assert last_used() == T0 + timedelta(seconds=61)
