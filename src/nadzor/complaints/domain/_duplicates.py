"""Possible duplicates: complaints with similar text, or about the same facility and period.

Text similarity is the Jaccard index of word 3-shingles (runs of three consecutive words)
of the normalised text: case folded, `ё` read as `е`, punctuation dropped, so the Cyrillic
and Latin alphabets and digits all count as word characters. A text of fewer than three
words is one shingle of all its words. Copied or lightly edited texts score high; different
texts about the same matter score low, which is what the facility-and-period rule is for.

Facilities are compared by a key: case folded, `ё` as `е`, the common spellings of a
military unit (`в/ч`, `в.ч.`, `войсковая часть`, `воинская часть`) as one, and everything
but letters and digits dropped, so `В/Ч 12345` and `вч-12345` are the same facility.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Set
from dataclasses import dataclass

__all__ = [
    "PERIOD_DAYS",
    "SIMILAR_TEXT",
    "DuplicateFacts",
    "DuplicateMatch",
    "compare",
    "facility_key",
    "is_possible_duplicate",
    "jaccard",
    "same_facility_period",
    "shingles",
    "similarity",
    "words",
]

# texts at least this similar are possible duplicates
SIMILAR_TEXT = 0.5
# complaints about the same facility this many days apart or fewer are possible duplicates
PERIOD_DAYS = 14
SHINGLE_WORDS = 3

_WORD = re.compile(r"[^\W_]+")
_UNIT_NAMES = re.compile(r"\b(?:войсковая|воинская)\s+часть\b|\bв\s*[/.\\]\s*ч\b\.?")
_NOT_ALNUM = re.compile(r"[\W_]+")


def _fold(text: str) -> str:
    return text.casefold().replace("ё", "е")


def words(text: str) -> list[str]:
    """The words of `text`, case folded, with `ё` as `е`: letters and digits of any script."""
    return _WORD.findall(_fold(text))


def shingles(text: str, size: int = SHINGLE_WORDS) -> frozenset[str]:
    """The runs of `size` consecutive words (one run of all words for a shorter text)."""
    found = words(text)
    if not found:
        return frozenset()
    if len(found) < size:
        return frozenset({" ".join(found)})
    return frozenset(" ".join(found[i : i + size]) for i in range(len(found) - size + 1))


def jaccard(a: Set[str], b: Set[str]) -> float:
    """|a ∩ b| / |a ∪ b|; 0.0 when both are empty."""
    if not a or not b:
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


def similarity(text_a: str, text_b: str) -> float:
    """How alike two texts are, from 0.0 (no shingle in common) to 1.0 (the same words)."""
    return jaccard(shingles(text_a), shingles(text_b))


def facility_key(facility: str) -> str:
    """The facility as compared: `В/Ч 12345`, `войсковая часть 12345`, `вч-12345` -> `вч12345`."""
    folded = _UNIT_NAMES.sub(" вч ", _fold(facility))
    return _NOT_ALNUM.sub("", folded)


@dataclass(frozen=True)
class DuplicateFacts:
    """What duplicate detection reads of a complaint. `registered_on` stands in for
    `occurred_on` when the person gave no date."""

    text: str
    facility: str = ""
    occurred_on: dt.date | None = None
    registered_on: dt.date | None = None

    @property
    def when(self) -> dt.date | None:
        return self.occurred_on or self.registered_on


@dataclass(frozen=True)
class DuplicateMatch:
    """`score`: the text similarity; the flags say which rule found the pair."""

    score: float
    similar_text: bool
    same_facility_period: bool

    @property
    def possible(self) -> bool:
        return self.similar_text or self.same_facility_period

    @property
    def why(self) -> tuple[str, ...]:
        """`similar_text`, `same_facility_period`, or both, in that order."""
        reasons = []
        if self.similar_text:
            reasons.append("similar_text")
        if self.same_facility_period:
            reasons.append("same_facility_period")
        return tuple(reasons)


def compare(
    a: DuplicateFacts,
    b: DuplicateFacts,
    *,
    threshold: float = SIMILAR_TEXT,
    period_days: int = PERIOD_DAYS,
    shingles_a: Set[str] | None = None,
) -> DuplicateMatch:
    """How `a` and `b` match (`shingles_a`: those of `a`, when computed once for many `b`)."""
    score = jaccard(shingles(a.text) if shingles_a is None else shingles_a, shingles(b.text))
    return DuplicateMatch(
        score=score,
        similar_text=score >= threshold,
        same_facility_period=same_facility_period(a, b, period_days),
    )


def same_facility_period(a: DuplicateFacts, b: DuplicateFacts, period_days: int) -> bool:
    key = facility_key(a.facility)
    if not key or key != facility_key(b.facility):
        return False
    if a.when is None or b.when is None:
        return False
    return abs((a.when - b.when).days) <= period_days


def is_possible_duplicate(a: DuplicateFacts, b: DuplicateFacts) -> bool:
    """Similar text, or the same (non-empty) facility within `PERIOD_DAYS` days."""
    return compare(a, b).possible
