"""What cases take from the rulebook a finding came from: its words, its case kind, its subject.

The import and the case pages name no rulebook, column or outcome: they ask the rulebook.
A findings file without a `rulebook` column, imported without `--rulebook`, is read with
the words a rulebook gets when it declares none (those of a call-up rulebook), so findings
files written before rulebooks declared their words import as they always did.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from nadzor.cases._errors import BadInput
from nadzor.rules import (
    DEFAULT_OUTCOMES,
    Measure,
    OutcomeDef,
    Rulebook,
    RulebookError,
    UnknownRulebook,
    resolve_rulebook,
)

# The one place that knows the call-up words: the rules package's defaults.
from nadzor.rules._outcomes import DEFAULT_CASE_KIND, DEFAULT_SUBJECT_KIND

__all__ = [
    "CaseTerms",
    "known_rulebook",
    "measure_unit",
    "outcome_meaning",
    "rulebook_id",
    "terms_for",
]


@dataclass(frozen=True)
class CaseTerms:
    """What a findings import needs from one rulebook (or from the defaults)."""

    rulebook: str | None  # its id, None for the defaults
    outcomes: tuple[OutcomeDef, ...]
    kind: str
    subject_kind: str
    # Register columns naming the case subject, the register's key, and reporting columns;
    # empty without a rulebook (the subject is then the finding's record).
    subject: tuple[str, ...] = ()
    key: str = ""
    reporting: tuple[str, ...] = ()
    # the sum some findings concern (None: the rulebook declares no measure)
    measure: Measure | None = None
    # The register column whose date picks the law (and, judged on it, is the day judged).
    law_date: str = ""
    # True when the rules judge a record on its law date (else on a separate day, `as_of`)
    judged_on_law_date: bool = True
    # the languages of the register's text: which legacy encodings its CSV may be in
    languages: tuple[str, ...] = ("ru",)

    @property
    def severity(self) -> Mapping[str, int]:
        """Outcome word -> severity (0 = most severe)."""
        return {outcome.id: outcome.severity for outcome in self.outcomes}

    @property
    def subject_is_record(self) -> bool:
        """True when a case is about one record (its id is in the findings themselves)."""
        return not self.subject or self.subject == (self.key,)

    @property
    def register_columns(self) -> tuple[str, ...]:
        """The register's columns an import reads with `--register`, key first."""
        measured = self.measure.columns if self.measure else ()
        wanted = [self.key, *self.subject, *self.reporting, self.law_date, *measured]
        return tuple(dict.fromkeys(name for name in wanted if name))


DEFAULT_TERMS = CaseTerms(None, DEFAULT_OUTCOMES, DEFAULT_CASE_KIND, DEFAULT_SUBJECT_KIND)


def rulebook_id(ref: str) -> str:
    """`ru-x` from `ru-x@1.0.0` (the findings file's `rulebook` column) or from `ru-x`."""
    return ref.strip().partition("@")[0]


def terms_for(name: str | None) -> CaseTerms:
    """The terms of the rulebook `name` (a built-in id or a directory), or the defaults."""
    if not name:
        return DEFAULT_TERMS
    return _terms_of(_load(name))


def _terms_of(rulebook: Rulebook) -> CaseTerms:
    spec = rulebook.case
    return CaseTerms(
        rulebook=rulebook.id,
        outcomes=tuple(rulebook.outcomes),
        kind=spec.kind,
        subject_kind=spec.subject_kind,
        subject=tuple(spec.subject),
        key=rulebook.record_type.key,
        reporting=tuple(spec.reporting),
        measure=spec.measure,
        law_date=rulebook.record_type.law_date,
        judged_on_law_date=rulebook.judgment == "law_date",
        languages=tuple(rulebook.record_type.languages),
    )


# Rulebooks loaded in this process by id, also those given as a directory: the pages of
# cases imported from them speak their words (built-in ones are found by id anyway).
_LOADED: dict[str, Rulebook] = {}


@functools.lru_cache(maxsize=32)
def _load(name: str) -> Rulebook:
    try:
        rulebook = _LOADED.get(name) or resolve_rulebook(name)
    except UnknownRulebook as exc:
        raise BadInput(str(exc)) from exc
    except RulebookError as exc:
        raise BadInput(f"rulebook {name!r} does not load: {exc}") from exc
    _LOADED.setdefault(rulebook.id, rulebook)
    return rulebook


def outcome_meaning(ref: str, outcome: str, lang: str, fallback: tuple[str, ...] = ()) -> str:
    """The meaning of `outcome` in `lang` as the rulebook `ref` (`id@version`) declares it,
    else in the first of `fallback` it declares, else in English.

    Falls back to the default words, then to the word itself when the rulebook is not
    one this installation knows (a finding imported from elsewhere keeps its word).
    """
    outcomes = DEFAULT_OUTCOMES
    if ref:
        try:
            outcomes = tuple(_load(rulebook_id(ref)).outcomes)
        except BadInput:
            outcomes = DEFAULT_OUTCOMES  # a rulebook this installation does not have
    for known in outcomes:
        if known.id == outcome:
            for wanted in (lang, *fallback):
                if wanted in known.meaning.languages:
                    return known.meaning.get(wanted)
            return known.meaning.get(lang)
    return outcome


def measure_unit(ref: str, lang: str) -> str:
    """The unit of the sums the rulebook `ref` (`id@version`) measures, in `lang`; "" when
    it measures none or this installation does not know it."""
    try:
        measure = _load(rulebook_id(ref)).case.measure
    except BadInput:
        return ""
    return measure.unit.get(lang) if measure else ""


def known_rulebook(ref: str) -> Rulebook | None:
    """The rulebook `ref` (`id@version`) names, when this installation has that very
    version; None for another version or an unknown rulebook (its texts may differ)."""
    if not ref:
        return None
    try:
        rulebook = _load(rulebook_id(ref))
    except BadInput:
        return None
    version = ref.strip().partition("@")[2]
    return rulebook if not version or version == rulebook.version else None
