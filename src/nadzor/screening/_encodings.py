"""Which legacy (pre-UTF-8) encodings a CSV register may be in, from its languages.

A register that is not valid UTF-8 was saved by an older program in the single-byte code
page of its users' language: Windows-1251 for Russian, Ukrainian or Belarusian, Windows-
1252 for Western European languages. The guess is made among the code pages of the record
type's languages only (its first encoding when the sample cannot decide), so a Latin file
is never read as Cyrillic nor the other way round.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["DEFAULT_LANGUAGES", "legacy_encodings", "reads_as_utf8"]

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


# The letters of the Cyrillic alphabets (lower case). A letter outside them, in a line of
# such a register, is more likely a misreading than a word. Russian, Ukrainian and
# Belarusian registers carry each other's names, so they share one alphabet.
_EAST_SLAVIC = "абвгґдеёєжзиіїйклмнопрстуўфхцчшщъыьэюя"
_ALPHABETS: dict[str, str] = {
    **dict.fromkeys(("ru", "uk", "be"), _EAST_SLAVIC),
    "bg": "абвгдежзийклмнопрстуфхцчшщъьюя",
    "kk": _EAST_SLAVIC + "әғқңөұүһ",
}
# Punctuation that real text in these languages carries beyond ASCII.
_PUNCTUATION = frozenset("\u00a0«»—–№…’“”°")
_FOREIGN, _STRAY = 2, 3


def _letters(languages: Iterable[str]) -> frozenset[str] | None:
    """The alphabet of the languages, or None when one of them has no alphabet listed."""
    letters: set[str] = set()
    for lang in languages:
        alphabet = _ALPHABETS.get(lang.strip().lower()[:2])
        if alphabet is None:
            return None
        letters.update(alphabet)
    return frozenset(letters)


def _plausibility(text: str, letters: frozenset[str] | None) -> int:
    """How much a reading looks like text: a point per letter of the alphabet, minus
    points for letters of other alphabets, stray symbols and a capital inside a word
    (the marks of bytes read in the wrong code page)."""
    score, previous = 0, ""
    for ch in text:
        if not ch.isascii():
            if ch.isalpha():
                score += 1 if letters is None or ch.lower() in letters else -_FOREIGN
                if ch.isupper() and previous.isalpha() and previous.islower():
                    score -= _STRAY
            elif ch not in _PUNCTUATION:
                score -= _STRAY
        previous = ch
    return score


def reads_as_utf8(line: bytes, legacy: str, languages: Iterable[str]) -> bool:
    """Whether a line of a register in the legacy code page `legacy` was written in UTF-8.

    A line can be valid UTF-8 by accident: in Windows-1251 a capital letter followed by
    `і`, and in KOI8-U a small letter followed by `і`, form a valid two-byte sequence
    (`Ні` reads as `ͳ`, `пі` as `Ц`). So a valid line counts as UTF-8 only when that
    reading looks at least as much like text in the register's languages as the legacy
    one does.
    """
    if line.isascii():
        return True
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError:
        return False
    letters = _letters(languages)
    legacy_text = line.decode(legacy, errors="replace")
    return _plausibility(text, letters) >= _plausibility(legacy_text, letters)
