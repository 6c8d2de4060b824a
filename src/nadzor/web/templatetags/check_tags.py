"""Template filters of the self-check: an item of a mapping or a list by key or index."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(container: Any, key: Any) -> Any:
    """`container[key]` for a mapping or a list, or None when it has no such item."""
    if isinstance(container, Mapping):
        return container.get(key)
    if isinstance(container, Sequence) and isinstance(key, int):
        return container[key] if 0 <= key < len(container) else None
    return None
