"""How often one address may run a check: in memory, per process, keyed by a keyed hash of
the address that is never stored (see `nadzor.web.ratelimit`). Every check counts.

`NADZOR_CHECK_LIMIT` changes the number of checks per 10 minutes (a benchmark on loopback
raises it; a deployment behind one proxy address must name the proxy's header instead).
"""

from __future__ import annotations

import os

from nadzor.web.ratelimit import FailureLimiter

__all__ = ["check_requests"]


def _limit() -> int:
    value = os.environ.get("NADZOR_CHECK_LIMIT", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else 30


# A person answers, changes an answer, downloads a letter or two: 30 in 10 minutes is ample;
# a script sweeping the law with thousands of records is slowed to a walk.
check_requests = FailureLimiter(limit=_limit(), window=10 * 60)
