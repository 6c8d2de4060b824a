"""The OpenAPI document: served, complete, and true to the app (a schemathesis run)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from nadzor.cases.domain import Actor, Kind, Role
from tests.web.api.conftest import Api

pytestmark = pytest.mark.django_db

OPERATIONS = {
    ("post", "/api/v1/complaints"),
    ("post", "/api/v1/complaints/status"),
    ("post", "/api/v1/complaints/messages"),
    ("get", "/api/v1/complaints"),
    ("get", "/api/v1/complaints/{id}"),
    ("get", "/api/v1/cases"),
    ("post", "/api/v1/cases"),
    ("get", "/api/v1/cases/{ref}"),
    ("post", "/api/v1/cases/{ref}/transitions"),
    ("post", "/api/v1/cases/{ref}/evidence"),
    ("post", "/api/v1/cases/{ref}/people"),
    ("get", "/api/v1/audit/verify"),
    ("get", "/api/v1/reports"),
    ("post", "/api/v1/check"),
    ("get", "/api/v1/intake/items"),
    ("post", "/api/v1/intake/items"),
    ("get", "/api/v1/intake/items/{sha256}"),
    ("post", "/api/v1/intake/items/{sha256}/links"),
    ("get", "/api/v1/intake/clusters"),
}
PUBLIC = {
    op
    for op in OPERATIONS
    if op[0] == "post" and op[1].startswith(("/api/v1/complaints", "/api/v1/check"))
}


@pytest.fixture
def document(anonymous: Api) -> dict[str, Any]:
    reply = anonymous.get("/openapi.json")
    assert reply.status == 200
    return reply.body  # type: ignore[no-any-return]


def test_every_operation_is_described(document: dict[str, Any]) -> None:
    found = {(method, path) for path, ops in document["paths"].items() for method in ops}
    assert found == OPERATIONS


def test_every_operation_declares_its_errors_in_the_error_shape(document: dict[str, Any]) -> None:
    for path, ops in document["paths"].items():
        for method, op in ops.items():
            codes = set(op["responses"])
            if (method, path) in PUBLIC:
                assert "security" not in op
                assert {"422", "400"} <= codes
            else:
                assert op["security"] == [{"BearerToken": []}, {"StaffSession": []}]
                assert {"401", "403"} <= codes, (method, path)
            for code, response in op["responses"].items():
                if code.startswith(("4", "5")):
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (path, code)


def test_request_bodies_refuse_unknown_fields(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for name in ("ComplaintSubmitIn", "ContactIn", "ReceiptIn", "MessageIn"):
        assert schemas[name]["additionalProperties"] is False, name
    for name in ("CaseCreateIn", "TransitionIn", "LinkIn"):
        assert schemas[name]["additionalProperties"] is False, name
    assert schemas["Status"]["enum"] == [
        "new",
        "triage",
        "investigating",
        "remedy_requested",
        "resolved",
        "closed_unfounded",
    ]


def test_the_docs_page_loads_nothing_from_elsewhere(anonymous: Api) -> None:
    response = anonymous.client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger" in page.lower()
    assert "cdn" not in page.lower()
    assert "https://" not in page and "http://" not in page
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets)
    for asset in assets:
        assert anonymous.client.get(asset).status_code == 200, asset


# --- schemathesis -----------------------------------------------------------------------------


def _wsgi_app() -> Any:
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


# Loaded when the module is collected: serving the document touches no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _wsgi_app())

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def in_process(staff: dict[Role, Actor], complaint: Any) -> Iterator[None]:
    """Data to find, and the test's transaction kept open across requests (as Django's
    test client does it: no connection is closed when a request starts or ends)."""
    from django.core import signals
    from django.db import close_old_connections

    from nadzor.cases.services import NewCase, create_case

    create_case(staff[Role.SUPERVISOR], NewCase(kind=Kind.ABUSE, title="Beaten at night"))

    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (signals.request_started, signals.request_finished):
            signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_no_operation_fails_on_generated_requests(
    case: Any, in_process: None, tokens: dict[Role, str]
) -> None:
    """Every operation, with a supervisor's token: no 5xx, only declared statuses and
    bodies that match the document."""
    headers = {"Authorization": f"Bearer {tokens[Role.SUPERVISOR]}"}
    case.call_and_validate(headers=headers, checks=CHECKS)


def test_an_unknown_api_path_answers_in_the_error_shape(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "no such API endpoint", "field": None}
    }
