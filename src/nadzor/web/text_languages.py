"""Which language a rulebook's texts are shown in on a page of a given language.

Where a rulebook has no text in the page's language, a Ukrainian page shows the Russian
text rather than the English one (a page must show no English, and a Ukrainian lawyer reads
Russian law in Russian); any other language falls back to English.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import get_language

__all__ = ["TEXT_FALLBACK", "text_language", "text_languages"]

TEXT_FALLBACK: dict[str, tuple[str, ...]] = {"uk": ("ru",)}


def text_languages(language: str | None = None) -> tuple[str, ...]:
    """The language (the page's by default), then those a text missing in it falls back to."""
    language = (language or get_language() or "ru")[:2]
    return (language, *TEXT_FALLBACK.get(language, ()))


def text_language(language: str, available: Iterable[str]) -> str:
    """The language to show a rulebook's texts in on a `language` page, among those the
    rulebook gives (`available`); `language` itself when it gives none of them."""
    given = set(available)
    return next((code for code in text_languages(language) if code in given), language)
