"""One check, as a person reads it: the verdict, each finding with its documents, and the
answers that could not be read, each named by its question in the page's language."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any

from django.utils.translation import pgettext

from nadzor.rules import Rule, Rulebook, Texts, builtin_rulebooks, resolve_rulebook
from nadzor.screening import check_one
from nadzor.web.check.questions import Question, offered, wording
from nadzor.web.text_languages import text_language

__all__ = ["Answer", "Finding", "builtin", "check", "check_rulebooks", "field_error"]


@functools.cache
def builtin(rulebook_id: str) -> Rulebook | None:
    """A built-in rulebook by id, loaded once per process; None for any other name (a path
    given by a caller is never read)."""
    if rulebook_id not in builtin_rulebooks():
        return None
    return resolve_rulebook(rulebook_id)


def check_rulebooks() -> dict[str, Rulebook]:
    """The built-in rulebooks a person can check a call-up against, loaded once."""
    loaded = {rid: builtin(rid) for rid in builtin_rulebooks()}
    return offered({rid: rb for rid, rb in loaded.items() if rb is not None})


@dataclass(frozen=True)
class Finding:
    rule_id: str
    title: str
    outcome: str
    until: dt.date | None
    basis: str
    explanation: str
    documents: tuple[str, ...]
    #: the language the explanation and the basis are written in (the page's language
    #: where the rulebook gives its texts in it, else English)
    quoted_in: str = "en"


@dataclass(frozen=True)
class Answer:
    rulebook: Rulebook
    verdict: str | None  # None when an answer could not be read
    findings: tuple[Finding, ...]
    errors: dict[str, list[str]]  # question name -> messages
    callup_date: str | None

    @property
    def documents(self) -> list[str]:
        """Every document named by the findings, each once, in order."""
        return list(dict.fromkeys(d for f in self.findings for d in f.documents))


def field_error(rulebook: Rulebook, question: Question | None, value: str, error: str) -> str:
    """A reject as a sentence in the page's language (the engine's sentence is English)."""
    record = rulebook.record_type
    if error == "required value missing":
        return pgettext("self-check", "Answer this question.")
    if question is None:
        return pgettext("self-check", "This answer could not be read.")
    if question.name == record.evaluation_date and error.startswith("evaluation date"):
        return pgettext("self-check", "This check covers call-ups from %(day)s.") % {
            "day": rulebook.in_force_from.strftime("%d.%m.%Y")
        }
    if error.startswith("not a date") or "1900-01-01" in error:
        return pgettext("self-check", "Enter a date between 1900 and 2100.")
    if question.kind == "int":
        return pgettext("self-check", "Enter a whole number from %(min)s to %(max)s.") % {
            "min": question.min if question.min is not None else 0,
            "max": question.max if question.max is not None else "…",
        }
    if question.kind == "texts":
        return pgettext("self-check", "Enter article numbers only, such as 205.1.")
    if question.kind in ("enum", "bool"):
        return pgettext("self-check", "Choose one of the answers.")
    if question.kind in ("date", "dates"):
        return pgettext(
            "self-check", "Check this date: it does not agree with the other dates you gave."
        )
    return pgettext("self-check", "Check this answer: it does not agree with your other answers.")


def check(
    rulebook: Rulebook, record: dict[str, str | None], questions: list[Question], lang: str
) -> Answer:
    """Run the record through the screening path and put the result in the person's words."""
    # the rulebook's explanations and citations in the page's language, or in the one it
    # falls back to (Russian on a Ukrainian page)
    told_in = text_language(lang, rulebook.languages)
    result = check_one(rulebook, record, lang=told_in)
    by_name = {q.name: q for q in questions}
    errors: dict[str, list[str]] = {}
    for reject in result.rejects:
        name = str(reject["column"])
        question = by_name.get(name)
        message = field_error(rulebook, question, str(reject["value"]), str(reject["error"]))
        errors.setdefault(name if question else "_", []).append(message)
    rules = {r.id: r for r in rulebook.rules}
    findings = tuple(
        _finding(row, rules[str(row["rule_id"])], rulebook, told_in, lang)
        for row in result.findings
    )
    verdict = next(iter(result.verdicts.values()), None) if not errors else None
    return Answer(
        rulebook, verdict, findings, errors, record.get(rulebook.record_type.evaluation_date)
    )


def _finding(
    row: dict[str, Any], rule: Rule, rulebook: Rulebook, told_in: str, lang: str
) -> Finding:
    written = str(row["basis"])
    # the period that gave the finding, for its citation in the language of the texts
    period = next((p for p in rule.periods if str(p.basis) == written), None)
    explained = period is not None and any(code == told_in for code, _ in period.explains)
    if period is not None and isinstance(period.basis, Texts) and told_in in period.basis.languages:
        basis, cited = period.basis.get(told_in), True
    else:
        basis = rulebook.wording.citation(written, told_in)
        cited = basis != written or told_in == "en"
    return Finding(
        rule_id=rule.id,
        title=rule.title,
        outcome=str(row["outcome"]),
        until=row["deferment_until"],
        basis=basis,
        explanation=str(row["explanation"]),
        documents=tuple(wording(d, lang) or "" for d in rule.documents),
        quoted_in=told_in if explained and cited else "en",
    )
