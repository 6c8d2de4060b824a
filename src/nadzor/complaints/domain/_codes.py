"""Receipt codes: 16 random digits, shown once in groups of four, typed back in any grouping."""

from __future__ import annotations

import re
import secrets

__all__ = ["CODE_DIGITS", "format_code", "new_receipt_code", "normalize_code"]

CODE_DIGITS = 16
# Longer input is not a code however it is spaced: refused without further work.
_MAX_INPUT = 64
# what may separate the groups: spaces of any kind and dashes of any kind
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")
_DIGITS = re.compile(r"[0-9]{16}")


def new_receipt_code() -> str:
    """16 digits from the operating system's secure random source (about 53 bits)."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def format_code(code: str) -> str:
    """`1234 5678 9012 3456`: the code in groups of four, as it is shown to the person."""
    digits = normalize_code(code)
    if digits is None:
        raise ValueError("a receipt code has exactly 16 digits")
    return " ".join(digits[i : i + 4] for i in range(0, CODE_DIGITS, 4))


def normalize_code(text: str) -> str | None:
    """The 16 digits of a code typed with or without spaces or dashes; None for anything else."""
    if not isinstance(text, str) or len(text) > _MAX_INPUT:
        return None
    digits = _SEPARATORS.sub("", text)
    return digits if _DIGITS.fullmatch(digits) else None
