"""Password sign-in with a lockout after repeated failures.

Every attempt is recorded as `user.login` with `{"result": "ok" | "failed" | "locked"}`:

- for an existing user the actor and subject are that user (`alice`, `user:alice`), whoever
  typed the password: the entry means "a sign-in as alice was tried";
- for a name that matches no user the actor is `public` and the subject `user:?`. The name
  tried is not recorded: people type passwords into the name field, and the log keeps no
  password.

A disabled user always fails (`failed`), without counting towards the lockout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from nadzor.accounts._names import MAX_NAME_LENGTH, PUBLIC, clean_name
from nadzor.accounts._passwords import matches
from nadzor.audit.journal import append
from nadzor.store.models import User

__all__ = ["LOCKOUT", "LockoutPolicy", "check_login"]

UNKNOWN_SUBJECT = "user:?"


@dataclass(frozen=True)
class LockoutPolicy:
    """After `max_failures` failures in a row an account is locked for `lock_for`."""

    max_failures: int = 5
    lock_for: timedelta = timedelta(minutes=15)


LOCKOUT = LockoutPolicy()


def check_login(
    name: str, password: str, *, now: datetime | None = None, policy: LockoutPolicy = LOCKOUT
) -> User | None:
    """The user if `password` is theirs and the account is active and not locked, else None.

    Each call runs the password hasher once, for unknown names, disabled users and users
    without a password too, so the time taken does not tell which names exist. A locked
    account fails even with the right password; once the lock has expired the count starts
    again from zero. Success resets the count and sets `last_login`.
    """
    now = now or timezone.now()
    name = clean_name(name)
    found = User.objects.filter(username=name).first() if 0 < len(name) <= MAX_NAME_LENGTH else None
    # Hash outside the transaction: Argon2 is slow on purpose and needs no lock.
    ok = matches(password, found.password if found is not None and found.is_active else None)
    if found is None:
        append(PUBLIC, "user.login", UNKNOWN_SUBJECT, {"result": "failed"})
        return None
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=found.pk)
        result = _attempt(user, ok, now, policy)
        append(user.username, "user.login", f"user:{user.username}", {"result": result})
    return user if result == "ok" else None


def _attempt(user: User, ok: bool, now: datetime, policy: LockoutPolicy) -> str:
    """Apply one attempt to the (locked) user row; returns the result to record."""
    if not user.is_active:
        return "failed"
    if user.locked_until is not None and now < user.locked_until:
        return "locked"
    if user.locked_until is not None:  # the lock has expired: a fresh start
        user.locked_until = None
        user.failed_logins = 0
    if ok:
        user.failed_logins = 0
        user.last_login = now
        result = "ok"
    else:
        user.failed_logins += 1
        if user.failed_logins >= policy.max_failures:
            user.locked_until = now + policy.lock_for
        result = "failed"
    user.save(update_fields=["failed_logins", "locked_until", "last_login"])
    return result
