"""Fixtures of the self-check: a client, the answers of one person, a fresh limiter."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

# One person's answers: category D and four children, so the check finds grounds.
ANSWERS: dict[str, Any] = {
    "rulebook": "ru-2022",
    "callup_date": "2022-10-01",
    "birth_date": "1990-01-01",
    "sex": "M",
    "ru_citizen": "true",
    "in_reserve": "true",
    "rank_group": "soldier",
    "health_category": "D",
    "health_exam_date": "2022-09-01",
    "children_birth_dates": ["2010-01-01", "2012-01-01", "2014-02-02", "2016-03-03", ""],
    "raises_children_alone": "",
}


@pytest.fixture(autouse=True)
def fresh_limiter() -> Iterator[None]:
    from nadzor.web.check.limits import check_requests

    check_requests.clear()
    yield
    check_requests.clear()


@pytest.fixture
def client() -> Client:
    """A client that enforces CSRF, as a real browser meets it."""
    return Client(enforce_csrf_checks=True)


def html(response: Any) -> str:
    return str(response.content.decode("utf-8"))
