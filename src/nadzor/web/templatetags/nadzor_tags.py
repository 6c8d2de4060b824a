"""Template tags: links that carry the page's language (`?lang=`), and grouped receipt codes."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def lang_url(context: dict[str, Any], name: str, *args: Any, **params: Any) -> str:
    """The URL of view `name` with `?lang=` of the current page (and any other parameters)."""
    query = {
        "lang": context.get("lang", "ru"),
        **{k: v for k, v in params.items() if v not in (None, "")},
    }
    return f"{reverse(name, args=args)}?{urlencode(query)}"


@register.simple_tag(takes_context=True)
def switch_lang(context: dict[str, Any], code: str) -> str:
    """This page's URL in language `code`, other query parameters kept."""
    request = context["request"]
    query = request.GET.copy()
    query["lang"] = code
    return f"{request.path}?{query.urlencode()}"


@register.filter
def grouped(code: str) -> str:
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))
