"""Password sign-in, with no lockout anyone could trigger.

Every attempt is recorded as `user.login` with `{"result": "ok" | "failed"}`:

- for an existing user the actor and subject are that user (`alice`, `user:alice`), whoever
  typed the password: the entry means "a sign-in as alice was tried";
- for a name that matches no user the actor is `public` and the subject `user:?`. The name
  tried is not recorded: people type passwords into the name field, and the log keeps no
  password.

Repeated failures do not lock the account: a lock anyone could trigger would let anyone
keep any person, a supervisor included, out of their work. Guessing is slowed instead by
the sign-in throttle at the web edge (per client and overall, before any password is
hashed); an administrator who suspects an account is at risk disables it
(`nadzor users disable`). The count of failures in a row is kept for administrators to see.
A disabled user always fails (`failed`), without counting.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from nadzor.accounts._names import MAX_NAME_LENGTH, PUBLIC, clean_name
from nadzor.accounts._passwords import matches
from nadzor.audit.journal import append
from nadzor.store.models import User

__all__ = ["check_login"]

UNKNOWN_SUBJECT = "user:?"


def check_login(name: str, password: str, *, now: datetime | None = None) -> User | None:
    """The user if `password` is theirs and the account is active, else None.

    Each call runs the password hasher once, for unknown names, disabled users and users
    without a password too, so the time taken does not tell which names exist. Success
    resets the count of failures and sets `last_login`.
    """
    now = now or timezone.now()
    name = clean_name(name)
    usable = 0 < len(name) <= MAX_NAME_LENGTH and "\x00" not in name  # PostgreSQL refuses NUL
    found = User.objects.filter(username=name).first() if usable else None
    # Hash outside the transaction: Argon2 is slow on purpose and needs no lock.
    ok = matches(password, found.password if found is not None and found.is_active else None)
    if found is None:
        append(PUBLIC, "user.login", UNKNOWN_SUBJECT, {"result": "failed"})
        return None
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=found.pk)
        result = _attempt(user, ok, now)
        append(user.username, "user.login", f"user:{user.username}", {"result": result})
    return user if result == "ok" else None


def _attempt(user: User, ok: bool, now: datetime) -> str:
    """Apply one attempt to the (locked) user row; returns the result to record."""
    if not user.is_active:
        return "failed"
    user.locked_until = None  # no account is ever locked (stores from before may hold one)
    if ok:
        user.failed_logins = 0
        user.last_login = now
        result = "ok"
    else:
        user.failed_logins += 1
        result = "failed"
    user.save(update_fields=["failed_logins", "locked_until", "last_login"])
    return result
