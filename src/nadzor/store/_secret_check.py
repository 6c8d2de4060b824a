"""The store remembers which server secret it was created with, and refuses any other.

The secret keys every receipt code: run with another one (a server started from another
folder, a secret file lost and made again) and every code answers "not found". So the store
keeps a fingerprint of its secret, an HMAC of a fixed text under the secret, which tells
nothing about the secret itself, and every command and the server compare it on start.
"""

from __future__ import annotations

import hashlib
import hmac

from nadzor.store._setup import StoreError

__all__ = ["SECRET_CHECK_KEY", "check_secret", "secret_fingerprint"]

SECRET_CHECK_KEY = "store.secret_fingerprint"


def secret_fingerprint(secret: str) -> str:
    return hmac.new(secret.encode("utf-8"), b"nadzor store secret", hashlib.sha256).hexdigest()


def check_secret() -> None:
    """Record the fingerprint on first use; raise StoreError when the secret differs."""
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from nadzor.store.models import Setting

    mine = secret_fingerprint(str(settings.SECRET_KEY))
    with transaction.atomic():
        row, created = Setting.objects.get_or_create(
            key=SECRET_CHECK_KEY, defaults={"value": mine, "updated_at": timezone.now()}
        )
    if not created and row.value != mine:
        raise StoreError(
            "the server secret in use is not the one this store was created with: set"
            " NADZOR_SECRET_FILE (or NADZOR_SECRET_KEY) to the store's own secret, or every"
            " receipt code would be lost"
        )
