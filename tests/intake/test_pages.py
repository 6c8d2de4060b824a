"""The intake pages: adding a file and a text, the triage of groups, one item's page with
its copies, suggestions, verification and links, all in Russian; roles kept to their part."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nadzor.cases.domain import Actor, Role
from tests.conftest import STAFF_NAMES, cheapen_argon2
from tests.intake.media import STORIES, paraphrase

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    cheapen_argon2(monkeypatch)


@pytest.fixture
def browser(staff: dict[Role, Actor]) -> Callable[[Role], Any]:
    from django.test import Client

    from nadzor.store.models import User

    def make(role: Role) -> Client:
        client = Client()
        client.force_login(User.objects.get(username=STAFF_NAMES[role.value]))
        return client

    return make


def _work() -> None:
    from nadzor.intake.services import work

    work(until_idle=True)


def _visible(html: str) -> str:
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


# English words of these pages that must never reach a Russian page
_ENGLISH = re.compile(
    r"\b(Material|Add|Copies|Search|Source|Verification|Links|processed|unverified|image|video"
    r"|queued|failed|place|unit)\b"
)


def test_add_a_picture_and_texts_and_triage_them_in_russian(
    browser: Callable[[Role], Any], pictures: dict[str, Path]
) -> None:
    from nadzor.store.models import AuditEntry, IntakeItem

    ira = browser(Role.INTAKE)
    page = ira.get("/staff/intake/?lang=ru")
    assert page.status_code == 200
    assert "Материалы" in page.content.decode() and "Добавить материал" in page.content.decode()
    with pictures["original"].open("rb") as handle:
        sent = ira.post(
            "/staff/intake/add?lang=ru",
            {"file": handle, "source_url": "https://t.me/x/1", "platform": "telegram",
             "published_at": "2022-10-12", "language": "ru", "note": ""},
        )  # fmt: skip
    assert sent.status_code == 302
    item = IntakeItem.objects.get()
    assert sent["Location"].startswith(f"/staff/intake/{item.sha256}/")
    with pictures["crop"].open("rb") as handle:
        ira.post("/staff/intake/add?lang=ru", {"file": handle, "language": "ru"})
    for text in (STORIES[0], paraphrase(STORIES[0])):
        ira.post("/staff/intake/add?lang=ru", {"text": text, "language": "ru"})
    again = ira.post("/staff/intake/add?lang=ru", {"text": STORIES[0]}, follow=True)
    assert "Точно такой же файл уже есть" in again.content.decode()
    _work()
    triage = ira.get("/staff/intake/?lang=ru").content.decode()
    shown = _visible(triage)
    assert "Группы копий" in shown and not _ENGLISH.search(shown), _ENGLISH.search(shown)
    assert [int(n) for n in re.findall(r'cluster=[0-9a-f]{64}">(\d+)<', triage)] == [2, 2]
    page = ira.get(f"/staff/intake/{item.sha256}/?lang=ru")
    shown = _visible(page.content.decode())
    assert "2 материала в этой группе" in shown and "обработано" in shown
    assert not _ENGLISH.search(shown), _ENGLISH.search(shown)
    # two views of item pages: after the repeated text (redirected to it), and this one
    assert AuditEntry.objects.filter(action="intake.view").count() == 2
    view = ira.get(f"/staff/intake/{item.sha256}/view.jpg")
    assert view.status_code == 200 and view["Content-Type"] == "image/jpeg"
    original = ira.get(f"/staff/intake/{item.sha256}/original")
    assert b"".join(original.streaming_content) == pictures["original"].read_bytes()
    assert original["Content-Disposition"].startswith("attachment")
    assert AuditEntry.objects.filter(action="intake.file").count() == 1


def test_suggestions_verification_and_links_on_the_item_page(
    browser: Callable[[Role], Any], case: Any
) -> None:
    from nadzor.store.models import IntakeItem

    ivan = browser(Role.INVESTIGATOR)
    sofia = browser(Role.SUPERVISOR)
    text = "Мобилизованных из в/ч 12345 держат в палатках под Нижним Новгородом."
    ivan.post("/staff/intake/add?lang=ru", {"text": text})
    item = IntakeItem.objects.get()
    _work()
    page = _visible(ivan.get(f"/staff/intake/{item.sha256}/?lang=ru").content.decode())
    assert "воинская часть: 12345" in page and "место: Нижний Новгород" in page
    refused = sofia.post(f"/staff/intake/{item.sha256}/verify?lang=ru", {"status": "verified"})
    assert refused.status_code == 422 and "укажите причину" in refused.content.decode()
    sofia.post(
        f"/staff/intake/{item.sha256}/verify?lang=ru",
        {"status": "corroborated", "reason": "два независимых источника"},
    )
    linked = sofia.post(f"/staff/intake/{item.sha256}/link?lang=ru", {"target": case.reference})
    assert linked.status_code == 302
    wrong = sofia.post(f"/staff/intake/{item.sha256}/link?lang=ru", {"target": "что-то"})
    assert wrong.status_code == 422
    page = _visible(sofia.get(f"/staff/intake/{item.sha256}/?lang=ru").content.decode())
    assert "подтверждается другими источниками: два независимых источника" in page
    assert case.reference in page
    units = ivan.get("/staff/intake/?lang=ru&unit=в/ч+12345").content.decode()
    assert item.sha256 in units
    assert item.sha256 not in ivan.get("/staff/intake/?lang=ru&unit=99999").content.decode()


def test_roles_without_intake_get_the_plain_refusal(
    browser: Callable[[Role], Any], staff: dict[Role, Actor]
) -> None:
    from nadzor.intake.services import Provenance, add_text

    item = add_text(staff[Role.INTAKE], STORIES[1], Provenance()).item
    for role in (Role.ANALYST, Role.ADMIN):
        client = browser(role)
        assert client.get("/staff/intake/?lang=ru").status_code == 403
        assert client.get(f"/staff/intake/{item.sha256}/?lang=ru").status_code == 403
        assert "/staff/intake/" not in client.get("/staff/cases/?lang=ru").content.decode()
    ira = browser(Role.INTAKE)
    assert 'href="/staff/intake/?lang=ru"' in ira.get("/staff/intake/?lang=ru").content.decode()
    # intake staff may not set a verification status
    assert (
        ira.post(
            f"/staff/intake/{item.sha256}/verify", {"status": "verified", "reason": "x"}
        ).status_code
        == 403
    )
    missing = "0" * 64
    assert ira.get(f"/staff/intake/{missing}/?lang=ru").status_code == 404


def test_an_empty_form_and_a_refused_type_say_so_in_russian(
    browser: Callable[[Role], Any], tmp_path: Path
) -> None:
    ira = browser(Role.INTAKE)
    empty = ira.post("/staff/intake/add?lang=ru", {"text": "  "})
    assert empty.status_code == 422 and "Выберите файл или вставьте текст" in empty.content.decode()
    program = tmp_path / "clip.mp4"
    program.write_bytes(b"\x7fELF\x02\x01\x01" + b"\x00" * 200)
    with program.open("rb") as handle:
        refused = ira.post("/staff/intake/add?lang=ru", {"file": handle})
    assert refused.status_code == 422
    assert "Файлы такого типа не принимаются" in refused.content.decode()
    bad_date = ira.post("/staff/intake/add?lang=ru", {"text": "пост", "published_at": "вчера"})
    assert bad_date.status_code == 422 and "ГГГГ-ММ-ДД" in bad_date.content.decode()


def test_the_item_page_watches_its_background_work_until_it_is_done(
    browser: Callable[[Role], Any], staff: dict[Role, Actor]
) -> None:
    from nadzor.intake.services import Provenance, add_text
    from nadzor.store.models import AuditEntry

    item = add_text(staff[Role.INTAKE], STORIES[0], Provenance(platform="Telegram")).item
    client = browser(Role.INTAKE)
    page = client.get(f"/staff/intake/{item.sha256}/", {"lang": "ru"}).content.decode()
    # with JavaScript the section polls itself; without it the page refreshes, or a link does
    assert 'hx-trigger="every 3s"' in page and 'http-equiv="refresh"' in page
    assert f'hx-get="/staff/intake/{item.sha256}/progress' in page
    views = AuditEntry.objects.filter(action="intake.view").count()
    running = client.get(f"/staff/intake/{item.sha256}/progress", {"lang": "ru"})
    assert running.status_code == 200
    fragment = running.content.decode()
    assert fragment.lstrip().startswith('<section class="card" id="intake-progress"')
    assert 'data-working="yes"' in fragment and 'hx-trigger="every 3s"' in fragment
    assert sorted(re.findall(r'data-state="(\w+)"', fragment)) == ["queued", "queued"]
    assert "ждёт обработки" in _visible(fragment) and "Обновить" in _visible(fragment)
    _work()
    done = client.get(f"/staff/intake/{item.sha256}/progress", {"lang": "ru"}).content.decode()
    assert 'data-working="no"' in done and "hx-trigger" not in done and "hx-get" not in done
    assert sorted(re.findall(r'data-state="(\w+)"', done)) == ["done", "done"]
    assert "Показать результаты" in _visible(done)
    assert not _ENGLISH.search(_visible(done))
    # watching the work shows no content: it is not a view of the item
    assert AuditEntry.objects.filter(action="intake.view").count() == views
    finished = client.get(f"/staff/intake/{item.sha256}/", {"lang": "ru"}).content.decode()
    assert "hx-trigger" not in finished and 'http-equiv="refresh"' not in finished
    assert browser(Role.ANALYST).get(f"/staff/intake/{item.sha256}/progress").status_code == 403
