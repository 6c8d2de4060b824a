"""Template context: the active language and the other one, for the visible switch."""

from __future__ import annotations

from django.http import HttpRequest

from nadzor.web._settings import LANGUAGES

__all__ = ["language"]


def language(request: HttpRequest) -> dict[str, object]:
    current = getattr(request, "LANGUAGE_CODE", "ru")
    return {
        "lang": current,
        "other_languages": [(code, name) for code, name in LANGUAGES if code != current],
    }
