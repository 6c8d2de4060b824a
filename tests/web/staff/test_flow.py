"""A complaint worked to a remedy through the pages alone, closure approval, evidence, notes,
deadlines, replies and contact details, each step as a member of staff would take it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from nadzor.cases.domain import Actor, Role
from tests.web.staff.conftest import CONTACT, EXE, PDF, text_of

pytestmark = pytest.mark.django_db

IT, V, S = Role.INTAKE, Role.INVESTIGATOR, Role.SUPERVISOR


def audit(action: str) -> list[tuple[str, str, dict[str, Any]]]:
    from nadzor.store.models import AuditEntry

    rows = AuditEntry.objects.filter(action=action).order_by("seq")
    return [(r.actor, r.subject, json.loads(r.data)) for r in rows]


def case_of(reference: str) -> Any:
    from nadzor.store.models import Case

    return Case.objects.select_related("assignee").get(reference=reference)


def step(client: Any, reference: str, target: str, reason: str = "because", **more: str) -> Any:
    return client.post(
        f"/staff/cases/{reference}/transition?lang=en",
        {"target": target, "reason": reason, **more},
    )


def offered(response: Any) -> list[str]:
    return re.findall(r'name="target" value="([a-z_]+)"', response.content.decode())


def test_complaint_to_a_remedy_through_the_pages(
    browser: Callable[..., Any], submit: Callable[..., Any]
) -> None:
    from nadzor.complaints.services import status_of

    receipt = submit(contact=CONTACT)
    intake, ivan, boss = browser(IT), browser(V), browser(S)

    # intake: the inbox shows the new complaint with a button to open a case
    inbox = intake.get("/staff/complaints/?lang=en")
    assert f'id="complaint-{receipt.complaint_id}"' in inbox.content.decode()
    response = intake.post(
        f"/staff/complaints/{receipt.complaint_id}/open-case?lang=en", {"back": "inbox"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/staff/complaints/?lang=en"
    reference = case_of_complaint(receipt.complaint_id)
    assert f"Case {reference} was opened" in text_of(intake.get(response["Location"]))

    # intake may only move a new case to triage
    page = intake.get(f"/staff/cases/{reference}/?lang=en")
    assert offered(page) == ["triage"]
    assert step(intake, reference, "triage", "read and checked").status_code == 302
    assert case_of(reference).status == "triage"

    # the supervisor assigns it: the form offers the assignee select
    page = boss.get(f"/staff/cases/{reference}/?lang=en")
    assert offered(page) == ["investigating", "closed_unfounded"]
    assert 'name="assignee"' in page.content.decode()
    assert (
        step(boss, reference, "investigating", "Ivan knows the unit", assignee="ivan").status_code
        == 302
    )
    assert (case_of(reference).status, case_of(reference).assignee.username) == (
        "investigating",
        "ivan",
    )

    # the investigator asks for a remedy, then resolves: a missing remedy is refused
    page = ivan.get(f"/staff/cases/{reference}/?lang=en")
    assert offered(page) == ["remedy_requested", "closed_unfounded"]
    assert step(ivan, reference, "remedy_requested", "letter to the commander").status_code == 302
    refused = step(ivan, reference, "resolved", "uniforms issued on 1 Dec")
    assert refused.status_code == 422
    shown = refused.content.decode()
    assert "a case can be resolved only with a remedy" in shown
    assert "uniforms issued on 1 Dec</textarea>" in shown  # what was typed is kept
    assert case_of(reference).status == "remedy_requested"
    done = step(ivan, reference, "resolved", "uniforms issued on 1 Dec", remedy="kit_issued")
    assert done.status_code == 302
    stored = case_of(reference)
    assert (stored.status, stored.remedy) == ("resolved", "kit_issued")

    # the complainant sees it on the status page; the history lists every step
    assert status_of(receipt.code).status == "resolved"
    history = text_of(ivan.get(f"/staff/cases/{reference}/?lang=en"))
    # the history is told in sentences, not in the audit log's codes
    for sentence in (
        "ira opened the case: provision",
        "ira linked complaint",
        "moved the case from “investigating” to “remedy requested”",
        "Remedy: kit issued.",
    ):
        assert sentence in history
    for code in ("case.create", "complaint.link", "case.status", "{"):
        assert code not in history
    steps = [(a, d["to"]) for a, s, d in audit("case.status") if s == f"case:{reference}"]
    assert steps == [
        ("ira", "triage"),
        ("sofia", "investigating"),
        ("ivan", "remedy_requested"),
        ("ivan", "resolved"),
    ]


def case_of_complaint(number: int) -> str:
    from nadzor.store.models import Complaint

    return Complaint.objects.select_related("case").get(pk=number).case.reference


def test_a_reply_reaches_the_status_page(
    browser: Callable[..., Any], submit: Callable[..., Any]
) -> None:
    from nadzor.complaints.services import status_of

    receipt = submit()
    intake = browser(IT)
    url = f"/staff/complaints/{receipt.complaint_id}/reply?lang=en"
    empty = intake.post(url, {"text": "   "})
    assert empty.status_code == 422
    assert "Write the reply." in text_of(empty)
    response = intake.post(url, {"text": "Мы получили вашу жалобу и проверяем её."})
    assert response.status_code == 302
    assert response["Location"] == f"/staff/complaints/{receipt.complaint_id}/?lang=en"
    status = status_of(receipt.code)
    assert [(m.sender, m.text) for m in status.messages] == [
        ("staff", "Мы получили вашу жалобу и проверяем её.")
    ]
    page = text_of(intake.get(response["Location"]))
    assert "The reply was sent" in page
    assert "Мы получили вашу жалобу" in page


def test_contact_details_only_on_request_and_only_for_roles_allowed(
    browser: Callable[..., Any], submit: Callable[..., Any], staff: dict[Role, Actor]
) -> None:
    receipt = submit(contact=CONTACT)
    number = receipt.complaint_id
    intake, boss = browser(IT), browser(S)

    # nobody's page shows them by default, and intake is not offered the button
    for client in (intake, boss):
        assert CONTACT["name"] not in client.get(f"/staff/complaints/{number}/").content.decode()
    assert "Show contact details" not in text_of(intake.get(f"/staff/complaints/{number}/?lang=en"))
    assert intake.post(f"/staff/complaints/{number}/identity").status_code == 403
    assert audit("identity.view") == []

    # a supervisor presses the button: shown once, and recorded
    assert "Show contact details" in text_of(boss.get(f"/staff/complaints/{number}/?lang=en"))
    shown = boss.post(f"/staff/complaints/{number}/identity?lang=en")
    assert shown.status_code == 200
    assert CONTACT["name"] in shown.content.decode()
    assert CONTACT["phone"] in shown.content.decode()
    assert audit("identity.view") == [
        ("sofia", f"complaint:{number}", {"complaint": number, "fields": ["name", "phone"]})
    ]
    assert CONTACT["name"] not in boss.get(f"/staff/complaints/{number}/").content.decode()


def test_the_assigned_investigator_may_see_the_contact(
    browser: Callable[..., Any], submit: Callable[..., Any], staff: dict[Role, Actor]
) -> None:
    from nadzor.cases.domain import Status, TransitionRequest
    from nadzor.cases.services import transition
    from nadzor.complaints.services import open_case

    receipt = submit(contact=CONTACT)
    ivan = browser(V)
    url = f"/staff/complaints/{receipt.complaint_id}/identity"
    assert ivan.post(url).status_code == 403  # not his case (no case at all yet)
    case = open_case(staff[S], receipt.complaint_id)
    transition(staff[S], case.reference, TransitionRequest(Status.TRIAGE, "seen"))
    transition(
        staff[S], case.reference, TransitionRequest(Status.INVESTIGATING, "go", assignee="ivan")
    )
    assert CONTACT["name"] in ivan.post(url).content.decode()
    assert [a for a, *_ in audit("identity.view")] == ["ivan"]


def test_closure_requested_by_the_investigator_approved_by_a_supervisor(
    browser: Callable[..., Any], case: Any
) -> None:
    ivan, boss = browser(V), browser(S)
    reference = case.reference
    step(boss, reference, "triage")
    step(ivan, reference, "investigating", "I take it")  # an investigator takes it himself
    assert case_of(reference).assignee.username == "ivan"
    page = ivan.get(f"/staff/cases/{reference}/?lang=en")
    assert "Ask a supervisor to close as unfounded" in text_of(page)
    response = step(ivan, reference, "closed_unfounded", "the unit issued the kit already")
    assert response.status_code == 302
    assert "a supervisor will decide" in text_of(ivan.get(response["Location"]))
    assert case_of(reference).status == "investigating"

    approvals = boss.get("/staff/approvals/?lang=en")
    assert reference in approvals.content.decode()
    assert "the unit issued the kit already" in text_of(approvals)

    # a decision without a reason is refused on the approvals page, nothing changes
    refused = boss.post(
        f"/staff/cases/{reference}/closure?lang=en",
        {"decision": "approve", "reason": " ", "back": "approvals"},
    )
    assert refused.status_code == 422
    assert "a reason is required" in text_of(refused)
    assert case_of(reference).status == "investigating"

    approved = boss.post(
        f"/staff/cases/{reference}/closure?lang=en",
        {"decision": "approve", "reason": "checked with the unit", "back": "approvals"},
    )
    assert approved.status_code == 302
    assert approved["Location"] == "/staff/approvals/?lang=en"
    assert case_of(reference).status == "closed_unfounded"
    assert reference not in boss.get("/staff/approvals/").content.decode()
    # the investigator cannot decide closures
    assert ivan.get("/staff/approvals/").status_code == 403


def test_a_supervisor_rejects_a_closure_from_the_case_page(
    browser: Callable[..., Any], case: Any
) -> None:
    ivan, boss = browser(V), browser(S)
    reference = case.reference
    step(boss, reference, "triage")
    step(ivan, reference, "investigating", "mine")
    step(ivan, reference, "closed_unfounded", "nothing to do")
    page = boss.get(f"/staff/cases/{reference}/?lang=en")
    assert "Request awaiting your decision" in text_of(page)
    rejected = boss.post(
        f"/staff/cases/{reference}/closure?lang=en",
        {"decision": "reject", "reason": "talk to the family first"},
    )
    assert rejected.status_code == 302
    stored = case_of(reference)
    assert (stored.status, stored.closure_requested_by) == ("investigating", None)
    assert [(a, d.get("reason")) for a, _, d in audit("case.closure_rejected")] == [
        ("sofia", "talk to the family first")
    ]


def test_evidence_upload_download_and_a_refused_type(
    browser: Callable[..., Any], case: Any
) -> None:
    ivan, boss = browser(V), browser(S)
    reference = case.reference
    step(boss, reference, "triage")
    step(boss, reference, "investigating", assignee="ivan")
    url = f"/staff/cases/{reference}/evidence?lang=en"

    upload = SimpleUploadedFile("приказ.pdf", PDF, content_type="image/png")
    response = ivan.post(url, {"file": upload, "description": "the order"})
    assert response.status_code == 302
    digest = hashlib.sha256(PDF).hexdigest()
    page = ivan.get(f"/staff/cases/{reference}/?lang=en").content.decode()
    assert f"/staff/cases/{reference}/evidence/{digest}" in page
    assert "application/pdf" in page and "the order" in page

    download = ivan.get(f"/staff/cases/{reference}/evidence/{digest}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"  # sniffed, not what was sent
    assert download["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''%D0%BF%D1%80%D0%B8%D0%BA%D0%B0%D0%B7.pdf"
        in download["Content-Disposition"]
    )
    assert download["X-Content-Type-Options"] == "nosniff"
    assert [(a, d["sha256"]) for a, _, d in audit("evidence.view")] == [("ivan", digest)]

    # the same bytes again add nothing
    again = ivan.post(url, {"file": SimpleUploadedFile("copy.pdf", PDF)})
    assert again.status_code == 302
    assert "already attached" in text_of(ivan.get(again["Location"]))

    # a program is refused, the description is kept, nothing is stored
    refused = ivan.post(
        url, {"file": SimpleUploadedFile("photo.jpg", EXE), "description": "a photo"}
    )
    assert refused.status_code == 422
    shown = refused.content.decode()
    assert 'class="error" id="err_evidence"' in shown
    assert "are not accepted as evidence" in text_of(refused)
    assert 'value="a photo"' in shown
    assert len(audit("evidence.add")) == 1

    # no file at all
    nothing = ivan.post(url, {"description": "forgot it"})
    assert nothing.status_code == 422
    assert "Choose a file to add." in text_of(nothing)

    # unknown bytes on a case: not found; another's case: refused
    assert ivan.get(f"/staff/cases/{reference}/evidence/{'0' * 64}").status_code == 404
    assert browser(IT).get(f"/staff/cases/{reference}/evidence/{digest}").status_code == 403


def test_an_upload_over_the_limit_is_refused(
    browser: Callable[..., Any], case: Any, settings: Any
) -> None:
    settings.NADZOR_EVIDENCE_MAX_BYTES = 1024
    boss = browser(S)
    big = SimpleUploadedFile("big.pdf", PDF + b" " * 2048)
    response = boss.post(
        f"/staff/cases/{case.reference}/evidence?lang=en", {"file": big, "description": "scan"}
    )
    assert response.status_code == 422
    assert "The file is too large: at most 1.0" in text_of(response)
    assert 'value="scan"' in response.content.decode()
    assert audit("evidence.add") == []


def test_an_upload_far_over_the_limit_is_refused_before_it_is_read(
    browser: Callable[..., Any], case: Any, settings: Any
) -> None:
    settings.NADZOR_EVIDENCE_MAX_BYTES = 1024
    boss = browser(S)
    big = SimpleUploadedFile("big.pdf", PDF + b" " * (400 * 1024))
    response = boss.post(f"/staff/cases/{case.reference}/evidence?lang=en", {"file": big})
    assert response.status_code == 413
    assert "The file is too large" in text_of(response)
    assert audit("evidence.add") == []


def test_notes_and_the_one_deadline_extension(browser: Callable[..., Any], case: Any) -> None:
    boss = browser(S)
    reference = case.reference
    empty = boss.post(f"/staff/cases/{reference}/notes?lang=en", {"text": " "})
    assert empty.status_code == 422
    assert "a note cannot be empty" in text_of(empty)
    assert (
        boss.post(f"/staff/cases/{reference}/notes", {"text": "called the unit"}).status_code == 302
    )
    assert "called the unit" in text_of(boss.get(f"/staff/cases/{reference}/"))

    due = case_of(reference).due_on
    url = f"/staff/cases/{reference}/deadline?lang=en"
    no_reason = boss.post(url, {"days": "10", "reason": ""})
    assert no_reason.status_code == 422
    assert "extending a deadline needs a written reason" in text_of(no_reason)
    assert 'name="days" min="1" max="30" value="10"' in no_reason.content.decode()
    not_a_number = boss.post(url, {"days": "ten", "reason": "waiting for a reply"})
    assert "Give the number of days as a whole number." in text_of(not_a_number)
    assert boss.post(url, {"days": "10", "reason": "waiting for the unit"}).status_code == 302
    assert case_of(reference).due_on == due + dt.timedelta(days=10)
    page = text_of(boss.get(f"/staff/cases/{reference}/?lang=en"))
    assert "Extend the deadline" not in page  # once only: the form is gone
    again = boss.post(url, {"days": "5", "reason": "more"})
    assert again.status_code == 422
    assert "a deadline can be extended only once" in text_of(again)


def test_a_step_that_is_not_offered_is_refused_with_a_message(
    browser: Callable[..., Any], case: Any
) -> None:
    intake = browser(IT)
    response = step(intake, case.reference, "resolved", "just do it", remedy="other")
    assert response.status_code == 422
    assert "a case cannot go from new to resolved" in text_of(response)
    unknown = step(intake, case.reference, "vanished")
    assert unknown.status_code == 422
    assert "Choose a step from the page." in text_of(unknown)
    assert case_of(case.reference).status == "new"


def test_personal_data_of_a_case_on_request(
    browser: Callable[..., Any], case: Any, staff: dict[Role, Actor]
) -> None:
    from nadzor.cases.services import add_person

    add_person(staff[S], case.reference, full_name="Иванов Пётр", contact="+7 900 000-00-00")
    boss = browser(S)
    assert "Иванов" not in boss.get(f"/staff/cases/{case.reference}/").content.decode()
    shown = boss.post(f"/staff/cases/{case.reference}/people?lang=en")
    assert "Иванов Пётр" in shown.content.decode()
    assert [a for a, *_ in audit("identity.view")] == ["sofia"]
    assert browser(IT).post(f"/staff/cases/{case.reference}/people").status_code == 403
