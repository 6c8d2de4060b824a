"""Everything under /api/ answers in the API's error shape, whatever failed and where; a
NUL character anywhere is a clean 400, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from nadzor.cases.domain import Role
from tests.web.api.conftest import Api

pytestmark = pytest.mark.django_db


def shaped(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "field"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return dict(body["error"])


def test_a_method_the_route_does_not_have_is_405_in_the_shape(as_role: dict[Role, Api]) -> None:
    response = Client().get("/api/v1/complaints/status")
    shaped(response, 405, "not_allowed")
    assert "POST" in response["Allow"]
    shaped(Client().delete("/api/v1/complaints/status"), 405, "not_allowed")


def test_an_unknown_path_is_404_in_the_shape() -> None:
    shaped(Client().get("/api/v1/nothing/here"), 404, "not_found")
    shaped(Client().get("/api/v2/"), 404, "not_found")


def test_an_unhandled_error_is_500_in_the_shape(
    as_role: dict[Role, Api], monkeypatch: pytest.MonkeyPatch
) -> None:
    from nadzor.web.api import _audit

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("something internal /srv/secret/path")

    monkeypatch.setattr(_audit, "verify", broken, raising=False)
    monkeypatch.setattr("nadzor.audit.journal.verify", broken)
    client = Client(raise_request_exception=False)
    response = client.get(
        "/api/v1/audit/verify", headers={"Authorization": f"Bearer {as_role[Role.ADMIN].token}"}
    )
    error = shaped(response, 500, "internal_error")
    assert "/srv/secret" not in error["message"]


def test_a_database_outage_is_503_in_the_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import OperationalError

    def down(*args: object, **kwargs: object) -> object:
        raise OperationalError("connection refused")

    monkeypatch.setattr("nadzor.web.api._public.status_of", down)
    client = Client(raise_request_exception=False)
    response = client.post(
        "/api/v1/complaints/status",
        {"receipt_code": "1234567890123456"},
        content_type="application/json",
    )
    shaped(response, 503, "unavailable")
    assert response["Retry-After"]


def test_an_outage_during_lookups_is_not_counted_as_wrong_codes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue: failed lookups during an outage counted as wrong codes, so the right code
    then got 429 for 15 minutes."""
    from django.db import OperationalError

    from nadzor.complaints.services import submit
    from nadzor.web.api import _public

    code = submit({"category": "abuse", "text": "Избивают в казарме."}).code
    real = _public.status_of

    def down(*args: object, **kwargs: object) -> object:
        raise OperationalError("connection refused")

    monkeypatch.setattr(_public, "status_of", down)
    client = Client(raise_request_exception=False)
    for _ in range(15):
        reply = client.post(
            "/api/v1/complaints/status", {"receipt_code": code}, content_type="application/json"
        )
        assert reply.status_code == 503
    monkeypatch.setattr(_public, "status_of", real)
    back = client.post(
        "/api/v1/complaints/status", {"receipt_code": code}, content_type="application/json"
    )
    assert back.status_code == 200


def test_an_outage_on_the_status_page_is_not_counted_either(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.db import OperationalError

    from nadzor.complaints import services
    from nadzor.complaints.services import submit

    code = submit({"category": "abuse", "text": "Избивают в казарме."}).code
    real = services.status_of

    def down(*args: object, **kwargs: object) -> object:
        raise OperationalError("connection refused")

    monkeypatch.setattr(services, "status_of", down)
    client = Client(raise_request_exception=False)
    for _ in range(12):
        assert client.post("/complaints/status", {"code": code}).status_code == 500
    monkeypatch.setattr(services, "status_of", real)
    assert client.post("/complaints/status?lang=en", {"code": code}).status_code == 200


def test_a_csrf_refusal_under_the_api_is_in_the_shape(as_role: dict[Role, Api]) -> None:
    from nadzor.accounts.services import set_password

    set_password("sofia", "violet-river-stone-7", by=None)
    client = Client(enforce_csrf_checks=True)
    client.force_login(
        __import__("nadzor.store.models", fromlist=["User"]).User.objects.get(username="sofia")
    )
    response = client.post("/api/v1/cases", {"kind": "abuse"}, content_type="application/json")
    shaped(response, 403, "forbidden")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/complaints", {"category": "abuse", "text": "текст\u0000с нулём"}),
        ("/api/v1/complaints/status", {"receipt_code": "1234\u00005678"}),
    ],
)
def test_a_nul_in_a_json_body_is_422(path: str, body: dict[str, str]) -> None:
    response = Client().post(path, body, content_type="application/json")
    shaped(response, 422, "invalid")


def test_a_nul_in_a_filter_is_422_naming_it(as_role: dict[Role, Api]) -> None:
    """Issue: a NUL byte in a filter gave a 500 with a traceback on PostgreSQL."""
    reply = as_role[Role.SUPERVISOR].get("/cases", region="Курск\x00ая")
    assert (reply.status, reply.error["code"], reply.error["field"]) == (422, "invalid", "region")
    path = as_role[Role.SUPERVISOR].get("/cases/NZ-2026-0000%001")
    assert (path.status, path.error["code"]) == (404, "not_found")


def test_a_nul_in_a_staff_page_filter_or_login_name_is_400() -> None:
    response = Client().get("/staff/cases/?region=a%00b&lang=en")
    assert response.status_code == 400
    assert "The request cannot be read" in response.content.decode()
    login = Client().post("/staff/login?lang=en", {"name": "sofia\x00", "password": "x"})
    assert login.status_code == 400
    assert "The request cannot be read" in login.content.decode()


def test_a_nul_in_a_login_name_fails_cleanly_in_the_service() -> None:
    from nadzor.accounts.services import check_login

    assert check_login("sofia\x00", "whatever") is None


def test_a_host_this_server_does_not_serve_is_400_in_the_shape() -> None:
    response = Client(raise_request_exception=False).get(
        "/api/v1/cases", headers={"host": "elsewhere.example"}
    )
    shaped(response, 400, "bad_request")
