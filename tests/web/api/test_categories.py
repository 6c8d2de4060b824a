"""Several problems in one complaint over the API: `categories` beside the single
`category`, with a reason for each."""

from __future__ import annotations

import pytest

from tests.web.api.conftest import Api

pytestmark = pytest.mark.django_db


def _stored() -> tuple[str, str, list[dict[str, str | None]]]:
    from nadzor.store.models import Complaint

    complaint = Complaint.objects.get()
    return complaint.category, complaint.reason, complaint.topics


def test_two_categories_with_a_reason_each(anonymous: Api) -> None:
    body = {
        "categories": ["unlawful_callup", "provision"],
        "reasons": {"unlawful_callup": "health", "provision": "winter_uniform"},
        "text": "Called up with category D, and no winter uniform either.",
    }
    reply = anonymous.post("/complaints", body)
    assert reply.status == 201, reply.body
    assert _stored() == (
        "unlawful_callup",
        "health",
        [
            {"category": "unlawful_callup", "reason": "health"},
            {"category": "provision", "reason": "winter_uniform"},
        ],
    )


def test_the_single_category_is_still_enough(anonymous: Api) -> None:
    reply = anonymous.post("/complaints", {"category": "abuse", "text": "They beat recruits."})
    assert reply.status == 201
    assert _stored() == ("abuse", "", [{"category": "abuse", "reason": ""}])


def test_category_and_categories_together_make_one_list_without_repeats(anonymous: Api) -> None:
    body = {
        "category": "conditions",
        "categories": ["abuse", "conditions"],
        "text": "Cold, beaten.",
    }
    reply = anonymous.post("/complaints", body)
    assert reply.status == 201
    assert [t["category"] for t in _stored()[2]] == ["conditions", "abuse"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "Nothing chosen."}, "category"),
        ({"categories": [], "text": "An empty list."}, "categories"),
        ({"categories": ["abuse", "weather"], "text": "Not a category."}, "categories.1"),
        ({"categories": "abuse", "text": "Not a list."}, "categories"),
        (
            {"categories": ["provision"], "reason": "food", "reasons": {"provision": "food"},
             "text": "Both."},
            "reasons",
        ),
        ({"categories": ["abuse"], "reasons": {"abuse": "health"}, "text": "No reason."}, "reason"),
        (
            {"categories": ["provision"], "reasons": {"provision": "caviar"}, "text": "Unknown."},
            "reason",
        ),
    ],
)  # fmt: skip
def test_bad_categories_are_422_naming_the_field(
    anonymous: Api, body: dict[str, object], field: str
) -> None:
    reply = anonymous.post("/complaints", body)
    assert reply.status == 422, reply.body
    assert reply.body["error"]["field"] == field
    from nadzor.store.models import Complaint

    assert not Complaint.objects.exists()


def test_the_openapi_document_declares_the_list_and_the_status_codes(anonymous: Api) -> None:
    document = anonymous.get("/openapi.json").body
    operation = document["paths"]["/api/v1/complaints"]["post"]
    assert {"201", "400", "413", "422"} <= set(operation["responses"])
    schema = document["components"]["schemas"]["ComplaintSubmitIn"]
    assert "categories" in schema["properties"] and "reasons" in schema["properties"]
    assert "category" not in schema.get("required", [])
    assert "text" in schema["required"]
