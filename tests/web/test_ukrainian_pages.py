"""No English and no Russian on a Ukrainian page: the public desk's pages, the receipt, the
status page of a worked complaint, and the staff's case page and lists are scanned for the
interface's English words, its Russian words that Ukrainian does not share, and the letters
only Russian has. The complaint, the replies and the notes are written in Ukrainian, as a
Ukrainian user would write them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from nadzor.cases.domain import Actor, Role
from tests.conftest import STAFF_NAMES, cheapen_argon2
from tests.web.ukrainian_words import foreign_on_ukrainian_page, russian_only_words
from tests.web.worked_complaint import Words, work_complaint

pytestmark = pytest.mark.django_db

_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_RECEIPT = re.compile(r'id="receipt"[^>]*>([0-9\u00a0 ]{19})</p>')


@pytest.fixture
def worked_case(staff: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A complaint in Ukrainian with two problems and a file, split into two cases; one
    worked to a sent-home remedy approved by a supervisor, with a note; the mother wrote
    again."""
    cheapen_argon2(monkeypatch)
    return work_complaint(
        staff,
        Words(
            language="uk",
            region="Свердловська область",
            text="Сина призвали з категорією Д, зимову форму не видали.",
            file_name="довідка.pdf",
            reply="Перевіряємо.",
            approval="Військкомат підтвердив.",
            note="Зателефонували до військкомату.",
            message="Сина досі не відпустили.",
        ),
    )


def _post(client: Client, path: str, data: dict[str, Any], status: int = 200) -> str:
    token = _TOKEN.search(client.get(path).content.decode())
    assert token, path
    response = client.post(path, {**data, "csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == status, path
    return str(response.content.decode())


def test_the_public_desk_in_ukrainian_has_no_english_or_russian() -> None:
    client = Client(enforce_csrf_checks=True)
    pages = {path: client.get(f"{path}?lang=uk") for path in ("/", "/complaints/new")}
    pages["/complaints/status"] = client.get(
        "/complaints/status", HTTP_ACCEPT_LANGUAGE="uk-UA,uk;q=0.9"
    )
    for path, response in pages.items():
        page = response.content.decode()
        assert response["Content-Language"] == "uk" and '<html lang="uk">' in page, path
        assert foreign_on_ukrainian_page(page) == [], path
    receipt = _post(
        client,
        "/complaints/new?lang=uk",
        {
            "category": "provision",
            "reason": "provision:winter_uniform",
            "region": "Курська область",
            "text": "Третій місяць не видають зимову форму.",
        },
    )
    assert "Вашу скаргу отримано" in receipt and _RECEIPT.search(receipt)
    assert foreign_on_ukrainian_page(receipt) == []
    refused = _post(client, "/complaints/new?lang=uk", {"category": "provision", "text": ""}, 400)
    assert "Некоторые" not in refused and "Опишіть, що сталося." in refused
    assert foreign_on_ukrainian_page(refused) == []


def test_the_ukrainian_status_page_has_no_english_or_russian(worked_case: dict[str, Any]) -> None:
    page = _post(Client(), "/complaints/status?lang=uk", {"code": worked_case["code"]})

    assert "Порушення усунуто" in page and "Перевіряємо." in page
    assert "Сина досі не відпустили." in page
    assert foreign_on_ukrainian_page(page) == []


def test_the_ukrainian_case_page_has_no_english_or_russian(
    client: Any, worked_case: dict[str, Any]
) -> None:
    from nadzor.store.models import User

    names = set(STAFF_NAMES.values())
    client.force_login(User.objects.get(username=STAFF_NAMES["supervisor"]))
    for reference in (worked_case["main"], worked_case["other"]):
        page = client.get(f"/staff/cases/{reference}/?lang=uk").content.decode()
        assert '<html lang="uk">' in page and "Виявлені порушення" in page, reference
        assert foreign_on_ukrainian_page(page, names) == [], reference
    main = client.get(f"/staff/cases/{worked_case['main']}/?lang=uk").content.decode()
    assert "Свердловська область" in main and "відпущений додому" in main
    for url in (
        "/staff/cases/?lang=uk&scope=all",
        "/staff/?lang=uk",
        "/staff/approvals/?lang=uk",
        "/staff/complaints/?lang=uk&status=all",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert foreign_on_ukrainian_page(response.content.decode(), names) == [], url


def test_the_scan_catches_english_and_russian() -> None:
    assert "жалоба" in russian_only_words() and "скарга" not in russian_only_words()
    assert foreign_on_ukrainian_page("<p>Статус: resolved. Жалоба получена.</p>") == [
        "resolved",
        "жалоба",
        "получена",
    ]
    assert foreign_on_ukrainian_page("<p>Ещё</p>") == ["letter ё", "ещё"]
    assert (
        foreign_on_ukrainian_page("<p>Скаргу отримано · NZ-2026-000001 · sofia</p>", {"sofia"})
        == []
    )
