"""No English on a Russian or Ukrainian page: the case page and the public status page (and,
in Ukrainian, the staff lists, reports and intake), filled with a complaint, its messages,
files, a split, an approval and a history, are scanned for the English words of the interface (every word of the catalogue's English texts, and the
machine words of statuses, kinds, remedies, reasons and audit actions).

Proper names and identifiers (user names, references, hashes, file names, "nadzor") are
not in that list, so they may appear; anything else in Latin letters must be translated.
"""

from __future__ import annotations

import gettext
import html
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nadzor.cases.domain import Actor, Kind, Remedy, Role, Status
from nadzor.complaints.domain import CallupReason, Category, ProvisionItem
from tests.conftest import STAFF_NAMES, cheapen_argon2
from tests.web.worked_complaint import Words, work_complaint

pytestmark = pytest.mark.django_db

LOCALE = Path(__file__).resolve().parents[2] / "src/nadzor/web/locale/ru/LC_MESSAGES/django.mo"
# words the interface shares with names and codes it must show as they are
ALLOWED = {"nadzor", "sha", "pdf", "api", "ip", "nz", "utc", "mb", "kb", "english", "telegram"}
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")


def english_words() -> set[str]:
    """Every word of the interface's English texts, and the machine words."""
    with LOCALE.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    words: set[str] = set()
    for key in catalogue:
        text = key[0] if isinstance(key, tuple) else key
        text = str(text).split("\x04")[-1]
        text = re.sub(r"%\([a-z_]+\)s|\{\{[^}]*\}\}", " ", text)
        words |= {w.lower() for w in _WORD.findall(text) if len(w) > 2}
    machine = [
        *(s.value for s in Status),
        *(k.value for k in Kind),
        *(r.value for r in Remedy),
        *(c.value for c in Category),
        *(r.value for r in CallupReason),
        *(i.value for i in ProvisionItem),
        *[
            "case",
            "create",
            "update",
            "status",
            "note",
            "link",
            "message",
            "split",
            "evidence",
            "add",
            "view",
        ],
    ]
    for value in machine:
        words |= {part for part in re.split(r"[_.]", value) if len(part) > 2}
    return words - ALLOWED


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(page)


def english_in(page: str, names: set[str]) -> list[str]:
    text = visible_text(page)
    found = {w.lower() for w in _WORD.findall(text)}
    return sorted((found & english_words()) - names)


@pytest.fixture
def worked_case(staff: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A complaint with two problems, a file and messages, split into two cases; one worked
    to a sent-home remedy approved by a supervisor, with a note; the mother wrote again."""
    cheapen_argon2(monkeypatch)
    return work_complaint(
        staff,
        Words(
            language="ru",
            region="Sverdlovsk Oblast",
            text="Сына призвали с категорией Д, зимнюю форму не выдали.",
            file_name="справка.pdf",
            reply="Проверяем.",
            approval="Военкомат подтвердил.",
            note="Позвонили в военкомат.",
            message="Сына так и не отпустили.",
        ),
    )


def test_the_russian_case_page_has_no_english(
    client: Any, worked_case: dict[str, Any], staff: dict[Role, Actor]
) -> None:
    from nadzor.store.models import User

    names = {name.lower() for name in STAFF_NAMES.values()}
    client.force_login(User.objects.get(username=STAFF_NAMES["supervisor"]))
    for reference in (worked_case["main"], worked_case["other"]):
        page = client.get(f"/staff/cases/{reference}/?lang=ru").content.decode()
        assert "Нарушение" in page or "нарушение" in page or reference in page
        assert english_in(page, names) == [], reference
    for url in ("/staff/cases/?lang=ru&scope=all", "/staff/?lang=ru", "/staff/approvals/?lang=ru"):
        assert english_in(client.get(url).content.decode(), names) == [], url


def test_the_ukrainian_staff_pages_have_no_english_and_no_russian(
    client: Any, worked_case: dict[str, Any], staff: dict[Role, Actor]
) -> None:
    """The same worked case read by a supervisor in Ukrainian: the case pages, the lists,
    the reports and the intake page. The reports carry no text anyone typed, so a letter
    only Russian has (ы, э, ъ, ё) there is a word left untranslated."""
    from nadzor.store.models import User

    names = {name.lower() for name in STAFF_NAMES.values()}
    client.force_login(User.objects.get(username=STAFF_NAMES["supervisor"]))
    for reference in (worked_case["main"], worked_case["other"]):
        page = client.get(f"/staff/cases/{reference}/?lang=uk").content.decode()
        assert "Історія" in page and "Свердловська область" in page
        assert english_in(page, names) == [], reference
    for url in (
        "/staff/?lang=uk",
        "/staff/cases/?lang=uk&scope=all",
        "/staff/approvals/?lang=uk",
        "/staff/intake/?lang=uk",
    ):
        assert english_in(client.get(url).content.decode(), names) == [], url
    report = client.get("/staff/reports/?lang=uk").content.decode()
    # each figure's query, hidden on the screen, is printed in the PDF for an auditor
    report = re.sub(r'<(td|span) class="filter">[^<]*</\1>', "", report)
    assert "Отримано скарг" in report and "Свердловська область" in report
    assert english_in(report, names) == []
    assert re.findall(r"\w*[ыэъёЫЭЪЁ]\w*", visible_text(report)) == []


def test_the_russian_status_page_has_no_english(client: Any, worked_case: dict[str, Any]) -> None:
    from django.test import Client

    browser = Client()
    form = browser.get("/complaints/status?lang=ru").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    assert token
    response = browser.post(
        "/complaints/status?lang=ru",
        {"code": worked_case["code"], "csrfmiddlewaretoken": token.group(1)},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Что сделано:" in page and "Человека отпустили домой." in page
    assert "мск" in page
    assert english_in(page, set()) == []


def test_the_scan_catches_english() -> None:
    assert english_in("<p>Статус: resolved, case.create</p>", set()) == [
        "case",
        "create",
        "resolved",
    ]
    assert english_in("<p>sofia · NZ-2026-000001 · SHA-256</p>", {"sofia"}) == []


_ = Callable  # typing helper kept for readers of the fixtures
