"""Who is calling: a bearer token, or a signed-in staff session with its CSRF token.

A request with neither gets 401 before any object is looked up, so the answer says nothing
about what exists. A session is checked for CSRF only once it is known to be signed in: a
request without valid credentials gets 401, never a CSRF refusal.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from nadzor.accounts.services import authenticate_token
from nadzor.cases.domain import Actor, Role
from nadzor.cases.services import actor_of

__all__ = ["STAFF_AUTH", "BearerToken", "StaffSession", "actor"]

_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
_ROLES = frozenset(role.value for role in Role)


class BearerToken(HttpBearer):
    """`Authorization: Bearer TOKEN`, a token from `nadzor users token NAME`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = authenticate_token(token.strip())
        if user is None or user.role not in _ROLES:
            return None
        return user


class StaffSession(APIKeyCookie):
    """The staff workspace's session cookie; unsafe methods also need the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if key is None or user is None or not user.is_authenticated or not user.is_active:
            return None
        if getattr(user, "role", None) not in _ROLES:
            return None
        if request.method not in _SAFE_METHODS and check_csrf(request) is not None:
            raise HttpError(403, "the CSRF token is missing or wrong: reload the page")
        return user


STAFF_AUTH = [BearerToken(), StaffSession()]


def actor(request: HttpRequest) -> Actor:
    """The domain's view of the authenticated caller."""
    return actor_of(request.auth)
