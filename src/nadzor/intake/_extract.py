"""Suggestions for triage from a text: places and organisations (natasha's Russian NER),
dates (natasha's date rules) and military unit numbers.

natasha brings its models inside its packages (navec embeddings, slovnet taggers): nothing
is downloaded. Names of people that the tagger finds are dropped here and never stored:
intake identifies no one.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from nadzor.intake.domain import Span, find_units

__all__ = ["extract"]

_LIMIT = 100_000
_KINDS = {"LOC": "place", "ORG": "organisation"}  # PER is deliberately absent


@cache
def _tools() -> dict[str, Any]:
    from natasha import (
        DatesExtractor,
        MorphVocab,
        NewsEmbedding,
        NewsMorphTagger,
        NewsNERTagger,
        Segmenter,
    )

    embedding = NewsEmbedding()
    vocab = MorphVocab()
    return {
        "segmenter": Segmenter(),
        "morph": NewsMorphTagger(embedding),
        "ner": NewsNERTagger(embedding),
        "vocab": vocab,
        "dates": DatesExtractor(vocab),
    }


def _date(fact: Any) -> str:
    parts = [f"{fact.year:04d}" if fact.year else "", f"{fact.month:02d}" if fact.month else ""]
    if fact.day:
        parts.append(f"{fact.day:02d}")
    return "-".join(p for p in parts if p)


def extract(text: str) -> list[Span]:
    """Every suggestion found in `text`, in the order of the text."""
    from natasha import Doc

    text = text[:_LIMIT]
    if not text.strip():
        return []
    tools = _tools()
    doc = Doc(text)
    doc.segment(tools["segmenter"])
    doc.tag_morph(tools["morph"])
    doc.tag_ner(tools["ner"])
    found: list[Span] = []
    for span in doc.spans:
        kind = _KINDS.get(span.type)
        if kind is None:
            continue
        span.normalize(tools["vocab"])
        found.append(Span(kind, (span.normal or span.text)[:200], span.start, span.stop))
    for match in tools["dates"](text):
        value = _date(match.fact)
        if value and match.fact.year:
            found.append(Span("date", value, match.start, match.stop))
    found.extend(find_units(text))
    return sorted(found, key=lambda s: (s.start, s.end, s.kind))
