"""Template context: the active language and the other one, for the visible switch."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import pgettext

from nadzor.web._settings import LANGUAGES

__all__ = ["language"]


def language(request: HttpRequest) -> dict[str, object]:
    current = getattr(request, "LANGUAGE_CODE", "ru")
    return {
        "lang": current,
        "other_languages": [(code, name) for code, name in LANGUAGES if code != current],
        "zone": zone_label(),
    }


def zone_label() -> str:
    """The desk's time zone as people say it after a time: `MSK` (мск) for Moscow, else
    the zone's name."""
    name = timezone.get_current_timezone_name()
    if name == "Europe/Moscow":
        return pgettext("time zone", "MSK")
    return name
