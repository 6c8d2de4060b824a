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


@register.filter
def case_title(title: str) -> str:
    """A case's title in the page's language (titles the system gave are recognised)."""
    from nadzor.web.staff._history import case_title as words

    return words(title)


@register.filter
def desk_time(stamp: str) -> str:
    """An audit entry's UTC stamp (`2026-11-26T12:00:00.123456Z`) in the desk's time zone,
    to the minute."""
    import datetime as dt

    from django.utils import timezone

    try:
        moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@register.filter
def region_name(text: str) -> str:
    """A region in the page's language: a federal subject by its Russian or English name,
    any other place as it was typed."""
    from django.utils.translation import get_language

    from nadzor.cases.domain import find_region
    from nadzor.cases.domain import region_name as name_in

    region = find_region(text or "")
    if region is None:
        return text
    return name_in(region, (get_language() or "ru").split("-")[0])


@register.filter
def law_day(day: Any) -> str:
    """A date as the page's language writes it in a legal text (28.09.2022 in Russian and
    Ukrainian, 2022-09-28 in English): the same form the findings' explanations use."""
    from django.utils.translation import get_language

    from nadzor.rules import language_forms

    if not day:
        return ""
    return str(day.strftime(language_forms((get_language() or "ru")[:2]).date_format))
