"""What a report is asked for: a period, optionally a region, staff or public, and its `k`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nadzor.cases._errors import BadInput

__all__ = ["DEFAULT_K", "ReportOptions", "parse_options"]

DEFAULT_K = 5
_MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class ReportOptions:
    start: dt.date
    end: dt.date  # inclusive
    region: str = ""
    public: bool = False
    k: int = DEFAULT_K

    @property
    def start_at(self) -> dt.datetime:
        """The first moment of the period (UTC)."""
        return dt.datetime.combine(self.start, dt.time(), tzinfo=dt.UTC)

    @property
    def end_at(self) -> dt.datetime:
        """The first moment after the period (UTC)."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)

    def query(self) -> dict[str, str]:
        """The options as URL parameters (`from`, `to`, `region`)."""
        params = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.region:
            params["region"] = self.region
        return params


def parse_options(
    start: object, end: object, region: object = "", *, public: bool = False, k: int = DEFAULT_K
) -> ReportOptions:
    """Checked options; BadInput names the option that is wrong."""
    first = _date(start, "from")
    last = _date(end, "to")
    if last < first:
        raise BadInput(f"to {last.isoformat()} is before from {first.isoformat()}")
    if (last - first).days > _MAX_DAYS:
        raise BadInput("the period is longer than three years: make several reports")
    if k < 2:
        raise BadInput("k must be 2 or more")
    text = region.strip() if isinstance(region, str) else ""
    return ReportOptions(first, last, text, public, k)


def _date(value: object, name: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip():
        raise BadInput(f"{name} is required (a date YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise BadInput(f"{name} {value.strip()!r} is not a date YYYY-MM-DD") from None
