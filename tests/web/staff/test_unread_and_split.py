"""Staff pages: a complainant's message is marked unread everywhere until staff answer it,
and a complaint reporting several problems is split into cases from its page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from nadzor.cases.domain import Actor, Remedy, Role, Status, TransitionRequest

pytestmark = pytest.mark.django_db

S, V, IT = Role.SUPERVISOR, Role.INVESTIGATOR, Role.INTAKE


def page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return str(response.content.decode())


def post_form(client: Any, url: str, data: dict[str, Any]) -> Any:
    return client.post(url, data)


@pytest.fixture
def resolved(staff: dict[Role, Actor], submit: Callable[..., Any]) -> dict[str, Any]:
    """A complaint whose case ivan resolved; then the mother writes again."""
    from nadzor.cases.services import transition
    from nadzor.complaints.services import add_public_message, open_case

    receipt = submit()
    boss, ivan = staff[S], staff[V]
    case = open_case(boss, receipt.complaint_id)
    for request in (
        TransitionRequest(Status.TRIAGE, "к работе"),
        TransitionRequest(Status.INVESTIGATING, "проверка", assignee=ivan.name),
        TransitionRequest(Status.REMEDY_REQUESTED, "запрос"),
        TransitionRequest(Status.RESOLVED, "выдали", remedy=Remedy.KIT_ISSUED),
    ):
        transition(boss, case.reference, request)
    add_public_message(receipt.code, "Сына так и не отпустили.")
    return {"number": receipt.complaint_id, "reference": case.reference, "code": receipt.code}


def test_the_message_shows_as_unread_everywhere(
    browser: Callable[..., Any], resolved: dict[str, Any]
) -> None:
    ref, number = resolved["reference"], resolved["number"]
    ivan, boss = browser(V), browser(S)
    # the investigator's own list brings the resolved case back, marked
    mine = page(ivan, "/staff/cases/?lang=ru")
    assert ref in mine and "1 непрочитанное" in mine
    my_unread = page(ivan, "/staff/cases/?lang=ru&scope=mine&unread=1")
    assert ref in my_unread
    # the supervisor: dashboard count with a link, the case list, the case and the inbox
    dashboard = page(boss, "/staff/?lang=ru")
    assert "Непрочитанные сообщения от заявителей" in dashboard
    assert re.search(r'scope=all&amp;unread=1[^>]*><span class="unread">1</span>', dashboard)
    assert ref in page(boss, "/staff/cases/?lang=ru&scope=all&unread=1")
    assert "1 непрочитанное" in page(boss, f"/staff/cases/{ref}/?lang=ru")
    inbox = page(boss, "/staff/complaints/?lang=ru&status=unread")
    assert f"complaint-{number}" in inbox and "1 непрочитанное" in inbox
    complaint = page(boss, f"/staff/complaints/{number}/?lang=ru")
    assert "не прочитано" in complaint and "Сына так и не отпустили." in complaint


def test_a_reply_marks_the_messages_read(
    browser: Callable[..., Any], resolved: dict[str, Any]
) -> None:
    ref, number = resolved["reference"], resolved["number"]
    ivan = browser(V)
    token_page = page(ivan, f"/staff/complaints/{number}/?lang=ru")
    assert "не прочитано" in token_page
    sent = post_form(ivan, f"/staff/complaints/{number}/reply?lang=ru", {"text": "Разбираемся."})
    assert sent.status_code == 302
    assert "1 непрочитанное" not in page(ivan, "/staff/cases/?lang=ru&scope=all")
    assert ref not in page(ivan, "/staff/cases/?lang=ru&scope=mine&unread=1")
    assert ref not in page(ivan, "/staff/cases/?lang=ru")  # resolved and answered: off the list
    assert "не прочитано" not in page(ivan, f"/staff/complaints/{number}/?lang=ru")


def test_messages_can_be_marked_read_without_a_reply(
    browser: Callable[..., Any], resolved: dict[str, Any]
) -> None:
    number = resolved["number"]
    boss = browser(S)
    done = post_form(boss, f"/staff/complaints/{number}/read?lang=ru", {})
    assert done.status_code == 302
    assert "не прочитано" not in page(boss, f"/staff/complaints/{number}/?lang=ru")


def test_a_complaint_with_two_problems_is_split_from_its_page(
    browser: Callable[..., Any], submit: Callable[..., Any]
) -> None:
    from nadzor.store.models import Case

    receipt = submit(
        category=["unlawful_callup", "provision"],
        reason={"unlawful_callup": "health", "provision": "winter_uniform"},
    )
    intake = browser(IT)
    before = page(intake, f"/staff/complaints/{receipt.complaint_id}/?lang=ru")
    assert "Несколько проблем: отдельное дело по каждой" in before
    response = post_form(
        intake,
        f"/staff/complaints/{receipt.complaint_id}/split?lang=ru",
        {"category": ["unlawful_callup", "provision"]},
    )
    assert response.status_code == 302
    kinds = sorted(Case.objects.values_list("kind", flat=True))
    assert kinds == ["provision", "unlawful_callup"]
    after = page(intake, f"/staff/complaints/{receipt.complaint_id}/?lang=ru")
    for reference in Case.objects.values_list("reference", flat=True):
        assert reference in after
    assert "Несколько проблем" not in after  # nothing left to split
