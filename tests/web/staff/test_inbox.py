"""Triage: the inbox of new complaints, possible duplicates, and the one-click steps with and
without HTMX."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from nadzor.cases.domain import Actor, Role
from tests.web.staff.conftest import text_of

pytestmark = pytest.mark.django_db

IT, V, S = Role.INTAKE, Role.INVESTIGATOR, Role.SUPERVISOR
HTMX = {"HX-Request": "true"}


def cards(response: Any) -> list[int]:
    return [
        int(n)
        for n in re.findall(
            r'<article class="card complaint" id="complaint-(\d+)"', response.content.decode()
        )
    ]


def complaint(number: int) -> Any:
    from nadzor.store.models import Complaint

    return Complaint.objects.select_related("case").get(pk=number)


@pytest.fixture
def three(submit: Callable[..., Any], staff: dict[Role, Actor]) -> list[int]:
    """Three new complaints received on three days, the second one first."""
    from nadzor.store.models import Complaint

    now = timezone.now()
    numbers = [
        submit(
            text="Нет бронежилетов у целого взвода, командир молчит.", facility="в/ч 11111"
        ).complaint_id,
        submit(
            text="Кормят раз в день, вода только техническая.", facility="в/ч 22222"
        ).complaint_id,
        submit(
            text="Призвали студента очной формы обучения.",
            facility="военкомат",
            category="unlawful_callup",
            reason="student",
        ).complaint_id,
    ]
    for days, number in zip((2, 3, 1), numbers, strict=True):
        Complaint.objects.filter(pk=number).update(created_at=now - dt.timedelta(days=days))
    return numbers


def test_new_complaints_oldest_first(browser: Callable[..., Any], three: list[int]) -> None:
    response = browser(IT).get("/staff/complaints/?lang=en")
    assert response.status_code == 200
    assert cards(response) == [three[1], three[0], three[2]]
    page = text_of(response)
    assert "3 complaints" in page
    assert "Open a case" in page and "Link to case" in page


def test_possible_duplicates_are_shown_on_each_card(
    browser: Callable[..., Any], submit: Callable[..., Any], staff: dict[Role, Actor]
) -> None:
    from nadzor.complaints.services import open_case

    first = submit().complaint_id
    second = submit(text="Другими словами: в в/ч 12345 нет зимней формы и отопления.").complaint_id
    unrelated = submit(
        text="Совсем другое дело.", facility="госпиталь", occurred_on="2026-05-01"
    ).complaint_id
    case = open_case(staff[S], first)
    page = browser(IT).get("/staff/complaints/?lang=en").content.decode()
    card = page.split(f'id="complaint-{second}"', 1)[1].split("</article>", 1)[0]
    assert f"/staff/complaints/{first}/" in card
    assert "same facility and period" in card
    # one click links it to the case of its duplicate
    assert f'name="reference" value="{case.reference}"' in card
    other = page.split(f'id="complaint-{unrelated}"', 1)[1].split("</article>", 1)[0]
    assert "possible duplicate" not in other


def test_open_a_case_with_htmx_swaps_the_card(
    browser: Callable[..., Any], three: list[int]
) -> None:
    number = three[0]
    response = browser(IT).post(
        f"/staff/complaints/{number}/open-case?lang=en", {"back": "inbox"}, headers=HTMX
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith(f'<article class="card complaint" id="complaint-{number}"')
    reference = complaint(number).case.reference
    assert f"Case {reference} was opened for complaint {number}." in text_of(response)
    assert f'href="/staff/cases/{reference}/?lang=en"' in body
    assert "Open a case" not in body  # done: no second case for it


def test_link_by_reference_without_javascript(
    browser: Callable[..., Any], three: list[int], case: Any
) -> None:
    client = browser(IT)
    response = client.post(
        f"/staff/complaints/{three[1]}/link?lang=en",
        {"back": "inbox", "reference": f"  {case.reference.lower()} "},
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/complaints/?lang=en"
    assert complaint(three[1]).case_id == case.pk
    inbox = client.get(response["Location"])
    assert f"The complaint was linked to case {case.reference}." in text_of(inbox)
    assert three[1] not in cards(inbox)  # no longer new
    assert three[1] in cards(client.get("/staff/complaints/?status=linked"))


def test_a_wrong_reference_keeps_what_was_typed(
    browser: Callable[..., Any], three: list[int]
) -> None:
    client = browser(IT)
    url = f"/staff/complaints/{three[0]}/link?lang=en"
    plain = client.post(url, {"back": "inbox", "reference": "NZ-2020-424242"})
    assert plain.status_code == 422
    card = plain.content.decode().split(f'id="complaint-{three[0]}"', 1)[1].split("</article>")[0]
    assert 'value="NZ-2020-424242"' in card
    assert 'class="notice bad"' in card
    with_htmx = client.post(url, {"back": "inbox", "reference": "NZ-2020-424242"}, headers=HTMX)
    assert with_htmx.status_code == 200  # HTMX swaps only successful answers
    assert 'value="NZ-2020-424242"' in with_htmx.content.decode()
    assert complaint(three[0]).case_id is None
    empty = client.post(url, {"back": "inbox", "reference": ""})
    assert "Give the reference of the case" in text_of(empty)


def test_move_a_linked_complaint_to_another_case(
    browser: Callable[..., Any], three: list[int], staff: dict[Role, Actor]
) -> None:
    from nadzor.cases.services import NewCase, create_case
    from nadzor.complaints.services import open_case

    first = open_case(staff[S], three[0])
    other = create_case(staff[S], NewCase(kind="provision", title="The whole unit"))
    client = browser(S)
    page = text_of(client.get(f"/staff/complaints/{three[0]}/?lang=en"))
    assert "Move to another case" in page
    response = client.post(
        f"/staff/complaints/{three[0]}/link?lang=en", {"reference": other.reference}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/staff/complaints/{three[0]}/?lang=en"
    assert complaint(three[0]).case_id == other.pk
    assert f"moved to case {other.reference}" in text_of(client.get(response["Location"]))
    assert first.reference != other.reference


def test_close_without_a_case_needs_a_reason(browser: Callable[..., Any], three: list[int]) -> None:
    client = browser(IT)
    url = f"/staff/complaints/{three[2]}/close?lang=en"
    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 422
    assert "closing a complaint needs a reason" in text_of(refused)
    assert client.post(url, {"reason": "a test message"}).status_code == 302
    assert complaint(three[2]).status == "closed"


def test_the_complaint_page(browser: Callable[..., Any], three: list[int]) -> None:
    response = browser(V).get(f"/staff/complaints/{three[0]}/?lang=en")
    assert response.status_code == 200
    page = text_of(response)
    assert "Нет бронежилетов у целого взвода" in page
    assert "(the person sees: received)" in page
    assert "No messages yet." in page
    # an investigator replies only on cases assigned to them: no form here
    assert "Send the reply" not in page
    assert browser(V).get("/staff/complaints/999999/").status_code == 404
