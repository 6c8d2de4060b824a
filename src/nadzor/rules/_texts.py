"""Text a person reads, in several languages: `en` always, others as the rulebook gives.

`Texts` is the English text itself (a `str`, so it prints, compares and formats as before)
that also carries its translations: `texts.get("ru")` is the Russian one, or the English
one when there is no Russian. `texts["ru"]` and `dict(texts)` read it as a mapping
language -> text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, SupportsIndex, overload

__all__ = ["DEFAULT_LANGUAGE", "LanguageForms", "Texts", "language_forms"]

#: Every text has this language; the others fall back to it.
DEFAULT_LANGUAGE = "en"


class LanguageForms(tuple[str, str, str, str]):
    """How values read inside a sentence of one language: yes, no, the date format
    (strftime) and an unrecorded value."""

    @property
    def yes(self) -> str:
        return self[0]

    @property
    def no(self) -> str:
        return self[1]

    @property
    def date_format(self) -> str:
        return self[2]

    @property
    def not_recorded(self) -> str:
        return self[3]


_FORMS = {
    "en": LanguageForms(("yes", "no", "%Y-%m-%d", "[not recorded]")),
    "ru": LanguageForms(("да", "нет", "%d.%m.%Y", "[не указано]")),
    "uk": LanguageForms(("так", "ні", "%d.%m.%Y", "[не зазначено]")),
}


def language_forms(lang: str | None) -> LanguageForms:
    """The forms of `lang`; English for a language without its own."""
    return _FORMS.get(lang or DEFAULT_LANGUAGE, _FORMS[DEFAULT_LANGUAGE])


class Texts(str):
    """An immutable mapping language -> text whose `str` value is the English text."""

    _by_lang: tuple[tuple[str, str], ...]

    def __new__(cls, texts: str | Mapping[str, str]) -> Texts:
        if isinstance(texts, Texts):
            return texts
        by_lang = {DEFAULT_LANGUAGE: texts} if isinstance(texts, str) else dict(texts)
        if DEFAULT_LANGUAGE not in by_lang:
            raise ValueError(f"a text needs its {DEFAULT_LANGUAGE} version")
        made = super().__new__(cls, by_lang[DEFAULT_LANGUAGE])
        # en first, then the others in a stable order
        ordered = [(DEFAULT_LANGUAGE, by_lang[DEFAULT_LANGUAGE])]
        ordered += sorted((k, v) for k, v in by_lang.items() if k != DEFAULT_LANGUAGE)
        made._by_lang = tuple(ordered)
        return made

    def get(self, lang: str | None = None, default: str | None = None) -> str:
        """The text in `lang`, else `default` if given, else the English text."""
        for key, text in self._by_lang:
            if key == lang:
                return text
        return default if default is not None else str.__str__(self)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self._by_lang)

    def keys(self) -> tuple[str, ...]:
        return self.languages

    def items(self) -> tuple[tuple[str, str], ...]:
        return self._by_lang

    def values(self) -> tuple[str, ...]:
        return tuple(v for _, v in self._by_lang)

    @overload
    def __getitem__(self, key: str) -> str: ...

    @overload
    def __getitem__(self, key: SupportsIndex | slice) -> str: ...

    def __getitem__(self, key: Any) -> str:
        if isinstance(key, str):
            for lang, text in self._by_lang:
                if lang == key:
                    return text
            raise KeyError(key)
        return str.__getitem__(self, key)

    def __str__(self) -> str:
        return str.__str__(self)

    def __repr__(self) -> str:
        return f"Texts({dict(self._by_lang)!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Texts, (dict(self._by_lang),))

    def iter_languages(self) -> Iterator[str]:
        return iter(self.languages)
