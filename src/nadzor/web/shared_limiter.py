"""A limit on failures shared by every worker process, kept in Django's database cache.

A client may fail at most `limit` times in any `window` seconds. Each failure occupies one
of `limit` numbered slots under the client's key; a slot is taken with the cache's atomic
`add` (an insert under a unique key), so simultaneous attempts from several workers never
take more slots than there are, and a slot frees itself when its entry expires.

The client's address is never written anywhere: the key is an HMAC-SHA256 of it under a key
drawn at random when the server starts (before it forks its workers, so they share it) and
held in memory only. When the server stops the stored keys can no longer be linked to any
address; every entry expires within the window, at most an hour.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import caches

from nadzor.store._cache import CACHE_ALIAS

__all__ = ["MAX_WINDOW", "SharedFailureLimiter", "process_key"]

MAX_WINDOW = 3600.0

_PROCESS_KEY = {"key": secrets.token_bytes(32)}


def process_key() -> bytes:
    """The in-memory key that turns addresses into cache keys (drawn once per server)."""
    return _PROCESS_KEY["key"]


class SharedFailureLimiter:
    def __init__(
        self,
        name: str,
        limit: int = 10,
        window: float = 15 * 60,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        if not 0 < window <= MAX_WINDOW:
            raise ValueError(f"window must be more than 0 and at most {MAX_WINDOW:.0f} seconds")
        self.name = name
        self.limit = limit
        self.window = float(window)
        self.clock = clock
        self._generation = secrets.token_hex(4)
        self._taken = threading.local()

    @property
    def _cache(self) -> Any:
        return caches[CACHE_ALIAS]

    def _client(self, address: str) -> str:
        return hmac.new(
            process_key(), address.encode("utf-8", "replace"), hashlib.sha256
        ).hexdigest()

    def _prefix(self) -> str:
        return f"nz:{self.name}:{self._generation}:"

    def _slots(self, address: str) -> list[str]:
        client = self._client(address)
        return [f"{self._prefix()}{client}:{n}" for n in range(self.limit)]

    def _live(self, slots: list[str], now: float) -> dict[str, float]:
        return self._fresh(self._cache.get_many(slots), now)

    def _fresh(self, stamps: dict[str, Any], now: float) -> dict[str, float]:
        return {
            key: float(at)
            for key, at in stamps.items()
            if isinstance(at, int | float) and at > now - self.window
        }

    def _wait(self, live: dict[str, float], now: float) -> int:
        return max(1, math.ceil(min(live.values()) + self.window - now))

    def retry_after(self, address: str) -> int:
        """0 when `address` may try now, else the seconds until it may."""
        now = self.clock()
        live = self._live(self._slots(address), now)
        return 0 if len(live) < self.limit else self._wait(live, now)

    def begin(self, address: str) -> int:
        """Before a lookup: 0 and the attempt counted as a failure, or the seconds to wait.

        `succeeded` (or `release`) gives the attempt back."""
        now = self.clock()
        slots = self._slots(address)
        stamps = self._cache.get_many(slots)
        live = self._fresh(stamps, now)
        timeout = math.ceil(self.window) + 1
        for key in slots:
            if key in live:
                continue
            if key in stamps:
                # stale by this limiter's clock though the cache still holds it (it expires a
                # second later): only such an entry is removed, never one another worker
                # may have just taken
                self._cache.delete(key)
            if self._cache.add(key, now, timeout=timeout):
                self._remember(address, key)
                return 0
        live = self._live(slots, now)
        return self._wait(live, now) if live else 1

    def fail(self, address: str) -> None:
        """Count one failure (without a lookup to give it back for)."""
        if self.begin(address) == 0:
            self._forget(address)

    def succeeded(self, address: str) -> None:
        """The attempt `begin` counted was not a failure: take it back."""
        key = self._forget(address)
        if key is not None:
            self._cache.delete(key)

    def release(self, address: str) -> None:
        """Like `succeeded`, for an attempt that could not be judged (the database was
        down): never raises, so the outage is what the caller reports."""
        try:
            self.succeeded(address)
        except Exception:
            self._forget(address)

    def clear(self) -> None:
        """Forget every client (tests): later keys differ from every stored one."""
        self._generation = secrets.token_hex(4)
        self._taken = threading.local()

    def __len__(self) -> int:
        """How many clients have failures within the window (for tests and checks)."""
        from django.db import connections
        from django.utils import timezone

        cache = self._cache
        connection = connections["default"]
        pattern = cache.make_key(self._prefix()) + "%"
        table = connection.ops.quote_name(cache._table)
        now = connection.ops.adapt_datetimefield_value(timezone.now().replace(microsecond=0))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT cache_key FROM {table} WHERE cache_key LIKE %s AND expires > %s",
                [pattern, now],
            )
            keys = [row[0] for row in cursor.fetchall()]
        return len({key.rsplit(":", 1)[0] for key in keys})

    def _remember(self, address: str, key: str) -> None:
        taken = getattr(self._taken, "slots", None)
        if taken is None:
            taken = self._taken.slots = {}
        taken[address] = key

    def _forget(self, address: str) -> str | None:
        taken = getattr(self._taken, "slots", None)
        return None if taken is None else taken.pop(address, None)
