"""The complainant's contact details on the staff pages: an investigator who linked the
complaint to his own case asks a supervisor, who decides on the complaint's page; the
approvals list the requests. Every page showing a complaint's text records the read."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from nadzor.cases.domain import Actor, Role, Status, TransitionRequest
from tests.web.staff.conftest import CONTACT, text_of

pytestmark = pytest.mark.django_db

V, S, IT = Role.INVESTIGATOR, Role.SUPERVISOR, Role.INTAKE


def audit(action: str) -> list[tuple[str, str, dict[str, Any]]]:
    from nadzor.store.models import AuditEntry

    rows = AuditEntry.objects.filter(action=action).order_by("seq")
    return [(r.actor, r.subject, json.loads(r.data)) for r in rows]


def test_an_investigator_asks_and_a_supervisor_approves_on_the_pages(
    browser: Callable[..., Any], submit: Callable[..., Any], staff: dict[Role, Actor]
) -> None:
    from nadzor.cases.services import NewCase, create_case, transition

    ivan_actor = staff[V]
    reference = create_case(ivan_actor, NewCase(kind="provision", title="mine")).reference
    transition(ivan_actor, reference, TransitionRequest(Status.TRIAGE, "seen"))
    transition(ivan_actor, reference, TransitionRequest(Status.INVESTIGATING, "mine"))
    number = submit(contact=CONTACT).complaint_id
    ivan, boss = browser(V), browser(S)
    page = f"/staff/complaints/{number}/"

    linked = ivan.post(f"{page}link", {"reference": reference})
    assert linked.status_code == 302
    # linked by himself: no button to show them, and the address refuses
    shown = text_of(ivan.get(f"{page}?lang=en"))
    assert "Show contact details" not in shown
    assert "A supervisor must agree before you see them." in shown
    assert ivan.post(f"{page}identity").status_code == 403
    # a blank reason is refused beside the form
    refused = ivan.post(f"{page}identity/request?lang=en", {"reason": " "})
    assert refused.status_code == 422
    assert "a reason is required" in text_of(refused)
    assert ivan.post(f"{page}identity/request", {"reason": "to call her back"}).status_code == 302
    assert "asked to see the contact details" in text_of(ivan.get(f"{page}?lang=en"))

    listed = text_of(boss.get("/staff/approvals/?lang=en"))
    assert f"Complaint {number}" in listed and "to call her back" in listed
    # the supervisor's dashboard counts the request beside the closures awaiting a decision
    dashboard = text_of(boss.get("/staff/?lang=en"))
    assert "Requests to see who wrote a complaint 1" in " ".join(dashboard.split())
    analyst = browser(Role.ANALYST).get("/staff/?lang=en")  # sees the dashboard, decides nothing
    assert analyst.status_code == 200 and "Closures awaiting" in text_of(analyst)
    assert "Requests to see who wrote a complaint" not in text_of(analyst)
    assert "asks to see the contact details" in text_of(boss.get(f"{page}?lang=en"))
    decided = boss.post(
        f"{page}identity/decision", {"decision": "approve", "reason": "she asked for a call"}
    )
    assert decided.status_code == 302
    assert "Show contact details" in text_of(ivan.get(f"{page}?lang=en"))
    assert CONTACT["name"] in ivan.post(f"{page}identity").content.decode()
    assert [a for a, *_ in audit("identity.view")] == ["ivan"]
    assert [d["decision"] for _a, _s, d in audit("identity.decision")] == ["approve"]


def test_every_page_showing_complaint_text_records_the_read(
    browser: Callable[..., Any], submit: Callable[..., Any], staff: dict[Role, Actor]
) -> None:
    from nadzor.complaints.services import open_case

    first, second = submit().complaint_id, submit().complaint_id
    intake, boss = browser(IT), browser(S)
    assert intake.get("/staff/complaints/?status=all").status_code == 200
    assert sorted(s for _a, s, _d in audit("complaint.view")) == [
        f"complaint:{first}",
        f"complaint:{second}",
    ]
    intake.get(f"/staff/complaints/{first}/")
    reference = open_case(staff[S], first).reference
    boss.get(f"/staff/cases/{reference}/")
    entries = audit("complaint.view")
    assert entries[2:] == [
        ("ira", f"complaint:{first}", {"complaint": first, "fields": ["text", "messages"]}),
        ("sofia", f"complaint:{first}", {"complaint": first, "fields": ["text"]}),
    ]
    stored = json.dumps([d for _a, _s, d in entries], ensure_ascii=False)
    assert "зимнюю" not in stored
