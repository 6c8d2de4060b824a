"""The sign-in throttle: per client with a growing back-off, and overall, before any hashing.

Each password check costs an Argon2 hash, slow on purpose; unthrottled, a flood of sign-ins
from one client would take the server's processors from everyone (the public desk
included). So an attempt is counted before the password is hashed, and refused at once,
without hashing, when the client has failed too often:

- per client (its address as a keyed hash, never stored): at most 5 failures a minute, 10
  in 15 minutes, 20 in an hour: a person who mistyped waits a minute, a guesser ever longer;
- overall: at most `NADZOR_LOGIN_FAILURES_PER_MINUTE` (default 120) failed sign-ins a minute
  from all clients together, which bounds the hashing a crowd of addresses can ask for.

A successful sign-in gives its attempt back. No account is ever locked (see
`nadzor.accounts._login`). The counts live in the store's database cache, shared by every
worker process.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches

from nadzor.store._cache import CACHE_ALIAS
from nadzor.web.shared_limiter import SharedFailureLimiter

__all__ = ["LoginThrottle", "sign_ins"]

_TIERS = ((5, 60.0), (10, 15 * 60.0), (20, 3600.0))
_DEFAULT_PER_MINUTE = 120


class LoginThrottle:
    def __init__(self, *, clock: Callable[[], float] = time.time) -> None:
        self.tiers = [
            SharedFailureLimiter(f"login{limit}", limit, window, clock=clock)
            for limit, window in _TIERS
        ]
        self.clock = clock

    @property
    def per_minute(self) -> int:
        value = getattr(settings, "NADZOR_LOGIN_FAILURES_PER_MINUTE", _DEFAULT_PER_MINUTE)
        return int(value) if isinstance(value, int) and value > 0 else _DEFAULT_PER_MINUTE

    def _minute_key(self) -> tuple[str, float]:
        now = self.clock()
        minute = math.floor(now / 60)
        return f"nz:login-all:{self.tiers[0]._generation}:{minute}", (minute + 1) * 60 - now

    @property
    def _cache(self) -> Any:
        return caches[CACHE_ALIAS]

    def begin(self, address: str) -> int:
        """0 and the attempt counted, or the seconds the client must wait (nothing hashed)."""
        key, left = self._minute_key()
        if int(self._cache.get(key, 0)) >= self.per_minute:
            return max(1, math.ceil(left))
        # Reads only, first: a refused attempt (the flood) writes nothing.
        waiting = max(tier.retry_after(address) for tier in self.tiers)
        if waiting:
            return waiting
        waits = [tier.begin(address) for tier in self.tiers]
        if not any(waits):
            return 0
        for tier, wait in zip(self.tiers, waits, strict=True):
            if not wait:
                tier.succeeded(address)  # not an attempt after all
        return max(waits)

    def failed(self) -> None:
        """The attempt `begin` counted failed: it also counts towards the overall limit."""
        key, _ = self._minute_key()
        if not self._cache.add(key, 1, timeout=120):
            try:
                self._cache.incr(key)
            except ValueError:  # expired in between
                self._cache.add(key, 1, timeout=120)

    def succeeded(self, address: str) -> None:
        for tier in self.tiers:
            tier.succeeded(address)

    def release(self, address: str) -> None:
        """An attempt that was never judged (a missing field, the database down)."""
        for tier in self.tiers:
            tier.release(address)

    def clear(self) -> None:
        for tier in self.tiers:
            tier.clear()


sign_ins = LoginThrottle()
