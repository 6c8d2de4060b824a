"""The public desk over JSON: submit, status, messages; no credentials, no cookie, no CSRF."""

from __future__ import annotations

import re
from typing import Any

import pytest

from nadzor.cases.domain import Actor, Role
from tests.web.api.conftest import COMPLAINT, Api

pytestmark = pytest.mark.django_db


def test_a_complaint_with_only_category_and_text_gets_a_receipt(anonymous: Api) -> None:
    from nadzor.complaints.services import find

    reply = anonymous.post("/complaints", {"category": "abuse", "text": "They beat recruits."})

    assert reply.status == 201
    assert set(reply.body) == {"receipt_code", "status_url"}
    assert re.fullmatch(r"[0-9]{16}", reply.body["receipt_code"])
    assert reply.body["status_url"] == "/complaints/status"
    stored = find(reply.body["receipt_code"])
    assert stored is not None
    assert (stored.category, stored.text) == ("abuse", "They beat recruits.")


def test_a_full_complaint_keeps_the_contact_apart(anonymous: Api) -> None:
    from nadzor.store.models import Complaint, ComplaintIdentity

    body = {**COMPLAINT, "contact": {"name": "Мария", "email": "maria@example.org"}}
    reply = anonymous.post("/complaints", body)

    assert reply.status == 201
    complaint = Complaint.objects.get()
    assert (complaint.reason, complaint.region, str(complaint.occurred_on)) == (
        "winter_uniform",
        "Курская область",  # the federal subject "Kursk" names
        "2025-11-01",
    )
    identity = ComplaintIdentity.objects.get(complaint=complaint)
    assert (identity.name, identity.email) == ("Мария", "maria@example.org")


def test_public_requests_need_no_csrf_token_and_set_no_cookie(anonymous: Api) -> None:
    # the client enforces CSRF checks, as a browser's server would
    reply = anonymous.post("/complaints", {"category": "other", "text": "Something wrong."})
    assert reply.status == 201
    assert reply.cookies == {}
    status = anonymous.post("/complaints/status", {"receipt_code": reply.body["receipt_code"]})
    assert status.status == 200
    assert status.cookies == {}


def test_the_language_of_the_request_is_kept(anonymous: Api) -> None:
    from nadzor.store.models import Complaint

    anonymous.post("/complaints?lang=en", {"category": "other", "text": "In English."})
    anonymous.post("/complaints?lang=uk", {"category": "other", "text": "Українською."})
    assert [c.language for c in Complaint.objects.order_by("pk")] == ["en", "uk"]


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"text": "No category."}, "category", "required"),
        ({"category": "abuse"}, "text", "required"),
        ({"category": "weather", "text": "x"}, "category", "not_a_choice"),
        ({"category": "abuse", "text": "   "}, "text", "required"),
        ({"category": "abuse", "text": 5}, "text", "not_text"),
        ({"category": "provision", "reason": "tanks", "text": "x"}, "reason", "not_a_choice"),
        ({"category": "abuse", "reason": "food", "text": "x"}, "reason", "not_allowed"),
        ({"category": "abuse", "text": "x", "occurred_on": "2999-01-01"}, "occurred_on", "future"),
        (
            {"category": "abuse", "text": "x", "occurred_on": "1.1.2024"},
            "occurred_on",
            "bad_format",
        ),
        (
            {"category": "abuse", "text": "x", "occurred_on": "2024-02-30"},
            "occurred_on",
            "not_a_date",
        ),
        ({"category": "abuse", "text": "x", "colour": "red"}, "colour", "unknown_field"),
        ({"category": "abuse", "text": "x", "contact": "me"}, "contact", "not_an_object"),
        (
            {"category": "abuse", "text": "x", "contact": {"email": "not-an-address"}},
            "contact.email",
            "not_an_email",
        ),
        (
            {"category": "abuse", "text": "x", "contact": {"telegram": "@me"}},
            "contact.telegram",
            "unknown_field",
        ),
        ({"category": "abuse", "text": "x" * 10_001}, "text", "too_long"),
    ],
)
def test_invalid_input_is_422_naming_the_field(
    anonymous: Api, body: dict[str, Any], field: str, code: str
) -> None:
    from nadzor.store.models import Complaint

    reply = anonymous.post("/complaints", body)

    assert reply.status == 422, reply.body
    assert reply.error["field"] == field
    assert reply.error["code"] == code
    assert reply.error["message"]
    assert not Complaint.objects.exists()


