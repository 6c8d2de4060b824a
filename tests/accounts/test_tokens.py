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
    ((actor, action, subject, data),) = audit_rows("user.token")
    assert (actor, action, subject) == ("system", "user.token", "user:olga")
    assert data == {"prefix": token[:8], "expires": row.expires_at.isoformat()}


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


def test_tokens_expire(olga: None) -> None:
    """Issue: API tokens never expired."""
    from nadzor.accounts.services import TOKEN_LIFETIME

    token = issue_token("olga", by=None, now=T0)
    assert timedelta(days=90) == TOKEN_LIFETIME
    assert authenticate_token(token, now=T0 + timedelta(days=89)) is not None
    assert authenticate_token(token, now=T0 + timedelta(days=90)) is None
    short = issue_token("olga", by=None, now=T0, days=1)
    assert authenticate_token(short, now=T0 + timedelta(hours=23)) is not None
    assert authenticate_token(short, now=T0 + timedelta(days=1)) is None
    with pytest.raises(BadInput, match="from 1 to"):
        issue_token("olga", by=None, days=0)


def test_a_token_from_before_expiry_existed_counts_from_when_it_was_made(olga: None) -> None:
    token = issue_token("olga", by=None, now=T0)
    ApiToken.objects.update(expires_at=None)
    assert authenticate_token(token, now=T0 + timedelta(days=89)) is not None
    assert authenticate_token(token, now=T0 + timedelta(days=91)) is None


def test_a_password_change_revokes_every_token(olga: None) -> None:
    """Issue: tokens survived a password change."""
    from nadzor.accounts.services import set_password

    tokens = [issue_token("olga", by=None) for _ in range(2)]
    set_password("olga", "amber-forest-lake-9", by=None)
    assert [authenticate_token(t) for t in tokens] == [None, None]
    assert ("system", "user.password", "user:olga", {"tokens_revoked": 2}) in audit_rows()


def test_tokens_are_revoked_one_by_one(olga: None) -> None:
    """Issue: tokens could not be revoked one by one."""
    from nadzor.accounts.services import list_tokens, revoke_token

    first, second = issue_token("olga", by=None), issue_token("olga", by=None)
    revoke_token("olga", first[:8] + "...", by=None)
    assert authenticate_token(first) is None
    assert authenticate_token(second) is not None
    assert [(row.prefix, row.revoked) for row in list_tokens("olga")] == [
        (second[:8], False),
        (first[:8], True),
    ]
    assert ("system", "user.token_revoke", "user:olga", {"prefix": first[:8]}) in audit_rows()
    with pytest.raises(BadInput, match="no token"):
        revoke_token("olga", "nz_nothing", by=None)
