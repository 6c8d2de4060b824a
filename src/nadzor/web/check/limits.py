"""How often one address may run a check: in memory, per process, keyed by a keyed hash of
the address that is never stored (see `nadzor.web.ratelimit`). Every check counts."""

from __future__ import annotations

from nadzor.web.ratelimit import FailureLimiter

__all__ = ["check_requests"]

# A person answers, changes an answer, downloads a letter or two: 30 in 10 minutes is ample;
# a script sweeping the law with thousands of records is slowed to a walk.
check_requests = FailureLimiter(limit=30, window=10 * 60)
