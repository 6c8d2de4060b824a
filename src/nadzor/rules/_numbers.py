"""Numbers as a reader of each language writes them: `195000.5` in English, `195 000,5` in
Russian and Ukrainian (a no-break space between thousands, a comma before the fraction).
As Russian typography has it, a whole part of four digits stays whole (`1500`, not
`1 500`); from five digits on it is grouped."""

from __future__ import annotations

__all__ = [
    "GROUP",
    "GROUPED_DIGITS_MAX",
    "UNGROUPED_DIGITS",
    "comma_language",
    "decimal_text",
    "plain_decimal",
]

#: Languages whose decimals take a comma and group thousands with a space.
_COMMA_LANGUAGES = frozenset({"ru", "uk", "be"})
#: The longest whole part written without a group separator.
UNGROUPED_DIGITS = 4
#: The longest whole part that is grouped.
GROUPED_DIGITS_MAX = 12
#: U+00A0: the group separator never breaks a number across lines.
GROUP = "\u00a0"


def comma_language(lang: str | None) -> bool:
    """Whether `lang` writes decimals with a comma and groups thousands."""
    return lang in _COMMA_LANGUAGES


def decimal_text(plain: str, lang: str | None) -> str:
    """`plain` (digits with an optional `.fraction`, as the engines write them) in `lang`."""
    if lang not in _COMMA_LANGUAGES:
        return plain
    sign = "-" if plain.startswith("-") else ""
    whole, _, fraction = plain.lstrip("-").partition(".")
    # beyond twelve digits (no register's sum) the engines write the number whole too
    if len(whole) <= UNGROUPED_DIGITS or len(whole) > GROUPED_DIGITS_MAX:
        return sign + whole + ("," + fraction if fraction else "")
    groups: list[str] = []
    while len(whole) > 3:
        whole, last = whole[:-3], whole[-3:]
        groups.insert(0, last)
    grouped = GROUP.join([whole, *groups]) if whole else GROUP.join(groups)
    return sign + grouped + ("," + fraction if fraction else "")


def plain_decimal(text: str) -> str | None:
    """Back from any language's spelling to `195000.5`; None for what is not a number."""
    cleaned = "".join(ch for ch in text if ch not in " \u00a0\u202f").replace(",", ".")
    body = cleaned.lstrip("-")
    whole, _, fraction = body.partition(".")
    if not whole.isdigit() or (fraction and not fraction.isdigit()) or body.count(".") > 1:
        return None
    return cleaned
