"""A finding as a lawyer reads it: the rule's title, the outcome in words, and the law it
rests on cited in full (name, number, date, link) from the rulebook's list of sources.

The rulebook is found among those installed by the id the finding records
(`ru-2022@1.0.0`); a finding whose rulebook is not installed here is shown with what it
recorded, never hidden.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import formats
from django.utils.translation import get_language

from nadzor.cases.services import finding_texts
from nadzor.rules import Rulebook, RulebookError, Texts, builtin_rulebooks, load_rulebook
from nadzor.store.models import Finding
from nadzor.web.text_languages import text_languages

__all__ = ["Citation", "FindingView", "finding_views", "text_languages"]


@dataclass(frozen=True)
class Citation:
    name: str
    number: str
    date: str
    url: str


@dataclass(frozen=True)
class FindingView:
    finding: Finding
    title: str = ""
    citations: list[Citation] = field(default_factory=list)
    # the explanation and basis in the page's language where the rulebook allows it
    explanation: str = ""
    basis: str = ""


def finding_views(findings: list[Finding]) -> list[FindingView]:
    return [_view(finding) for finding in findings]


def _view(finding: Finding) -> FindingView:
    texts = finding_texts(finding, (get_language() or "ru")[:2])
    worded = {"explanation": texts.explanation, "basis": texts.basis}
    book = _rulebook(finding.rulebook.split("@")[0]) if finding.rulebook else None
    if book is None:
        return FindingView(finding, **worded)
    rule = next((r for r in book.rules if r.id == finding.rule_id), None)
    title = _words(getattr(rule, "title", "")) if rule is not None else ""
    cited = []
    language = (get_language() or "ru")[:2]
    for source in book.sources:
        if re.search(rf"(?<![\w-]){re.escape(source.id)}(?![\w-])", finding.basis):
            day = formats.date_format(source.date, "j E Y") if source.date else ""
            name, number = book.wording.source(source.id, language)
            cited.append(
                Citation(
                    name=name or _words(source.name),
                    number=number or ("" if name else _words(source.number or "")),
                    date=day,
                    url=source.url or "",
                )
            )
    return FindingView(finding, title=title, citations=cited, **worded)


def _words(value: Any) -> str:
    """A text of the rulebook in the page's language where it gives several."""
    languages = text_languages()
    if isinstance(value, Texts):
        found = next((lang for lang in languages if lang in value.languages), languages[0])
        return value.get(found)
    if isinstance(value, dict):
        chosen = next((value[lang] for lang in languages if value.get(lang)), None)
        return str(chosen or next(iter(value.values()), ""))
    return str(value or "")


@functools.lru_cache(maxsize=16)
def _rulebook(name: str) -> Rulebook | None:
    """An installed rulebook by its id (never a path: the id comes from imported data)."""
    path = builtin_rulebooks().get(name)
    if path is None:
        return None
    try:
        return load_rulebook(path, with_tests=False)
    except (RulebookError, OSError, ValueError):
        return None
