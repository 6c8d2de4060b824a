"""Who may read a complainant's identity: a supervisor, or the assigned investigator of a
case that a supervisor linked the complaint to, or whose request a supervisor approved.
And every staff read of a complaint's text is an audit entry without the text."""

from __future__ import annotations

from typing import Any

import pytest

from nadzor.cases.domain import Actor, Denied, InvalidTransition, Role, Status, TransitionRequest

from .conftest import COMPLAINT, CONTACT, OTHER_INVESTIGATOR, audit

pytestmark = pytest.mark.django_db

Staff = dict[Role, Actor]


def own_case(staff: Staff, investigator: Actor) -> str:
    """A case the investigator opened and took: nobody else involved."""
    from nadzor.cases.services import NewCase, create_case, transition

    reference = create_case(investigator, NewCase(kind="provision", title="my own")).reference
    transition(investigator, reference, TransitionRequest(Status.TRIAGE, "seen"))
    transition(investigator, reference, TransitionRequest(Status.INVESTIGATING, "mine"))
    return reference


def test_an_investigator_linking_a_complaint_to_his_own_case_does_not_see_the_identity(
    staff: Staff, submitted: Any
) -> None:
    """The hole: link any unlinked complaint to one's own case, then read who wrote it."""
    from nadzor.complaints.services import link_to_case, view_complaint_identity

    ivan = staff[Role.INVESTIGATOR]
    link_to_case(ivan, submitted.complaint_id, own_case(staff, ivan))
    with pytest.raises(Denied, match="a supervisor linked the complaint to it or approved"):
        view_complaint_identity(ivan, submitted.complaint_id)
    assert audit("identity.view") == []


def test_a_request_approved_by_a_supervisor_opens_the_identity_to_that_investigator(
    staff: Staff, submitted: Any
) -> None:
    from nadzor.complaints.services import (
        decide_identity_request,
        identity_requests,
        link_to_case,
        request_complaint_identity,
        view_complaint_identity,
    )

    ivan, boss = staff[Role.INVESTIGATOR], staff[Role.SUPERVISOR]
    number = submitted.complaint_id
    link_to_case(ivan, number, own_case(staff, ivan))
    with pytest.raises(InvalidTransition, match="a reason is required"):
        request_complaint_identity(ivan, number, "  ")
    request_complaint_identity(ivan, number, "to call her back about the heating")
    with pytest.raises(InvalidTransition, match="awaits a decision"):
        request_complaint_identity(ivan, number, "again")
    with pytest.raises(Denied):
        view_complaint_identity(ivan, number)  # not before the decision
    assert [c.pk for c in identity_requests(boss)] == [number]
    with pytest.raises(Denied):
        identity_requests(ivan)
    with pytest.raises(Denied):
        decide_identity_request(ivan, number, approve=True, reason="myself")
    decide_identity_request(boss, number, approve=True, reason="needed to reach her")
    identity = view_complaint_identity(ivan, number)
    assert identity is not None and identity.name == CONTACT["name"]
    assert list(identity_requests(boss)) == []
    (asked,) = audit("identity.request")
    assert (asked["actor"], asked["subject"]) == ("ivan", f"complaint:{number}")
    assert asked["data"] == {"complaint": number, "reason": "to call her back about the heating"}
    (decided,) = audit("identity.decision")
    assert decided["actor"] == boss.name
    assert decided["data"] == {
        "complaint": number,
        "decision": "approve",
        "for": "ivan",
        "reason": "needed to reach her",
    }
    assert [e["actor"] for e in audit("identity.view")] == ["ivan"]


def test_a_rejected_request_leaves_the_identity_closed_and_may_be_asked_again(
    staff: Staff, submitted: Any
) -> None:
    from nadzor.complaints.services import (
        decide_identity_request,
        link_to_case,
        request_complaint_identity,
        view_complaint_identity,
    )

    ivan, boss = staff[Role.INVESTIGATOR], staff[Role.SUPERVISOR]
    number = submitted.complaint_id
    link_to_case(ivan, number, own_case(staff, ivan))
    with pytest.raises(InvalidTransition, match="no request"):
        decide_identity_request(boss, number, approve=True, reason="?")
    request_complaint_identity(ivan, number, "curious")
    decide_identity_request(boss, number, approve=False, reason="not needed for the case")
    with pytest.raises(Denied):
        view_complaint_identity(ivan, number)
    request_complaint_identity(ivan, number, "now she asked for a call")
    assert [e["data"]["decision"] for e in audit("identity.decision")] == ["reject"]


def test_only_the_assigned_investigator_may_ask(staff: Staff, submitted: Any) -> None:
    from nadzor.complaints.services import link_to_case, request_complaint_identity

    ivan = staff[Role.INVESTIGATOR]
    with pytest.raises(Denied):
        request_complaint_identity(ivan, submitted.complaint_id, "unlinked")
    link_to_case(ivan, submitted.complaint_id, own_case(staff, ivan))
    for other in (OTHER_INVESTIGATOR, staff[Role.INTAKE], staff[Role.SUPERVISOR]):
        with pytest.raises(Denied):
            request_complaint_identity(other, submitted.complaint_id, "me too")
    assert audit("identity.request") == []


