"""The workspace in Russian (the default) and English, chosen by `?lang=` or the browser,
kept in every link and form."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from nadzor.cases.domain import Role
from tests.web.staff.conftest import text_of

pytestmark = pytest.mark.django_db

S = Role.SUPERVISOR
ENGLISH = ("Next steps", "Facts", "Findings", "Evidence", "Sign out", "Status", "Cases")


def test_russian_by_default(browser: Callable[..., Any], case: Any) -> None:
    response = browser(S).get(f"/staff/cases/{case.reference}/")
    assert response["Content-Language"] == "ru"
    page = text_of(response)
    for words in ("Дальнейшие шаги", "Сведения", "Материалы", "Выйти", "Статус"):
        assert words in page
    for words in ENGLISH:
        assert words not in page


def test_english_on_request_and_kept_in_links_and_forms(
    browser: Callable[..., Any], case: Any
) -> None:
    response = browser(S).get(f"/staff/cases/{case.reference}/?lang=en")
    assert response["Content-Language"] == "en"
    html = response.content.decode()
    for words in ENGLISH:
        assert words in html
    actions = re.findall(r'<form[^>]* action="([^"]+)"', html)
    assert actions and all("lang=en" in action for action in actions)
    # every link but the language switch (and file downloads, which have no language)
    links = re.findall(r'<a href="(/staff/[^"]*)"(?! lang=)', html)
    assert links and all("lang=en" in link for link in links if "/evidence/" not in link)


def test_a_refusal_from_the_services_in_russian(browser: Callable[..., Any], case: Any) -> None:
    response = browser(S).post(f"/staff/cases/{case.reference}/notes?lang=ru", {"text": ""})
    assert response.status_code == 422
    assert "Заметка не может быть пустой." in text_of(response)
    # triage needs no reason; closing as unfounded does
    url = f"/staff/cases/{case.reference}/transition?lang=ru"
    assert browser(S).post(url, {"target": "triage", "reason": ""}).status_code == 302
    step = browser(S).post(url, {"target": "closed_unfounded", "reason": ""})
    assert "Нужна причина" in text_of(step)


def test_counts_in_russian_plural_forms(browser: Callable[..., Any], case: Any) -> None:
    assert "1 дело" in text_of(browser(S).get("/staff/cases/?lang=ru"))


def test_the_browser_language_is_used_without_a_parameter(browser: Callable[..., Any]) -> None:
    page = browser(None).get("/staff/login", headers={"accept-language": "en-GB,en;q=0.9"})
    assert "Staff sign-in" in text_of(page)
    russian = browser(None).get("/staff/login", headers={"accept-language": "ru-RU"})
    assert "Вход для сотрудников" in text_of(russian)


def test_every_staff_text_has_a_russian_translation() -> None:
    """A text added to a staff page or view without its Russian entry shows in English."""
    from pathlib import Path

    from django.utils import translation
    from django.utils.translation import pgettext

    import nadzor.web

    web = Path(nadzor.web.__file__).parent
    tag = re.compile(r'\{% translate "([^"]+)" context "(staff[^"]*)"')
    call = re.compile(r'pgettext\(\s*"(staff)",\s*"([^"]+)"\s*[),]')
    found = set()
    for template in (web / "templates" / "nadzor" / "staff").glob("*.html"):
        found |= {(c, m) for m, c in tag.findall(template.read_text())}
    for module in (web / "staff").glob("*.py"):
        found |= set(call.findall(module.read_text()))
    assert len(found) > 150
    with translation.override("ru"):
        untranslated = sorted((c, m) for c, m in found if pgettext(c, m) == m)
    assert untranslated == []
