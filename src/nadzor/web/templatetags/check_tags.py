"""Template filters of the self-check: an item of a mapping or a list by key or index, and
a rulebook's text in the page's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import template

from nadzor.rules import Texts

register = template.Library()


@register.filter
def get_item(container: Any, key: Any) -> Any:
    """`container[key]` for a mapping or a list, or None when it has no such item."""
    if isinstance(container, Mapping):
        return container.get(key)
    if isinstance(container, Sequence) and isinstance(key, int):
        return container[key] if 0 <= key < len(container) else None
    return None


@register.filter
def given_in(text: Any, lang: str) -> str:
    """A rulebook's text in `lang` only where the rulebook gives it so, else empty (the page
    then says it in its own words)."""
    if isinstance(text, Texts) and lang in text.languages:
        return text.get(lang)
    return str(text) if lang == "en" else ""
