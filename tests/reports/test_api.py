"""`GET /api/v1/reports`: the same figures as the page, for supervisors and analysts only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from nadzor.cases.domain import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(staff: dict[Role, Any]) -> Any:
    from nadzor.accounts.services import issue_token

    return lambda role: {"HTTP_AUTHORIZATION": f"Bearer {issue_token(staff[role].name, by=None)}"}


def test_the_api_gives_the_figures_with_their_filters(seeded: dict[str, Any], token: Any) -> None:
    from nadzor.reports.services import build_report, parse_options

    start, end = seeded["period"]
    reply = Client().get("/api/v1/reports", {"from": start, "to": end}, **token(Role.ANALYST))
    assert reply.status_code == 200, reply.content
    body = reply.json()
    assert body["options"]["from"] == start and body["options"]["to"] == end
    expected = build_report(parse_options(start, end))
    assert body["audit_head"] == expected.audit_head
    sent = next(f for s in body["sections"] for f in s["figures"] if f["key"] == "sent_home")
    assert sent["cell"]["link"]["value"] == "sent_home"
    assert sent["cell"]["value"] == next(
        f.cell.value for s in expected.sections for f in s.figures if f.key == "sent_home"
    )
    public = (
        Client()
        .get(
            "/api/v1/reports",
            {"from": start, "to": end, "public": "true"},
            **token(Role.SUPERVISOR),
        )
        .json()
    )
    cells = [
        c for s in public["sections"] for t in s["tables"] for r in t["rows"] for c in r["cells"]
    ]
    assert all(c["link"] is None for c in cells)
    assert not any(c["value"] is not None and 1 <= c["value"] < 5 for c in cells)


def test_the_api_refuses_without_credentials_or_the_role(
    seeded: dict[str, Any], token: Any
) -> None:
    query = {"from": "2026-03-01", "to": "2026-03-31"}
    assert Client().get("/api/v1/reports", query).status_code == 401
    for role in (Role.INTAKE, Role.INVESTIGATOR, Role.ADMIN):
        reply = Client().get("/api/v1/reports", query, **token(role))
        assert reply.status_code == 403
        assert reply.json()["error"]["code"] == "forbidden"


def test_bad_options_are_422_naming_the_field(seeded: dict[str, Any], token: Any) -> None:
    auth = token(Role.ANALYST)
    missing = Client().get("/api/v1/reports", {"to": "2026-03-31"}, **auth)
    assert missing.status_code == 422
    assert missing.json()["error"]["field"] == "from"
    backwards = Client().get("/api/v1/reports", {"from": "2026-04-01", "to": "2026-03-01"}, **auth)
    assert backwards.status_code == 422
    assert "before" in backwards.json()["error"]["message"]