def test_a_body_that_is_not_json_is_400(anonymous: Api) -> None:
    response = anonymous.client.post(
        "/api/v1/complaints", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_a_body_over_the_size_limit_is_413(anonymous: Api) -> None:
    from django.conf import settings

    text = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    reply = anonymous.post("/complaints", {"category": "abuse", "text": text})
    assert (reply.status, reply.error["code"]) == (413, "too_large")


def test_the_status_shows_messages_from_staff_and_from_you(
    anonymous: Api, complaint: Any, staff: dict[Role, Actor]
) -> None:
    from nadzor.complaints.services import reply

    reply(staff[Role.INTAKE], complaint.complaint_id, "We have your complaint.")
    sent = anonymous.post(
        "/complaints/messages", {"receipt_code": complaint.formatted, "text": "Thank you."}
    )
    assert sent.status == 201
    assert sent.body == {"status_url": "/complaints/status"}

    status = anonymous.post("/complaints/status", {"receipt_code": complaint.code})

    assert status.status == 200
    assert set(status.body) == {"status", "updated_at", "messages"}
    assert status.body["status"] == "in_review"
    assert [(m["from"], m["text"]) for m in status.body["messages"]] == [
        ("staff", "We have your complaint."),
        ("you", "Thank you."),
    ]
    assert all(set(m) == {"from", "at", "text"} for m in status.body["messages"])


def test_a_new_complaint_is_received(anonymous: Api, complaint: Any) -> None:
    status = anonymous.post("/complaints/status", {"receipt_code": complaint.formatted})
    assert (status.status, status.body["status"], status.body["messages"]) == (
        200,
        "received",
        [],
    )


def test_a_wrong_code_and_an_unknown_code_get_the_same_404(anonymous: Api, complaint: Any) -> None:
    code = complaint.code
    wrong = code[:-1] + str((int(code[-1]) + 1) % 10)
    answers = [
        anonymous.post("/complaints/status", {"receipt_code": guess})
        for guess in (wrong, "0000 0000 0000 0000", "not a code", "")
    ]
    assert {a.status for a in answers} == {404}
    assert all(a.body == answers[0].body for a in answers)
    assert answers[0].error["code"] == "not_found"
    assert answers[0].error["field"] == "receipt_code"

    messages = [
        anonymous.post("/complaints/messages", {"receipt_code": guess, "text": "hello"})
        for guess in (wrong, "0000000000000000")
    ]
    assert [m.status for m in messages] == [404, 404]
    assert messages[0].body == messages[1].body == answers[0].body


def test_a_message_needs_text(anonymous: Api, complaint: Any) -> None:
    reply = anonymous.post("/complaints/messages", {"receipt_code": complaint.code, "text": " "})
    assert reply.status == 422
    assert reply.error["field"] == "text"
    missing = anonymous.post("/complaints/messages", {"receipt_code": complaint.code})
    assert (missing.status, missing.error["field"]) == (422, "text")


def test_repeated_wrong_codes_are_refused_for_a_while(anonymous: Api, complaint: Any) -> None:
    from nadzor.web.ratelimit import status_lookups

    for _ in range(status_lookups.limit):
        wrong = anonymous.post("/complaints/status", {"receipt_code": "1111222233334444"})
        assert wrong.status == 404

    limited = anonymous.post("/complaints/status", {"receipt_code": complaint.code})
    assert limited.status == 429
    assert limited.error["code"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) > 0
    also = anonymous.post("/complaints/messages", {"receipt_code": complaint.code, "text": "hi"})
    assert also.status == 429


def test_right_codes_do_not_count_against_the_limit(anonymous: Api, complaint: Any) -> None:
    from nadzor.web.ratelimit import status_lookups

    for _ in range(status_lookups.limit + 2):
        assert anonymous.post("/complaints/status", {"receipt_code": complaint.code}).status == 200


def test_the_limit_is_per_address(complaint: Any) -> None:
    from django.test import Client

    from nadzor.web.ratelimit import status_lookups

    one = Api(client=Client(REMOTE_ADDR="192.0.2.1"))
    other = Api(client=Client(REMOTE_ADDR="192.0.2.2"))
    for _ in range(status_lookups.limit):
        one.post("/complaints/status", {"receipt_code": "1111222233334444"})
    assert one.post("/complaints/status", {"receipt_code": complaint.code}).status == 429
    assert other.post("/complaints/status", {"receipt_code": complaint.code}).status == 200


def test_behind_a_proxy_the_limit_keys_on_the_named_header(complaint: Any, settings: Any) -> None:
    from nadzor.web.ratelimit import status_lookups

    settings.NADZOR_CLIENT_ADDRESS_HEADER = "X-Forwarded-For"
    proxy = Api()

    def ask(code: str, client: str) -> int:
        response = proxy.client.post(
            "/api/v1/complaints/status",
            {"receipt_code": code},
            content_type="application/json",
            headers={"X-Forwarded-For": f"203.0.113.9, {client}"},
        )
        return response.status_code

    for _ in range(status_lookups.limit):
        assert ask("1111222233334444", "192.0.2.1") == 404
    assert ask(complaint.code, "192.0.2.1") == 429
    assert ask(complaint.code, "192.0.2.2") == 200


def test_the_public_desk_records_no_address() -> None:
    from django.test import Client

    from tests.conftest import every_cell

    client = Api(client=Client(REMOTE_ADDR="198.51.100.77"))
    assert client.post("/complaints", {"category": "other", "text": "x"}).status == 201
    client.post("/complaints/status", {"receipt_code": "0000000000000000"})
    assert not [cell for cell in every_cell() if "198.51.100.77" in cell[1]]


@pytest.mark.parametrize("category", ["unlawful_callup", "provision", "abuse"])
def test_only_category_and_text_are_needed_the_reason_defaults_to_other(
    anonymous: Api, category: str
) -> None:
    from nadzor.store.models import Complaint

    response = anonymous.post("/complaints", {"category": category, "text": "Только текст."})
    assert response.status == 201, response.body
    complaint = Complaint.objects.get()
    assert complaint.reason == ("" if category == "abuse" else "other")
