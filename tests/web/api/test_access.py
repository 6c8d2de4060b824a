"""Who may call what: 401 without valid credentials, 403 for a role that may not, and no
answer that tells whether an object exists to someone who may not see it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from nadzor.cases.domain import Actor, Role
from tests.web.api.conftest import Api, take

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
MISSING_CASE = "NZ-2020-999999"
MISSING_COMPLAINT = 999_999

Call = Callable[[Api, str, int], Any]


def _evidence(api: Api, ref: str, _id: int) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return api.upload(f"/cases/{ref}/evidence", {"file": SimpleUploadedFile("a.pdf", PDF)})


# Every staff endpoint, called on an object that exists: a new, unassigned case and a
# new complaint.
STAFF_CALLS: dict[str, Call] = {
    "GET /complaints": lambda api, ref, id_: api.get("/complaints", status="new"),
    "GET /complaints/{id}": lambda api, ref, id_: api.get(f"/complaints/{id_}"),
    "GET /cases": lambda api, ref, id_: api.get("/cases"),
    "GET /cases/{ref}": lambda api, ref, id_: api.get(f"/cases/{ref}"),
    "POST /cases": lambda api, ref, id_: api.post("/cases", {"kind": "abuse"}),
    "POST /cases/{ref}/transitions": lambda api, ref, id_: api.post(
        f"/cases/{ref}/transitions", {"to": "triage", "reason": "looked at"}
    ),
    "POST /cases/{ref}/evidence": _evidence,
    "GET /audit/verify": lambda api, ref, id_: api.get("/audit/verify"),
}

IN, IV, SU, AN, AD = Role.INTAKE, Role.INVESTIGATOR, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN
# endpoint -> the status for intake, investigator, supervisor, analyst, admin
EXPECTED: dict[str, dict[Role, int]] = {
    "GET /complaints": {IN: 200, IV: 200, SU: 200, AN: 403, AD: 403},
    "GET /complaints/{id}": {IN: 200, IV: 200, SU: 200, AN: 403, AD: 403},
    "GET /cases": {IN: 200, IV: 200, SU: 200, AN: 403, AD: 403},
    "GET /cases/{ref}": {IN: 200, IV: 200, SU: 200, AN: 403, AD: 403},
    "POST /cases": {IN: 201, IV: 201, SU: 201, AN: 403, AD: 403},
    "POST /cases/{ref}/transitions": {IN: 200, IV: 200, SU: 200, AN: 403, AD: 403},
    # an investigator adds evidence only to their own cases; this one is unassigned
    "POST /cases/{ref}/evidence": {IN: 201, IV: 403, SU: 201, AN: 403, AD: 403},
    "GET /audit/verify": {IN: 403, IV: 403, SU: 200, AN: 403, AD: 200},
}
MATRIX = [(name, role, status) for name, row in EXPECTED.items() for role, status in row.items()]


@pytest.mark.parametrize(
    ("name", "role", "expected"), MATRIX, ids=[f"{n} as {r}" for n, r, _ in MATRIX]
)
def test_the_authorization_matrix(
    as_role: dict[Role, Api], case: Any, complaint: Any, name: str, role: Role, expected: int
) -> None:
    reply = STAFF_CALLS[name](as_role[role], case.reference, complaint.complaint_id)
    assert reply.status == expected, reply.body
    if expected == 403:
        assert reply.error["code"] == "forbidden"


PUBLIC_CALLS: dict[str, Call] = {
    "POST /complaints": lambda api, ref, id_: api.post(
        "/complaints", {"category": "abuse", "text": "x"}
    ),
    "POST /complaints/status": lambda api, ref, id_: api.post(
        "/complaints/status", {"receipt_code": "0000000000000000"}
    ),
    "POST /complaints/messages": lambda api, ref, id_: api.post(
        "/complaints/messages", {"receipt_code": "0000000000000000", "text": "x"}
    ),
}


@pytest.mark.parametrize("caller", [None, *Role])
@pytest.mark.parametrize("name", list(PUBLIC_CALLS))
def test_the_public_desk_is_the_same_for_everyone(
    as_role: dict[Role, Api], anonymous: Api, name: str, caller: Role | None
) -> None:
    api = anonymous if caller is None else as_role[caller]
    reply = PUBLIC_CALLS[name](api, "", 0)
    assert reply.status == (201 if name == "POST /complaints" else 404)


def _not_credentials(staff: dict[Role, Actor]) -> dict[str, Api]:
    """Callers that all lack valid credentials."""
    from nadzor.accounts.services import disable_user, issue_token
    from nadzor.store.models import ApiToken

    revoked = issue_token("ivan", by=None)
    ApiToken.objects.filter(user__username="ivan").update(revoked=True)
    disabled = issue_token("olga", by=None)
    disable_user("olga", by=None)
    basic = Api()
    basic.client.defaults["HTTP_AUTHORIZATION"] = "Basic c29maWE6c2VjcmV0"
    return {
        "nothing": Api(),
        "a made-up token": Api("nz_" + "A" * 43),
        "not a token": Api("hello"),
        "a revoked token": Api(revoked),
        "a disabled user's token": Api(disabled),
        "basic auth": basic,
        "an unknown session cookie": Api(client=_with_cookie("sessionid", "x" * 32)),
    }


def _with_cookie(name: str, value: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.cookies[name] = value
    return client


def test_no_valid_credentials_is_401_the_same_for_existing_and_missing_objects(
    staff: dict[Role, Actor], case: Any, complaint: Any
) -> None:
    bodies = []
    for label, api in _not_credentials(staff).items():
        for name, call in STAFF_CALLS.items():
            for ref, id_ in ((case.reference, complaint.complaint_id), (MISSING_CASE, 999_999)):
                reply = call(api, ref, id_)
                assert reply.status == 401, (label, name, reply.body)
                assert reply.headers["WWW-Authenticate"].startswith("Bearer")
                bodies.append(reply.body)
    assert all(body == bodies[0] for body in bodies)
    assert bodies[0]["error"]["code"] == "unauthenticated"


CASE_CALLS = ["GET /cases/{ref}", "POST /cases/{ref}/transitions", "POST /cases/{ref}/evidence"]


@pytest.mark.parametrize("name", CASE_CALLS)
def test_someone_elses_case_and_a_missing_case_get_the_same_403(
    as_role: dict[Role, Api], olga_api: Api, staff: dict[Role, Actor], case: Any, name: str
) -> None:
    take(staff, case.reference, "olga")  # no longer visible to ivan, nor to intake
    call = STAFF_CALLS[name]
    for role in (Role.INVESTIGATOR, Role.INTAKE, Role.ANALYST, Role.ADMIN):
        theirs = call(as_role[role], case.reference, 0)
        missing = call(as_role[role], MISSING_CASE, 0)
        assert theirs.status == missing.status == 403, (role, theirs.body, missing.body)
        assert theirs.body == missing.body
    # she sees her own case; a supervisor sees all, and so learns that a case is missing
    assert call(olga_api, case.reference, 0).status in (200, 201, 409)
    assert call(as_role[Role.SUPERVISOR], MISSING_CASE, 0).status == 404


def test_a_missing_complaint_is_404_for_roles_that_see_every_complaint(
    as_role: dict[Role, Api], complaint: Any
) -> None:
    for role in (Role.INTAKE, Role.INVESTIGATOR, Role.SUPERVISOR):
        reply = as_role[role].get(f"/complaints/{MISSING_COMPLAINT}")
        assert (reply.status, reply.error["code"]) == (404, "not_found")
    for role in (Role.ANALYST, Role.ADMIN):
        there = as_role[role].get(f"/complaints/{complaint.complaint_id}")
        missing = as_role[role].get(f"/complaints/{MISSING_COMPLAINT}")
        assert there.status == missing.status == 403
        assert there.body == missing.body


# --- the staff workspace's session ----------------------------------------------------------


def _session(staff: dict[Role, Actor], role: Role) -> Client:
    from nadzor.store.models import User

    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username=staff[role].name))
    return client


def _csrf(client: Client) -> dict[str, str]:
    from django.middleware.csrf import _get_new_csrf_string

    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    return {"X-CSRFToken": token}


def test_a_signed_in_session_may_read(staff: dict[Role, Actor], case: Any) -> None:
    client = _session(staff, Role.SUPERVISOR)
    assert client.get(f"/api/v1/cases/{case.reference}").status_code == 200
    assert _session(staff, Role.ANALYST).get("/api/v1/cases").status_code == 403


def test_a_session_writes_only_with_its_csrf_token(staff: dict[Role, Actor], case: Any) -> None:
    client = _session(staff, Role.SUPERVISOR)
    path = f"/api/v1/cases/{case.reference}/transitions"
    body = '{"to": "triage", "reason": "looked at"}'

    refused = client.post(path, body, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    assert "CSRF" in refused.json()["error"]["message"]
    allowed = client.post(path, body, content_type="application/json", headers=_csrf(client))
    assert allowed.status_code == 200


def test_a_session_that_is_not_signed_in_gets_401_not_a_csrf_refusal(case: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get("/api/v1/cases")  # whatever cookies the server sets
    reply = client.post(
        f"/api/v1/cases/{case.reference}/transitions",
        '{"to": "triage", "reason": "x"}',
        content_type="application/json",
    )
    assert reply.status_code == 401


def test_a_token_needs_no_csrf_token(as_role: dict[Role, Api], case: Any) -> None:
    api = as_role[Role.SUPERVISOR]
    assert api.client.cookies == {} or "csrftoken" not in api.client.cookies
    reply = api.post(f"/cases/{case.reference}/transitions", {"to": "triage", "reason": "x"})
    assert reply.status == 200
