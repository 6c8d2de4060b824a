"""API tokens: shown once when issued; the store keeps only their SHA-256 and a prefix.

A token is `nz_` and 32 random bytes (256 bits) in URL-safe base64. Because it is random,
a plain SHA-256 is a safe hash for it (no salt or slow hash needed), and looking it up by
that digest compares no secret byte by byte: timing reveals nothing about stored tokens.

Tokens expire (90 days unless issued for another number of days; tokens issued before
expiry existed count from when they were made), are all revoked when the user's password
changes or the account is disabled, and can be revoked one by one by their prefix.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from nadzor.accounts._names import acting_as
from nadzor.accounts._users import existing_user
from nadzor.audit.journal import append
from nadzor.cases._errors import BadInput
from nadzor.cases.domain import Actor
from nadzor.store.models import ApiToken, User

__all__ = [
    "TOKEN_LIFETIME",
    "TOKEN_PREFIX",
    "authenticate_token",
    "issue_token",
    "list_tokens",
    "revoke_token",
    "token_digest",
]

TOKEN_PREFIX = "nz_"
# How much of a token is kept to tell tokens apart (in lists, in the audit log).
SHOWN_CHARS = 8
# `last_used_at` is written at most this often per token, not on every request.
TOUCH_EVERY = timedelta(minutes=1)
_MAX_TOKEN_LENGTH = 200
TOKEN_LIFETIME = timedelta(days=90)
_MAX_DAYS = 3660


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(
    name: str, *, by: Actor | None, now: datetime | None = None, days: int | None = None
) -> str:
    """A new token for an active user, returned once; audit `user.token` keeps the prefix only.

    It expires after `days` (default 90)."""
    actor = acting_as(by)
    if days is not None and not 1 <= days <= _MAX_DAYS:
        raise BadInput(f"a token lives from 1 to {_MAX_DAYS} days")
    now = now or timezone.now()
    expires = now + (timedelta(days=days) if days is not None else TOKEN_LIFETIME)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    prefix = token[:SHOWN_CHARS]
    with transaction.atomic():
        user = existing_user(name, lock=True)
        if not user.is_active:
            raise BadInput(f"user {user.username!r} is disabled: no token can be issued")
        ApiToken.objects.create(
            user=user,
            digest=token_digest(token),
            prefix=prefix,
            created_at=now,
            expires_at=expires,
        )
        append(
            actor,
            "user.token",
            f"user:{user.username}",
            {"prefix": prefix, "expires": expires.isoformat()},
        )
    return token


def authenticate_token(token: str, *, now: datetime | None = None) -> User | None:
    """The active user a valid, unrevoked token belongs to; None for anything else."""
    if not isinstance(token, str) or not token.startswith(TOKEN_PREFIX):
        return None
    if len(token) > _MAX_TOKEN_LENGTH:
        return None
    row = ApiToken.objects.select_related("user").filter(digest=token_digest(token)).first()
    if row is None or row.revoked or not row.user.is_active:
        return None
    now = now or timezone.now()
    if now >= (row.expires_at or row.created_at + TOKEN_LIFETIME):
        return None
    if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
        stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - TOUCH_EVERY)
        ApiToken.objects.filter(stale, pk=row.pk).update(last_used_at=now)
    return row.user


def list_tokens(name: str) -> list[ApiToken]:
    """The user's tokens, newest first (prefix, made, expires, last used, revoked)."""
    user = existing_user(name)
    return list(user.tokens.order_by("-created_at", "-pk"))


def revoke_token(name: str, prefix: str, *, by: Actor | None) -> ApiToken:
    """Revoke the one token of `name` that starts with `prefix` (as `users token --list`
    shows it); audit `user.token_revoke` with the prefix."""
    actor = acting_as(by)
    wanted = prefix.strip().removesuffix("...")
    if len(wanted) < 4:
        raise BadInput("give the token's prefix as listed, e.g. nz_AbCdE")
    with transaction.atomic():
        user = existing_user(name, lock=True)
        rows = [row for row in user.tokens.all() if row.prefix.startswith(wanted[:SHOWN_CHARS])]
        if not rows:
            raise BadInput(f"{user.username} has no token {wanted!r}")
        if len(rows) > 1:
            raise BadInput(f"{len(rows)} tokens of {user.username} start with {wanted!r}")
        row = rows[0]
        if not row.revoked:
            row.revoked = True
            row.save(update_fields=["revoked"])
            append(actor, "user.token_revoke", f"user:{user.username}", {"prefix": row.prefix})
    return row
