"""Case references: `NZ-YYYY-NNNNNN`, a year and a number within it."""

from __future__ import annotations

import re

__all__ = ["REFERENCE_PATTERN", "format_reference", "parse_reference"]

# the whole text of a reference (match it whole: `re.fullmatch`); no capturing groups
REFERENCE_PATTERN = r"NZ-[1-9][0-9]{3}-(?!000000)[0-9]{6}"

_REFERENCE = re.compile(REFERENCE_PATTERN)
_MAX_NUMBER = 999_999


def format_reference(year: int, number: int) -> str:
    """`NZ-2026-000123` for year 2026, number 123; ValueError outside 1000..9999, 1..999999."""
    if isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999:
        raise ValueError(f"a reference year must have four digits, not {year!r}")
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= _MAX_NUMBER:
        raise ValueError(f"a reference number must be between 1 and {_MAX_NUMBER}, not {number!r}")
    return f"NZ-{year}-{number:06d}"


def parse_reference(text: str) -> tuple[int, int]:
    """(year, number) of a reference written exactly as `format_reference` writes it."""
    if not _REFERENCE.fullmatch(text):
        shown = text if len(text) <= 40 else text[:40] + "..."
        raise ValueError(f"{shown!r} is not a case reference like NZ-2026-000123")
    _, year, number = text.split("-")
    return int(year), int(number)
