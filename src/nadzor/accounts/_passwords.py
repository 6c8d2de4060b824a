"""Password rules, hashing (Django's first hasher: Argon2) and a check that always costs one hash."""

from __future__ import annotations

from functools import cache

from django.contrib.auth.hashers import check_password, is_password_usable, make_password
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

from nadzor.cases._errors import BadInput

__all__ = [
    "MAX_PASSWORD_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "hash_password",
    "matches",
    "validate_password",
]

MIN_PASSWORD_LENGTH = 10
# Far above any real passphrase; bounds the hashing work one request can ask for.
MAX_PASSWORD_LENGTH = 1024


def validate_password(password: str, name: str) -> None:
    """BadInput unless the password is long enough, not the user name and not a common one."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise BadInput(f"the password is too short: use at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise BadInput(f"the password is too long: at most {MAX_PASSWORD_LENGTH} characters")
    if not password.strip():
        raise BadInput("the password cannot be only spaces")
    # (very short names would forbid too many passwords)
    if len(name) >= 4 and name.casefold() in password.casefold():
        raise BadInput("the password must not contain the user name")
    try:
        CommonPasswordValidator().validate(password)
    except ValidationError:
        raise BadInput("the password is too common: choose another") from None


def hash_password(password: str) -> str:
    return make_password(password)


def matches(password: str, encoded: str | None) -> bool:
    """Whether `password` matches the stored hash; runs the hasher even when there is none.

    An unknown user, or one without a usable password, is checked against a dummy hash, so
    that the answer takes as long as for a real user and does not reveal which names exist.
    """
    usable = bool(encoded) and is_password_usable(encoded)
    ok = check_password(password, encoded if usable else _dummy_hash())
    return ok and usable


@cache
def _dummy_hash() -> str:
    return make_password("nadzor: no such user, no usable password")
