"""Which legacy (pre-UTF-8) encodings a CSV register may be in, from its languages.

A register that is not valid UTF-8 was saved by an older program in the single-byte code
page of its users' language: Windows-1251 for Russian, Ukrainian or Belarusian, Windows-
1252 for Western European languages. The guess is made among the code pages of the record
type's languages only (its first encoding when the sample cannot decide), so a Latin file
is never read as Cyrillic nor the other way round.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["DEFAULT_LANGUAGES", "legacy_encodings"]

_CYRILLIC = ("cp1251", "koi8_r", "cp866", "iso8859_5", "mac_cyrillic")
_CENTRAL = ("cp1250", "iso8859_2")
_WESTERN = ("cp1252", "iso8859_15", "latin_1")
_BY_LANGUAGE: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("ru", "be", "bg", "mk", "sr", "kk", "ky", "tg"), _CYRILLIC),
    "uk": ("cp1251", "koi8_u", "cp1125", "cp866", "iso8859_5", "mac_cyrillic"),
    **dict.fromkeys(("pl", "cs", "sk", "hu", "ro", "hr", "sl", "bs"), _CENTRAL),
    **dict.fromkeys(("lt", "lv"), ("cp1257", "iso8859_13")),
    "et": ("cp1257", "iso8859_15"),
    "tr": ("cp1254", "iso8859_9"),
    "el": ("cp1253", "iso8859_7"),
    **dict.fromkeys(
        ("en", "de", "fr", "es", "it", "pt", "nl", "da", "sv", "no", "nb", "fi", "is", "ga"),
        _WESTERN,
    ),
}
#: The languages of a register read without a record type (the seed's: Russian).
DEFAULT_LANGUAGES = ("ru",)


def legacy_encodings(languages: Iterable[str]) -> tuple[str, ...]:
    """The candidate encodings, most likely first; Windows-1252 for unknown languages."""
    found: list[str] = []
    for lang in languages:
        found += _BY_LANGUAGE.get(lang.strip().lower()[:2], _WESTERN)
    return tuple(dict.fromkeys(found)) or _CYRILLIC
