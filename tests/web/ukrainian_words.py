"""What must not show on a Ukrainian page: any word of the interface's English texts (and
the machine words), any Russian word of the interface that Ukrainian does not share, and
the letters only Russian has (ы, э, ъ, ё).

The Russian words are those of the Russian catalogue's translations less every word the
Ukrainian catalogue uses, so words both languages write alike (дата, код, файл) may show.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from tests.web.test_no_english import english_words, visible_text

__all__ = ["foreign_on_ukrainian_page", "russian_only_words"]

_LOCALE = Path(__file__).resolve().parents[2] / "src/nadzor/web/locale"
_CYRILLIC = re.compile(r"[а-яёіїєґ'’]+", re.IGNORECASE)
_LATIN = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
RUSSIAN_LETTERS = re.compile(r"[ыэъё]", re.IGNORECASE)
# an address shown for people to open or type (the receipt names the status page's)
_ADDRESS = re.compile(r"(?:https?://)?[\w.:-]*/[\w/.?=&%-]*")
# The language switch names each language in itself; "cookie" is the word Ukrainian uses.
SHOWN_AS_THEY_ARE = {"русский", "english", "cookie"}


def _translations(lang: str) -> list[str]:
    with (_LOCALE / lang / "LC_MESSAGES/django.mo").open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    return [str(text) for text in catalogue.values()]


def _words(texts: list[str]) -> set[str]:
    words: set[str] = set()
    for text in texts:
        text = re.sub(r"%\([a-z_]+\)[sd]", " ", text)
        words |= {w.lower().strip("'’") for w in _CYRILLIC.findall(text)}
    return words


def russian_only_words() -> set[str]:
    return {w for w in _words(_translations("ru")) - _words(_translations("uk")) if len(w) > 2}


def foreign_on_ukrainian_page(
    page: str, names: frozenset[str] | set[str] = frozenset()
) -> list[str]:
    """The English and Russian words (and Russian-only letters) in the page's visible text,
    less `names` (proper names and identifiers the page shows as they are)."""
    text = _ADDRESS.sub(" ", visible_text(page))
    latin = {w.lower() for w in _LATIN.findall(text)} & english_words()
    cyrillic = {w.lower().strip("'’") for w in _CYRILLIC.findall(text)} & russian_only_words()
    letters = {f"letter {m.group(0)}" for m in RUSSIAN_LETTERS.finditer(text)}
    return sorted((latin | cyrillic | letters) - {n.lower() for n in names} - SHOWN_AS_THEY_ARE)
