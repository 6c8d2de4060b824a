"""Request bodies are refused by their declared length, before the body is read."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

GIB = 1024**3
BOUNDARY = "multipart/form-data; boundary=x"


def post(client: Client, path: str, length: int, kind: str = BOUNDARY, **extra: Any) -> Any:
    # (with no body the test client sets neither header itself)
    return client.generic("POST", path, b"", CONTENT_TYPE=kind, CONTENT_LENGTH=str(length), **extra)


def test_an_anonymous_gigabyte_is_refused_from_its_header(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.handlers import wsgi

    reads: list[int] = []
    original = wsgi.LimitedStream.read

    def counting(self: Any, size: int = -1) -> bytes:
        reads.append(size)
        return original(self, size)

    monkeypatch.setattr(wsgi.LimitedStream, "read", counting)
    response = post(Client(), "/complaints/new?lang=ru", GIB)
    assert response.status_code == 413
    text = response.content.decode()
    assert "Слишком большой запрос" in text
    assert "Файл слишком большой: не больше 10,0" in text
    assert reads == [], "nothing of the body was read"


def test_the_api_answers_413_in_its_shape() -> None:
    response = post(Client(), "/api/v1/complaints", GIB, "application/json")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"


def test_the_public_cap_allows_every_attachment_at_its_largest() -> None:
    from nadzor.complaints.services import attachment_limits
    from nadzor.web.limits import FORM_OVERHEAD

    limits = attachment_limits()
    room = limits.max_files * limits.max_bytes + FORM_OVERHEAD
    assert post(Client(), "/complaints/new?lang=en", room + 1).status_code == 413
    # within the cap the request goes on to the form (and fails there on its empty body)
    lenient = Client(raise_request_exception=False)
    assert post(lenient, "/complaints/new?lang=en", room).status_code != 413


def test_staff_may_send_one_evidence_file_the_public_may_not(settings: Any) -> None:
    from nadzor.accounts.services import add_user, issue_token
    from nadzor.web.limits import FORM_OVERHEAD

    settings.NADZOR_EVIDENCE_MAX_BYTES = 200 * 1024 * 1024
    add_user("sofia", "supervisor", by=None)
    token = issue_token("sofia", by=None)
    size = 150 * 1024 * 1024
    path = "/api/v1/cases/NZ-2026-000001/evidence"
    assert post(Client(), path, size).status_code == 413
    lenient = Client(raise_request_exception=False)
    staff = post(lenient, path, size, headers={"Authorization": f"Bearer {token}"})
    assert staff.status_code != 413
    over = 200 * 1024 * 1024 + FORM_OVERHEAD + 1
    refused = post(Client(), path, over, headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 413
