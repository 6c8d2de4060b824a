"""Limits on wrong receipt codes: `status_lookups` is shared by every worker process through
the store's database cache (`shared_limiter`); `FailureLimiter` is the same limit kept in
one process's memory.

The client's address is never kept: each one is replaced at once by HMAC-SHA256 with a key
drawn at random when the process starts (so not even the server secret turns a key back
into an address), and only the times of failed lookups are kept under that key. Entries
are dropped as soon as their last failure is older than the window, which is at most an
hour. Successful lookups are not counted. Nothing here is written to the store or a log.

An in-memory limiter counts per process: with several workers a client could get `limit`
failures per window in each, which is why the desk uses the shared one.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest

from nadzor.web.shared_limiter import SharedFailureLimiter

__all__ = [
    "MAX_WINDOW",
    "FailureLimiter",
    "client_address",
    "not_judged_on_outage",
    "status_lookups",
]

# No entry may outlive this, whatever the window.
MAX_WINDOW = 3600.0
# Beyond this many tracked clients the least recently failing ones are dropped first.
_MAX_ENTRIES = 100_000


class FailureLimiter:
    """At most `limit` failures per `window` seconds per client; the next attempt is refused
    until the oldest of them is older than the window."""

    def __init__(
        self,
        limit: int = 10,
        window: float = 15 * 60,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_entries: int = _MAX_ENTRIES,
    ) -> None:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        if not 0 < window <= MAX_WINDOW:
            raise ValueError(f"window must be more than 0 and at most {MAX_WINDOW:.0f} seconds")
        self.limit = limit
        self.window = float(window)
        self.clock = clock
        self._max_entries = max_entries
        self._key = secrets.token_bytes(32)
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._swept = 0.0

    def _client(self, address: str) -> str:
        return hmac.new(self._key, address.encode("utf-8", "replace"), hashlib.sha256).hexdigest()

    def retry_after(self, address: str) -> int:
        """0 when `address` may try a code now, else the seconds until it may."""
        key = self._client(address)
        with self._lock:
            now = self.clock()
            self._sweep(now)
            times = self._recent(key, now)
            if times is None or len(times) < self.limit:
                return 0
            return max(1, math.ceil(times[0] + self.window - now))

    def begin(self, address: str) -> int:
        """Before a lookup: 0 and the attempt counted as a failure, or the seconds to wait.

        Counting before the (slow) lookup, under the lock, keeps the limit exact when one
        client sends many lookups at once; `succeeded` takes the count back for a right code.
        """
        key = self._client(address)
        with self._lock:
            now = self.clock()
            self._sweep(now)
            times = self._recent(key, now)
            if times is not None and len(times) >= self.limit:
                return max(1, math.ceil(times[0] + self.window - now))
            self._record(key, times, now)
            return 0

    def succeeded(self, address: str) -> None:
        """The code was right: take back the attempt `begin` counted."""
        key = self._client(address)
        with self._lock:
            times = self._failures.get(key)
            if times:
                times.pop()
                if not times:
                    del self._failures[key]

    def fail(self, address: str) -> None:
        """Count one failed lookup from `address`."""
        key = self._client(address)
        with self._lock:
            now = self.clock()
            self._sweep(now)
            self._record(key, self._recent(key, now), now)

    def _record(self, key: str, times: deque[float] | None, now: float) -> None:
        if times is None:
            if len(self._failures) >= self._max_entries:
                self._drop_oldest()
            times = self._failures[key] = deque()
        times.append(now)
        while len(times) > self.limit:
            times.popleft()
        # the latest failure last: dict order is then by the last failure
        self._failures[key] = self._failures.pop(key)

    def clear(self) -> None:
        """Forget every client (tests, or a restart in all but name)."""
        with self._lock:
            self._failures.clear()

    def __len__(self) -> int:
        """How many clients have failures within the window."""
        with self._lock:
            self._sweep(self.clock(), force=True)
            return len(self._failures)

    def _recent(self, key: str, now: float) -> deque[float] | None:
        times = self._failures.get(key)
        if times is None:
            return None
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[key]
            return None
        return times

    def _sweep(self, now: float, *, force: bool = False) -> None:
        """Drop every client whose last failure is older than the window (at most once a
        minute unless forced, so that a busy desk does not scan on every request)."""
        if not force and now - self._swept < 60:
            return
        self._swept = now
        expired = [key for key, times in self._failures.items() if times[-1] <= now - self.window]
        for key in expired:
            del self._failures[key]

    def _drop_oldest(self) -> None:
        oldest = next(iter(self._failures))
        del self._failures[oldest]


# The status page: 10 wrong codes per 15 minutes from one address, across every worker,
# then a pause.
status_lookups = SharedFailureLimiter("codes", limit=10, window=15 * 60)


def client_address(request: HttpRequest) -> str:
    """The client's address, only as the limiter's key (it hashes it at once).

    Behind a reverse proxy the deployment names the header the proxy adds
    (`NADZOR_CLIENT_ADDRESS_HEADER`, e.g. `X-Forwarded-For`); its last address is the one
    the proxy saw. Otherwise every client would share the proxy's address and its count."""
    header = getattr(settings, "NADZOR_CLIENT_ADDRESS_HEADER", "")
    if header:
        forwarded = [part.strip() for part in request.headers.get(header, "").split(",")]
        if forwarded and forwarded[-1]:
            return forwarded[-1]
    return str(request.META.get("REMOTE_ADDR", ""))


@contextmanager
def not_judged_on_outage(address: str) -> Iterator[None]:
    """Around a code lookup: when the database fails, the attempt proved nothing about the
    code, so it is given back instead of counting as a wrong code."""
    try:
        yield
    except DatabaseError:
        status_lookups.release(address)
        raise
