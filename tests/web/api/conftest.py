"""Staff of every role with API tokens, a JSON client, and cases and complaints to ask for."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from nadzor.cases.domain import Actor, Kind, Role

# Store modules are imported inside the fixtures: pytest may load this file before the
# root conftest has configured Django.

API = "/api/v1"


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str]
    cookies: dict[str, str]

    @property
    def error(self) -> dict[str, Any]:
        assert set(self.body) == {"error"}, self.body
        assert set(self.body["error"]) == {"code", "message", "field"}, self.body
        return self.body["error"]  # type: ignore[no-any-return]


class Api:
    """A JSON client for /api/v1, as one caller (a bearer token, or nobody)."""

    def __init__(self, token: str | None = None, client: Client | None = None) -> None:
        self.token = token
        self.client = client or Client(enforce_csrf_checks=True)

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def _reply(self, response: Any) -> Reply:
        content = response.content
        body = json.loads(content) if content and "json" in response["Content-Type"] else None
        cookies = {name: morsel.value for name, morsel in response.cookies.items()}
        return Reply(response.status_code, body, dict(response.headers), cookies)

    def get(self, path: str, **params: Any) -> Reply:
        return self._reply(self.client.get(API + path, params, headers=self._headers()))

    def post(self, path: str, body: Any = None, **extra: Any) -> Reply:
        data = json.dumps(body) if body is not None else ""
        response = self.client.post(
            API + path, data, content_type="application/json", headers=self._headers(), **extra
        )
        return self._reply(response)

    def upload(self, path: str, data: dict[str, Any]) -> Reply:
        return self._reply(self.client.post(API + path, data, headers=self._headers()))


@pytest.fixture
def tokens(staff: dict[Role, Actor]) -> dict[Role, str]:
    from nadzor.accounts.services import issue_token

    return {role: issue_token(actor.name, by=None) for role, actor in staff.items()}


@pytest.fixture
def as_role(tokens: dict[Role, str]) -> dict[Role, Api]:
    return {role: Api(token) for role, token in tokens.items()}


@pytest.fixture
def olga_api(staff: dict[Role, Actor]) -> Api:
    """Another investigator, to whom cases can be assigned."""
    from nadzor.accounts.services import issue_token

    return Api(issue_token("olga", by=None))


@pytest.fixture
def anonymous() -> Api:
    return Api()


@pytest.fixture(autouse=True)
def fresh_limiter() -> Iterator[None]:
    """The wrong-code limiter lives in memory for the process: start each test clean."""
    from nadzor.web.ratelimit import status_lookups

    status_lookups.clear()
    yield
    status_lookups.clear()


@pytest.fixture
def case(staff: dict[Role, Actor]) -> Any:
    from nadzor.cases.services import NewCase, create_case

    return create_case(
        staff[Role.SUPERVISOR],
        NewCase(kind=Kind.PROVISION, title="No winter uniform", region="Kursk"),
    )


def take(staff: dict[Role, Actor], reference: str, name: str = "ivan") -> None:
    """Move the case to investigating, assigned to `name`."""
    from nadzor.cases.domain import Status, TransitionRequest
    from nadzor.cases.services import transition

    boss = staff[Role.SUPERVISOR]
    transition(boss, reference, TransitionRequest(Status.TRIAGE, "triaged"))
    transition(boss, reference, TransitionRequest(Status.INVESTIGATING, "go", assignee=name))


COMPLAINT = {
    "category": "provision",
    "reason": "winter_uniform",
    "region": "Kursk",
    "facility": "в/ч 12345",
    "text": "Since October the company has had no winter uniform; it is minus ten at night.",
    "occurred_on": "2025-11-01",
}


@pytest.fixture
def complaint(db: None) -> Any:
    """A submitted complaint: (receipt code, complaint id)."""
    from nadzor.complaints.services import submit

    return submit({**COMPLAINT, "contact": {"name": "Мария", "phone": "+7 900 000-00-00"}})
