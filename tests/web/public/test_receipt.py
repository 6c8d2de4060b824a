"""The receipt page: a form sent again creates nothing, the code survives a change of
language without going into an address, and one complaint may report several problems."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from .conftest import FORM, RECEIPT, csrf_token, html, post

pytestmark = pytest.mark.django_db

_NONCE = re.compile(r'name="form_id" value="([^"]+)"')


def _count() -> int:
    from nadzor.store.models import Complaint

    return Complaint.objects.count()


def _form_with_nonce(client: Client, lang: str = "ru") -> tuple[str, str]:
    page = html(client.get(f"/complaints/new?lang={lang}"))
    found = _NONCE.search(page)
    assert found, "the form carries a one-time value"
    token = csrf_token(client, "/complaints/new")
    return found.group(1), token


def test_each_form_gets_its_own_one_time_value(client: Client) -> None:
    first = _NONCE.search(html(client.get("/complaints/new")))
    second = _NONCE.search(html(client.get("/complaints/new")))
    assert first and second and first.group(1) != second.group(1)
    assert len(first.group(1)) >= 24


@pytest.mark.parametrize("lang", ["ru", "uk", "en"])
def test_the_same_form_sent_again_creates_nothing_and_shows_no_code(
    client: Client, lang: str
) -> None:
    nonce, token = _form_with_nonce(client, lang)
    data = {**FORM, "form_id": nonce, "csrfmiddlewaretoken": token}

    first = client.post(f"/complaints/new?lang={lang}", data)
    again = client.post(f"/complaints/new?lang={lang}", data)  # a reload or a double click

    assert first.status_code == 200 and RECEIPT.search(html(first))
    assert again.status_code == 409
    page = html(again)
    assert not RECEIPT.search(page) and not re.search(r"[0-9]{4}\s?[0-9]{4}\s?[0-9]{4}", page)
    said = {"ru": "уже получена", "uk": "вже отримано", "en": "already received"}[lang]
    assert said in page
    assert _count() == 1


def test_a_refused_form_can_be_corrected_and_sent_with_the_same_value(client: Client) -> None:
    nonce, token = _form_with_nonce(client)
    bad = client.post(
        "/complaints/new?lang=ru",
        {**FORM, "text": "", "form_id": nonce, "csrfmiddlewaretoken": token},
    )
    assert bad.status_code == 400
    assert f'name="form_id" value="{nonce}"' in html(bad)
    good = client.post(
        "/complaints/new?lang=ru", {**FORM, "form_id": nonce, "csrfmiddlewaretoken": token}
    )
    assert good.status_code == 200 and _count() == 1


def test_the_receipt_in_the_other_language_keeps_the_code_out_of_the_address(
    client: Client,
) -> None:
    sent = post(client, "/complaints/new", FORM, lang="ru")
    found = RECEIPT.search(html(sent))
    assert found
    digits = re.sub(r"\s", "", found.group(1))
    switches = re.findall(
        r'<form method="post" action="([^"]+)" class="inline lang-switch">', html(sent)
    )
    assert switches == ["/complaints/receipt?lang=uk", "/complaints/receipt?lang=en"]
    assert all(digits not in address for address in switches)

    english = post(
        client, "/complaints/receipt", {"code": digits}, lang="en", form="/complaints/new"
    )
    page = html(english)
    assert english.status_code == 200
    assert "Your complaint has been received" in page
    again = RECEIPT.search(page)
    assert again and again.group(1) == found.group(1)
    assert _count() == 1  # nothing sent again
    back = html(
        post(client, "/complaints/receipt", {"code": digits}, lang="ru", form="/complaints/new")
    )
    assert "Ваша жалоба получена" in back
    ukrainian = html(
        post(client, "/complaints/receipt", {"code": digits}, lang="uk", form="/complaints/new")
    )
    assert "Вашу скаргу отримано" in ukrainian
    assert (again := RECEIPT.search(ukrainian)) and again.group(1) == found.group(1)


def test_the_receipt_page_refuses_anything_but_a_code(client: Client) -> None:
    response = post(
        client, "/complaints/receipt", {"code": "12"}, lang="en", form="/complaints/new"
    )
    assert response.status_code == 302
    assert response["Location"] == "/complaints/status?lang=en"
    assert client.get("/complaints/receipt").status_code == 405


def test_the_form_takes_several_categories_each_with_its_reason(client: Client) -> None:
    from nadzor.store.models import Complaint

    data = {
        **FORM,
        "category": ["unlawful_callup", "provision"],
        "reason": ["unlawful_callup:health", "provision:winter_uniform"],
    }
    response = post(client, "/complaints/new", data)
    assert response.status_code == 200, html(response)[:2000]
    complaint = Complaint.objects.get()
    assert complaint.topics == [
        {"category": "unlawful_callup", "reason": "health"},
        {"category": "provision", "reason": "winter_uniform"},
    ]


def test_the_reason_may_be_left_unchosen(client: Client) -> None:
    from nadzor.store.models import Complaint

    response = post(client, "/complaints/new", {**FORM, "reason": ""})
    assert response.status_code == 200
    assert Complaint.objects.get().reason == "other"


def test_with_javascript_the_reason_lists_follow_the_ticked_categories(client: Client) -> None:
    both = html(
        client.get("/complaints/new/reason?category=provision&category=unlawful_callup&lang=en")
    )
    one = html(client.get("/complaints/new/reason?category=abuse&category=provision&lang=en"))
    assert both.count("<select") == 2
    assert one.count("<select") == 1 and 'id="reason-provision"' in one
