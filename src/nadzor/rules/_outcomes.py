"""Outcome and verdict words, and what a finding's case is about.

A rulebook may declare its own outcomes (each rolls up into one verdict of a record) and
verdicts (most severe first; the last one is the verdict of a record with no finding).
A rulebook that declares none gets the call-up words below: this module is the one place
in the code that knows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from nadzor.rules._measure import Measure
from nadzor.rules._texts import Texts

__all__ = [
    "DEFAULT_CASE_KIND",
    "DEFAULT_OUTCOMES",
    "DEFAULT_SUBJECT_KIND",
    "DEFAULT_VERDICTS",
    "CaseSpec",
    "Judgment",
    "OutcomeDef",
    "VerdictDef",
]

Judgment = Literal["law_date", "separate"]


@dataclass(frozen=True)
class OutcomeDef:
    """One outcome word: its meaning, the verdict it rolls up into, whether a finding of it
    carries an end date (`until`), and its severity (0 = most severe, declaration order)."""

    id: str
    meaning: Texts
    verdict: str
    has_end: bool
    severity: int


@dataclass(frozen=True)
class VerdictDef:
    id: str
    meaning: Texts


@dataclass(frozen=True)
class CaseSpec:
    """Which columns name what a case is about, its kind, and the reporting columns."""

    subject: tuple[str, ...]
    subject_kind: str
    kind: str
    reporting: tuple[str, ...]
    # the sum some findings concern, for reports (None: the rulebook declares none)
    measure: Measure | None = None


DEFAULT_OUTCOMES: tuple[OutcomeDef, ...] = (
    OutcomeDef(
        "not_subject",
        Texts(
            {
                "en": "may not be called up at all",
                "ru": "не подлежит призыву по мобилизации",
            }
        ),
        "unlawful",
        False,
        0,
    ),
    OutcomeDef(
        "deferment",
        Texts(
            {
                "en": "may not be called up until the deferment ends",
                "ru": "имеет право на отсрочку от призыва до её окончания",
            }
        ),
        "unlawful",
        True,
        1,
    ),
    OutcomeDef(
        "review",
        Texts(
            {
                "en": "the facts call for a human check; the record alone cannot decide",
                "ru": "обстоятельства требуют проверки: по одной записи решить нельзя",
            }
        ),
        "review",
        False,
        2,
    ),
)

DEFAULT_VERDICTS: tuple[VerdictDef, ...] = (
    VerdictDef(
        "unlawful",
        Texts({"en": "the call-up was unlawful", "ru": "призыв незаконен"}),
    ),
    VerdictDef(
        "review",
        Texts({"en": "needs a human check", "ru": "требуется проверка"}),
    ),
    VerdictDef(
        "clear",
        Texts({"en": "no rule applies", "ru": "нарушений не выявлено"}),
    ),
)

DEFAULT_SUBJECT_KIND = "person"
DEFAULT_CASE_KIND = "unlawful_callup"
