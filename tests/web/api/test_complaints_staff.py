"""The triage inbox and one complaint, as staff see them: no identity, only that one exists."""

from __future__ import annotations

import json
from typing import Any

import pytest

from nadzor.cases.domain import Actor, Role
from tests.web.api.conftest import COMPLAINT, Api

pytestmark = pytest.mark.django_db


def submit_many(n: int, **fields: Any) -> list[int]:
    from nadzor.complaints.services import submit

    return [submit({**COMPLAINT, **fields}).complaint_id for _ in range(n)]


def test_the_inbox_is_paginated_oldest_first(as_role: dict[Role, Api]) -> None:
    ids = submit_many(5)
    intake = as_role[Role.INTAKE]

    pages = [intake.get("/complaints", limit=2, offset=offset) for offset in (0, 2, 4)]

    assert all(p.status == 200 and p.body["count"] == 5 for p in pages)
    assert [c["id"] for p in pages for c in p.body["items"]] == ids
    assert [len(p.body["items"]) for p in pages] == [2, 2, 1]


def test_the_inbox_filters_by_status(as_role: dict[Role, Api], staff: dict[Role, Actor]) -> None:
    from nadzor.complaints.services import reply

    first, second = submit_many(2)
    reply(staff[Role.INTAKE], first, "We are looking into it.")
    intake = as_role[Role.INTAKE]

    new = intake.get("/complaints", status="new")
    triaged = intake.get("/complaints", status="triaged")

    assert [c["id"] for c in new.body["items"]] == [second]
    assert [c["id"] for c in triaged.body["items"]] == [first]
    assert new.body["items"][0]["public_status"] == "received"
    assert intake.get("/complaints", status="lost").error["field"] == "status"


def test_a_complaint_shows_what_happened_but_not_who_wrote(
    as_role: dict[Role, Api], complaint: Any, anonymous: Api
) -> None:
    anonymous.post("/complaints/messages", {"receipt_code": complaint.code, "text": "Any news?"})
    (other,) = submit_many(1)

    reply = as_role[Role.INVESTIGATOR].get(f"/complaints/{complaint.complaint_id}")

    assert reply.status == 200
    body = reply.body
    assert body["id"] == complaint.complaint_id
    assert (body["category"], body["reason"], body["facility"]) == (
        "provision",
        "winter_uniform",
        "в/ч 12345",
    )
    assert body["text"] == COMPLAINT["text"]
    assert body["has_identity"] is True
    assert [(m["from"], m["text"]) for m in body["messages"]] == [("you", "Any news?")]
    assert body["case"] is None
    assert [d["id"] for d in body["possible_duplicates"]] == [other]
    assert "similar_text" in body["possible_duplicates"][0]["why"]
    text = json.dumps(body, ensure_ascii=False)
    assert "Мария" not in text and "+7 900" not in text


def test_a_complaint_number_must_be_a_positive_number(as_role: dict[Role, Api]) -> None:
    for bad in ("abc", "0", "-3", str(2**40)):
        reply = as_role[Role.INTAKE].get(f"/complaints/{bad}")
        assert (reply.status, reply.error["field"]) == (422, "id"), bad
