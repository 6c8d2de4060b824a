"""API tokens: shown once when issued; the store keeps only their SHA-256 and a prefix.

A token is `nz_` and 32 random bytes (256 bits) in URL-safe base64. Because it is random,
a plain SHA-256 is a safe hash for it (no salt or slow hash needed), and looking it up by
that digest compares no secret byte by byte: timing reveals nothing about stored tokens.
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

__all__ = ["TOKEN_PREFIX", "authenticate_token", "issue_token", "token_digest"]

TOKEN_PREFIX = "nz_"
# How much of a token is kept to tell tokens apart (in lists, in the audit log).
SHOWN_CHARS = 8
# `last_used_at` is written at most this often per token, not on every request.
TOUCH_EVERY = timedelta(minutes=1)
_MAX_TOKEN_LENGTH = 200


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(name: str, *, by: Actor | None, now: datetime | None = None) -> str:
    """A new token for an active user, returned once; audit `user.token` keeps the prefix only."""
    actor = acting_as(by)
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
            created_at=now or timezone.now(),
        )
        append(actor, "user.token", f"user:{user.username}", {"prefix": prefix})
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
    if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
        stale = Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - TOUCH_EVERY)
        ApiToken.objects.filter(stale, pk=row.pk).update(last_used_at=now)
    return row.user
