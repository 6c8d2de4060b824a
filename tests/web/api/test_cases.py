"""Cases over the API: list and filters, one case, staff entry, status steps, evidence."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import pytest

from nadzor.cases.domain import Actor, Kind, Role
from tests.web.api.conftest import Api, take
from tests.web.stored_findings import add_club_finding

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03" + bytes(200)


def new_cases(staff: dict[Role, Actor], n: int, **fields: Any) -> list[str]:
    from nadzor.cases.services import NewCase, create_case

    values = {"kind": Kind.CONDITIONS, "region": "Belgorod", **fields}
    return [create_case(staff[Role.SUPERVISOR], NewCase(**values)).reference for _ in range(n)]


def upload(api: Api, reference: str, name: str, data: bytes, **fields: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return api.upload(
        f"/cases/{reference}/evidence", {"file": SimpleUploadedFile(name, data), **fields}
    )


# --- the list -----------------------------------------------------------------------------


def test_the_list_is_paginated_with_a_count(
    as_role: dict[Role, Api], staff: dict[Role, Actor]
) -> None:
    refs = new_cases(staff, 5)
    boss = as_role[Role.SUPERVISOR]

    first = boss.get("/cases", limit=2)
    assert first.status == 200
    assert (first.body["count"], first.body["limit"], first.body["offset"]) == (5, 2, 0)
    rest = boss.get("/cases", limit=2, offset=2)
    last = boss.get("/cases", limit=2, offset=4)
    seen = [c["reference"] for page in (first, rest, last) for c in page.body["items"]]
    assert sorted(seen) == sorted(refs)
    assert len(last.body["items"]) == 1
    beyond = boss.get("/cases", offset=10)
    assert (beyond.body["count"], beyond.body["items"]) == (5, [])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"offset": -1}, "offset"),
        ({"limit": "many"}, "limit"),
        ({"status": "lost"}, "status"),
        ({"kind": "weather"}, "kind"),
        ({"overdue": "perhaps"}, "overdue"),
    ],
)
def test_bad_list_parameters_are_422_naming_them(
    as_role: dict[Role, Api], params: dict[str, Any], field: str
) -> None:
    reply = as_role[Role.SUPERVISOR].get("/cases", **params)
    assert reply.status == 422
    assert reply.error["field"] == field


def test_the_list_filters(as_role: dict[Role, Api], staff: dict[Role, Actor]) -> None:
    from nadzor.store.models import Case

    (kursk,) = new_cases(staff, 1, region="Kursk", kind=Kind.PROVISION)
    (late,) = new_cases(staff, 1, region="Belgorod")
    (mine,) = new_cases(staff, 1, region="Belgorod")
    take(staff, mine)
    Case.objects.filter(reference=late).update(due_on=dt.date(2020, 1, 1))
    boss = as_role[Role.SUPERVISOR]

    def refs(**params: Any) -> set[str]:
        reply = boss.get("/cases", **params)
        assert reply.status == 200, reply.body
        assert reply.body["count"] == len(reply.body["items"])
        return {c["reference"] for c in reply.body["items"]}

    assert refs(region="kursk") == {kursk}
    assert refs(kind="provision") == {kursk}
    assert refs(status="investigating") == {mine}
    assert refs(assignee="ivan") == {mine}
    assert refs(overdue="true") == {late}
    assert refs() == {kursk, late, mine}
    listed = boss.get("/cases").body["items"]
    assert listed[0]["reference"] == late  # overdue first
    assert listed[0]["deadline"] == "overdue"


def test_each_role_lists_only_what_it_may_see(
    as_role: dict[Role, Api], staff: dict[Role, Actor], olga_api: Api
) -> None:
    fresh, ivans, olgas = new_cases(staff, 3)
    take(staff, ivans, "ivan")
    take(staff, olgas, "olga")

    def refs(api: Api) -> set[str]:
        return {c["reference"] for c in api.get("/cases").body["items"]}

    assert refs(as_role[Role.SUPERVISOR]) == {fresh, ivans, olgas}
    assert refs(as_role[Role.INVESTIGATOR]) == {fresh, ivans}
    assert refs(olga_api) == {fresh, olgas}
    assert refs(as_role[Role.INTAKE]) == {fresh}


# --- one case -----------------------------------------------------------------------------


def test_a_case_shows_findings_complaints_and_evidence_but_no_personal_data(
    as_role: dict[Role, Api], staff: dict[Role, Actor], case: Any, complaint: Any
) -> None:
    from django.utils import timezone

    from nadzor.cases.services import add_person
    from nadzor.complaints.services import link_to_case
    from nadzor.store.models import Finding

    Finding.objects.create(
        case=case,
        source="register-2025.csv",
        record_id="R-000981",
        rule_id="RU22-AGE",
        rulebook="ru-2022@1.0.0",
        outcome="not_subject",
        basis="53-FZ art. 22",
        explanation="over the age limit for call-up",
        imported_at=timezone.now(),
    )
    link_to_case(staff[Role.SUPERVISOR], complaint.complaint_id, case.reference)
    add_person(
        staff[Role.SUPERVISOR], case.reference, full_name="Пётр Иванов", health_notes="asthma"
    )
    boss = as_role[Role.SUPERVISOR]
    assert upload(boss, case.reference, "scan.pdf", PDF, description="the order").status == 201

    reply = boss.get(f"/cases/{case.reference}")

    assert reply.status == 200
    body = reply.body
    assert (body["reference"], body["kind"], body["status"]) == (case.reference, "provision", "new")
    assert body["findings"] == [
        {
            "rule": "RU22-AGE",
            "rulebook": "ru-2022@1.0.0",
            "outcome": "not_subject",
            "deferment_until": None,
            "basis": "53-FZ art. 22",
            "explanation": "over the age limit for call-up",
            # imported before the day and the facts were kept: none, rather than a guess
            "evaluated_on": None,
            "explanations": {},
        }
    ]
    assert [c["id"] for c in body["complaints"]] == [complaint.complaint_id]
    assert body["complaints"][0]["status"] == "linked"
    (evidence,) = body["evidence"]
    assert evidence["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert (evidence["size"], evidence["media_type"]) == (len(PDF), "application/pdf")
    assert (evidence["description"], evidence["added_by"]) == ("the order", "sofia")
    text = json.dumps(body, ensure_ascii=False)
    for secret in ("Пётр", "asthma", "Мария", "+7 900", "R-000981", "scan.pdf"):
        assert secret not in text


def test_intake_sees_an_early_case_without_its_evidence(
    as_role: dict[Role, Api], case: Any
) -> None:
    reply = as_role[Role.INTAKE].get(f"/cases/{case.reference}")
    assert reply.status == 200
    assert reply.body["evidence"] is None


def test_a_malformed_reference_is_422(as_role: dict[Role, Api]) -> None:
    reply = as_role[Role.SUPERVISOR].get("/cases/NZ-12")
    assert (reply.status, reply.error["field"]) == (422, "ref")


# --- staff entry --------------------------------------------------------------------------


def test_staff_enter_a_case(as_role: dict[Role, Api]) -> None:
    from nadzor.audit.journal import entries_for

    body = {
        "kind": "conditions",
        "title": "Forty in a room for ten",
        "region": "Kursk",
        "facility": "Training ground 3",
        "priority": "high",
        "tags": ["overcrowding"],
    }
    reply = as_role[Role.INTAKE].post("/cases", body)

    assert reply.status == 201, reply.body
    ref = reply.body["reference"]
    assert (reply.body["status"], reply.body["priority"], reply.body["tags"]) == (
        "new",
        "high",
        ["overcrowding"],
    )
    assert reply.body["deadline"] == "ok"
    (entry,) = entries_for(f"case:{ref}")
    assert (entry.actor, entry.action) == ("ira", "case.create")


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({}, "kind", "required"),
        ({"kind": "weather"}, "kind", "not_a_choice"),
        ({"kind": "abuse", "priority": "asap"}, "priority", "not_a_choice"),
        ({"kind": "abuse", "tags": [""]}, "tags.0", "required"),
        ({"kind": "abuse", "tags": "one"}, "tags", "not_a_list"),
        ({"kind": "abuse", "status": "resolved"}, "status", "unknown_field"),
        ({"kind": "abuse", "title": 7}, "title", "not_text"),
    ],
)
def test_invalid_cases_are_422_naming_the_field(
    as_role: dict[Role, Api], body: dict[str, Any], field: str, code: str
) -> None:
    from nadzor.store.models import Case

    reply = as_role[Role.SUPERVISOR].post("/cases", body)
    assert reply.status == 422
    assert (reply.error["field"], reply.error["code"]) == (field, code)
    assert not Case.objects.exists()


# --- transitions --------------------------------------------------------------------------


def test_a_case_worked_to_a_remedy(
    as_role: dict[Role, Api], case: Any, staff: dict[Role, Actor]
) -> None:
    ref = case.reference
    intake, ivan = as_role[Role.INTAKE], as_role[Role.INVESTIGATOR]

    triaged = intake.post(f"/cases/{ref}/transitions", {"to": "triage", "reason": "looked at"})
    assert (triaged.status, triaged.body["status"], triaged.body["effect"]) == (
        200,
        "triage",
        "applied",
    )
    taken = ivan.post(f"/cases/{ref}/transitions", {"to": "investigating", "reason": "mine"})
    assert (taken.body["status"], taken.body["assignee"]) == ("investigating", "ivan")
    ivan.post(f"/cases/{ref}/transitions", {"to": "remedy_requested", "reason": "letter sent"})
    no_remedy = ivan.post(f"/cases/{ref}/transitions", {"to": "resolved", "reason": "done"})
    assert no_remedy.status == 409
    assert no_remedy.error["code"] == "invalid_transition"
    resolved = ivan.post(
        f"/cases/{ref}/transitions",
        {"to": "resolved", "reason": "issued", "remedy": "other", "remedy_text": "coats given"},
    )
    assert resolved.status == 200
    assert (resolved.body["remedy"], resolved.body["remedy_text"]) == ("other", "coats given")
    detail = as_role[Role.SUPERVISOR].get(f"/cases/{ref}").body
    assert (detail["status"], detail["remedy"], detail["deadline"]) == (
        "resolved",
        "other",
        "closed",
    )


def test_a_step_the_flow_does_not_allow_is_409(as_role: dict[Role, Api], case: Any) -> None:
    reply = as_role[Role.SUPERVISOR].post(
        f"/cases/{case.reference}/transitions", {"to": "resolved", "reason": "x"}
    )
    assert reply.status == 409


def test_an_investigators_closure_waits_for_a_supervisor(
    as_role: dict[Role, Api], case: Any, staff: dict[Role, Actor]
) -> None:
    ref = case.reference
    take(staff, ref)
    ivan, boss = as_role[Role.INVESTIGATOR], as_role[Role.SUPERVISOR]

    asked = ivan.post(f"/cases/{ref}/transitions", {"to": "closed_unfounded", "reason": "no"})
    assert asked.status == 200
    assert (asked.body["status"], asked.body["effect"], asked.body["closure_pending"]) == (
        "investigating",
        "closure_requested",
        True,
    )
    not_his = ivan.post(f"/cases/{ref}/transitions", {"decision": "approve", "reason": "ok"})
    assert not_his.status == 403
    rejected = boss.post(f"/cases/{ref}/transitions", {"decision": "reject", "reason": "look more"})
    assert (rejected.status, rejected.body["status"], rejected.body["closure_pending"]) == (
        200,
        "investigating",
        False,
    )
    nothing = boss.post(f"/cases/{ref}/transitions", {"decision": "approve", "reason": "ok"})
    assert nothing.status == 409
    ivan.post(f"/cases/{ref}/transitions", {"to": "closed_unfounded", "reason": "really"})
    approved = boss.post(f"/cases/{ref}/transitions", {"decision": "approve", "reason": "agreed"})
    assert (approved.status, approved.body["status"]) == (200, "closed_unfounded")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"reason": "x"}, "to"),
        ({"to": "triage", "decision": "approve", "reason": "x"}, "to"),
        ({"to": "triage"}, "reason"),
        ({"to": "triage", "reason": "  "}, "reason"),
        ({"to": "lost", "reason": "x"}, "to"),
        ({"decision": "maybe", "reason": "x"}, "decision"),
        ({"decision": "approve", "reason": "x", "assignee": "ivan"}, "assignee"),
        ({"to": "investigating", "reason": "x", "remedy": "bribe"}, "remedy"),
        ({"to": "triage", "reason": "x", "by": "me"}, "by"),
    ],
)
def test_bad_transitions_are_422_naming_the_field(
    as_role: dict[Role, Api], case: Any, body: dict[str, Any], field: str
) -> None:
    reply = as_role[Role.SUPERVISOR].post(f"/cases/{case.reference}/transitions", body)
    assert reply.status == 422, reply.body
    assert reply.error["field"] == field


def test_assigning_someone_who_cannot_take_cases_is_422_on_assignee(
    as_role: dict[Role, Api], case: Any, staff: dict[Role, Actor]
) -> None:
    ref = case.reference
    boss = as_role[Role.SUPERVISOR]
    boss.post(f"/cases/{ref}/transitions", {"to": "triage", "reason": "x"})
    for name in ("anna", "nobody"):
        reply = boss.post(
            f"/cases/{ref}/transitions", {"to": "investigating", "reason": "x", "assignee": name}
        )
        assert (reply.status, reply.error["field"]) == (422, "assignee")
    ok = boss.post(
        f"/cases/{ref}/transitions", {"to": "investigating", "reason": "x", "assignee": "olga"}
    )
    assert (ok.status, ok.body["assignee"]) == (200, "olga")


# --- evidence -----------------------------------------------------------------------------


def test_evidence_is_stored_with_hash_size_and_sniffed_type(
    as_role: dict[Role, Api], case: Any
) -> None:
    from nadzor.store.models import Evidence

    boss = as_role[Role.SUPERVISOR]
    first = upload(boss, case.reference, "letter.txt", PDF, description="the order")

    assert first.status == 201, first.body
    assert first.body["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert (first.body["size"], first.body["media_type"]) == (len(PDF), "application/pdf")
    again = upload(boss, case.reference, "other-name.pdf", PDF)
    assert again.status == 200
    assert again.body["sha256"] == first.body["sha256"]
    assert Evidence.objects.count() == 1


def test_evidence_over_the_limit_is_413(as_role: dict[Role, Api], case: Any) -> None:
    from django.conf import settings

    from nadzor.store.models import Evidence

    big = PDF + bytes(settings.NADZOR_EVIDENCE_MAX_BYTES)
    reply = upload(as_role[Role.SUPERVISOR], case.reference, "big.pdf", big)
    assert reply.status == 413
    assert (reply.error["code"], reply.error["field"]) == ("too_large", "file")
    assert not Evidence.objects.exists()


def test_refused_types_are_415_and_empty_or_missing_files_422(
    as_role: dict[Role, Api], case: Any
) -> None:
    from nadzor.store.models import Evidence

    boss = as_role[Role.SUPERVISOR]
    refused = upload(boss, case.reference, "scan.pdf", EXE)
    assert refused.status == 415
    assert (refused.error["code"], refused.error["field"]) == ("bad_type", "file")
    empty = upload(boss, case.reference, "empty.pdf", b"")
    assert (empty.status, empty.error["field"]) == (422, "file")
    missing = boss.upload(f"/cases/{case.reference}/evidence", {"description": "no file"})
    assert (missing.status, missing.error["field"]) == (422, "file")
    assert not Evidence.objects.exists()


def test_intake_may_not_add_evidence_once_a_case_is_worked(
    as_role: dict[Role, Api], case: Any, staff: dict[Role, Actor]
) -> None:
    intake = as_role[Role.INTAKE]
    assert upload(intake, case.reference, "a.pdf", PDF).status == 201
    take(staff, case.reference)
    assert upload(intake, case.reference, "b.pdf", PDF + b"\n").status == 403


def test_a_finding_gives_its_evaluation_date_and_its_explanation_in_each_language(
    as_role: dict[Role, Api], case: Any
) -> None:
    add_club_finding(case)
    finding = as_role[Role.SUPERVISOR].get(f"/cases/{case.reference}").body["findings"][-1]
    assert finding["evaluated_on"] == "2022-10-12"
    assert finding["explanations"]["en"] == finding["explanation"]
    assert finding["explanations"]["ru"].endswith("(вид помещения по реестру: клуб)")