def test_a_case_a_supervisor_linked_opens_the_identity_to_its_assignee_whoever_it_is(
    staff: Staff, submitted: Any
) -> None:
    from nadzor.cases.services import transition
    from nadzor.complaints.services import link_to_case, view_complaint_identity

    ivan, boss = staff[Role.INVESTIGATOR], staff[Role.SUPERVISOR]
    reference = own_case(staff, ivan)
    link_to_case(boss, submitted.complaint_id, reference)
    assert view_complaint_identity(ivan, submitted.complaint_id) is not None
    # reopened and given to olga: she reads it, ivan no longer does
    transition(boss, reference, TransitionRequest(Status.CLOSED_UNFOUNDED, "dup"))
    transition(boss, reference, TransitionRequest(Status.INVESTIGATING, "back", assignee="olga"))
    assert view_complaint_identity(OTHER_INVESTIGATOR, submitted.complaint_id) is not None
    with pytest.raises(Denied):
        view_complaint_identity(ivan, submitted.complaint_id)


def test_an_approval_is_for_the_investigator_who_asked_and_ends_with_a_move(
    staff: Staff, submitted: Any
) -> None:
    from nadzor.cases.services import transition
    from nadzor.complaints.services import (
        decide_identity_request,
        link_to_case,
        move_to_case,
        request_complaint_identity,
        view_complaint_identity,
    )

    ivan, boss = staff[Role.INVESTIGATOR], staff[Role.SUPERVISOR]
    number = submitted.complaint_id
    reference = own_case(staff, ivan)
    link_to_case(ivan, number, reference)
    request_complaint_identity(ivan, number, "to call")
    decide_identity_request(boss, number, approve=True, reason="ok")
    # the case goes to olga: the approval was for ivan
    transition(boss, reference, TransitionRequest(Status.CLOSED_UNFOUNDED, "dup"))
    transition(boss, reference, TransitionRequest(Status.INVESTIGATING, "back", assignee="olga"))
    with pytest.raises(Denied):
        view_complaint_identity(OTHER_INVESTIGATOR, number)
    other = own_case(staff, ivan)
    # a supervisor's move clears it for the new case's assignee
    move_to_case(boss, number, other)
    assert view_complaint_identity(ivan, number) is not None
    # ivan moves it to another case of his: the clearance was about the old case
    move_to_case(ivan, number, own_case(staff, ivan))
    with pytest.raises(Denied):
        view_complaint_identity(ivan, number)


def test_an_approval_for_someone_who_no_longer_works_the_case_is_refused(
    staff: Staff, submitted: Any
) -> None:
    from nadzor.cases.services import transition
    from nadzor.complaints.services import (
        decide_identity_request,
        link_to_case,
        request_complaint_identity,
    )

    ivan, boss = staff[Role.INVESTIGATOR], staff[Role.SUPERVISOR]
    reference = own_case(staff, ivan)
    link_to_case(ivan, submitted.complaint_id, reference)
    request_complaint_identity(ivan, submitted.complaint_id, "to call")
    transition(boss, reference, TransitionRequest(Status.CLOSED_UNFOUNDED, "dup"))
    transition(boss, reference, TransitionRequest(Status.INVESTIGATING, "back", assignee="olga"))
    with pytest.raises(InvalidTransition, match="no longer works the case"):
        decide_identity_request(boss, submitted.complaint_id, approve=True, reason="ok")
    decide_identity_request(boss, submitted.complaint_id, approve=False, reason="moved on")


@pytest.mark.parametrize("role", [Role.INTAKE, Role.INVESTIGATOR, Role.SUPERVISOR])
def test_every_staff_read_of_a_complaint_text_is_audited_without_the_text(
    staff: Staff, submitted: Any, role: Role
) -> None:
    from nadzor.complaints.services import complaint_detail, reply
    from nadzor.store.models import AuditEntry

    reply(staff[Role.SUPERVISOR], submitted.complaint_id, "Приняли, спасибо.")
    before = len(audit("complaint.view"))
    complaint_detail(staff[role], submitted.complaint_id)
    entries = audit("complaint.view")
    assert len(entries) == before + 1
    assert entries[-1] == {
        "actor": staff[role].name,
        "action": "complaint.view",
        "subject": f"complaint:{submitted.complaint_id}",
        "data": {"complaint": submitted.complaint_id, "fields": ["text", "messages"]},
    }
    stored = "\n".join(AuditEntry.objects.values_list("data", flat=True))
    assert str(COMPLAINT["text"])[:20] not in stored
    assert "Приняли" not in stored
