"""Checks of validity periods: no inverted, overlapping or gapped periods."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from nadzor.rules._model import Period

__all__ = ["period_problems", "span"]

_DAY = dt.timedelta(days=1)


def period_problems(periods: Sequence[Period], what: str) -> list[tuple[int, str]]:
    """(index of the period, message) for every problem; periods must be in date order."""
    found: list[tuple[int, str]] = []
    for i, period in enumerate(periods):
        if period.end is not None and period.end < period.start:
            found.append(
                (i, f"{what}: period ends ({period.end}) before it starts ({period.start})")
            )
    for i in range(1, len(periods)):
        prev, cur = periods[i - 1], periods[i]
        if cur.start <= prev.start:
            found.append(
                (i, f"{what}: periods must be in date order ({cur.start} after {prev.start})")
            )
        elif prev.end is None or cur.start <= prev.end:
            end = prev.end.isoformat() if prev.end else "open end"
            found.append(
                (i, f"{what}: period from {cur.start} overlaps the one from {prev.start} ({end})")
            )
        elif cur.start - prev.end > _DAY:
            found.append(
                (
                    i,
                    f"{what}: gap between periods: no period covers {prev.end + _DAY} to {cur.start - _DAY}",
                )
            )
    return found


def span(periods: Sequence[Period]) -> tuple[dt.date, dt.date | None]:
    """First and last day covered by contiguous periods (None = open-ended)."""
    return periods[0].start, periods[-1].end
