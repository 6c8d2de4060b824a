"""A finding's words in the reader's language: its explanation told again from the facts
stored with it, and its basis cited as the rulebook cites it in that language.

The explanation is told again only with the very rulebook version the finding came from
(another version's templates may state other facts); otherwise, and for a finding stored
without facts, the explanation is the one the screen wrote. A basis the rulebook gives no
text for in the language reads as written.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Protocol

from nadzor.cases._terms import known_rulebook
from nadzor.rules import Facts, Teller

__all__ = ["FindingTexts", "finding_explanations", "finding_texts"]


class _Finding(Protocol):
    @property
    def rulebook(self) -> str: ...
    @property
    def rule_id(self) -> str: ...
    @property
    def basis(self) -> str: ...
    @property
    def explanation(self) -> str: ...
    @property
    def facts(self) -> object: ...


@dataclass(frozen=True)
class FindingTexts:
    explanation: str
    basis: str
    #: False when the explanation is the stored one (not told in the language asked)
    told: bool


def finding_texts(finding: _Finding, lang: str) -> FindingTexts:
    teller = _teller(finding.rulebook)
    if teller is None:
        return FindingTexts(finding.explanation, finding.basis, False)
    basis = teller.rulebook.wording.citation(finding.basis, lang) if finding.basis else ""
    facts = Facts.from_json(finding.facts)
    told = teller.tell(finding.rule_id, facts, lang) if facts is not None else None
    if told is None:
        return FindingTexts(finding.explanation, basis, False)
    return FindingTexts(told, basis, True)


def finding_explanations(finding: _Finding) -> dict[str, str]:
    """The explanation in every language of its rulebook it can be told in."""
    teller = _teller(finding.rulebook)
    facts = Facts.from_json(finding.facts)
    if teller is None or facts is None:
        return {}
    told = {lang: teller.tell(finding.rule_id, facts, lang) for lang in teller.rulebook.languages}
    return {lang: text for lang, text in told.items() if text is not None}


@functools.lru_cache(maxsize=16)
def _teller(ref: str) -> Teller | None:
    rulebook = known_rulebook(ref)
    return Teller(rulebook) if rulebook is not None else None
