"""Military unit numbers in Russian and Ukrainian texts: `в/ч 12345`, `войсковая часть 12345`,
`військова частина А1234`. The number is kept as written digits (with the Ukrainian letter
prefix where there is one), the span is the whole mention.
"""

from __future__ import annotations

import re

from nadzor.intake.domain._model import Span

__all__ = ["find_units", "unit_key"]

_UNIT = re.compile(
    r"""
    (?<![\w/])
    (?:
        в\s*/\s*ч\.?            # в/ч
      | в\.\s*ч\.?              # в.ч.
      | вч                      # вч 12345
      | войсков(?:ая|ой|ую|ою)\s+част(?:ь|и|ью)
      | військов(?:а|ої|у|ій)\s+частин(?:а|и|у|і|ою)
    )
    \s*№?\s*
    (?P<number>[АAаa]?\s?\d{4,5})
    (?!\d)
    """,
    re.IGNORECASE | re.VERBOSE,
)


def unit_key(number: str) -> str:
    """The number as compared and searched: no spaces, a Latin `A` for the Cyrillic one."""
    return re.sub(r"\s", "", number).upper().replace("А", "A")


def find_units(text: str) -> list[Span]:
    """Every unit number mentioned in `text`, in order, with the span of its mention."""
    return [
        Span("unit", unit_key(match.group("number")), match.start(), match.end())
        for match in _UNIT.finditer(text)
    ]
