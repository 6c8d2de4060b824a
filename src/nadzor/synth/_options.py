"""What to generate: the validated arguments of one synthetic register."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = [
    "CALLUP_WINDOW",
    "DEFAULT_CHUNK_ROWS",
    "MAX_CHUNK_ROWS",
    "SynthError",
    "SynthOptions",
]

DEFAULT_CHUNK_ROWS = 500_000
# A chunk is held in memory whole, and its strings must fit 32-bit Arrow offsets.
MAX_CHUNK_ROWS = 5_000_000

# Births go back up to ~76 years before a call-up and reservations run ~3 years past it;
# this window keeps every generated date inside records.md's 1900-01-01..2100-12-31.
CALLUP_WINDOW = (dt.date(1980, 1, 1), dt.date(2095, 12, 31))


class SynthError(ValueError):
    """Arguments that cannot produce a register (the CLI reports it as one line)."""


@dataclass(frozen=True)
class SynthOptions:
    """Arguments of one register. The same options always give the same rows.

    `chunk_rows` is part of the identity of the output: rows are drawn chunk by chunk,
    each chunk from its own stream seeded by (seed, chunk index), so changing it changes
    the rows (but never the row count or the shares).
    """

    records: int
    seed: int = 0
    callup_from: dt.date = dt.date(2022, 9, 21)
    callup_to: dt.date = dt.date(2022, 12, 31)
    dirty: bool = False
    chunk_rows: int = DEFAULT_CHUNK_ROWS

    def __post_init__(self) -> None:
        if self.records < 0:
            raise SynthError(f"--records must be 0 or more, got {self.records}")
        if self.seed < 0:
            raise SynthError(f"--seed must be 0 or more, got {self.seed}")
        if not 1 <= self.chunk_rows <= MAX_CHUNK_ROWS:
            raise SynthError(f"chunk_rows must be 1..{MAX_CHUNK_ROWS}, got {self.chunk_rows}")
        if self.callup_from > self.callup_to:
            raise SynthError(
                f"--callup-from {self.callup_from} is after --callup-to {self.callup_to}"
            )
        low, high = CALLUP_WINDOW
        if self.callup_from < low or self.callup_to > high:
            raise SynthError(f"call-up dates must lie within {low}..{high}")

    @property
    def chunk_count(self) -> int:
        """Number of chunks; the last one may be shorter."""
        return -(-self.records // self.chunk_rows)

    def chunk_bounds(self, index: int) -> tuple[int, int]:
        """Global row range [start, stop) of chunk `index`."""
        start = index * self.chunk_rows
        return start, min(start + self.chunk_rows, self.records)
