"""The staff side: the triage inbox, a complaint without its identity, the identity shown
only to those who need it (every view audited), replies, closing, deadlines, and roles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from nadzor.cases.domain import Actor, Denied, InvalidDeadline, Role, Status, TransitionRequest

from .conftest import CONTACT, OTHER_INVESTIGATOR, audit

pytestmark = pytest.mark.django_db

Staff = dict[Role, Actor]


def assigned_case(staff: Staff, complaint_id: int, investigator: str) -> str:
    """Open a case for the complaint and assign it to `investigator`; its reference."""
    from nadzor.cases.services import transition
    from nadzor.complaints.services import open_case

    boss = staff[Role.SUPERVISOR]
    reference = open_case(boss, complaint_id).reference
    transition(boss, reference, TransitionRequest(Status.TRIAGE, "seen"))
    transition(
        boss, reference, TransitionRequest(Status.INVESTIGATING, "go", assignee=investigator)
    )
    return reference


def test_the_inbox_lists_oldest_first_and_filters_by_status(
    staff: Staff, make_complaint: Callable[..., Any]
) -> None:
    from django.utils import timezone

    from nadzor.complaints.services import list_complaints, reply
    from nadzor.store.models import Complaint

    first, second, third = (make_complaint() for _ in range(3))
    # the second arrived first
    Complaint.objects.filter(pk=second.complaint_id).update(
        created_at=timezone.now() - dt.timedelta(days=3)
    )
    reply(staff[Role.INTAKE], third.complaint_id, "Приняли.")
    rows = list_complaints(staff[Role.INTAKE])
    assert [c.pk for c in rows] == [second.complaint_id, first.complaint_id, third.complaint_id]
    new = list_complaints(staff[Role.INVESTIGATOR], status="new")
    assert [c.pk for c in new] == [second.complaint_id, first.complaint_id]
    assert [c.pk for c in list_complaints(staff[Role.SUPERVISOR], "triaged")] == [
        third.complaint_id
    ]


def test_the_inbox_refuses_an_unknown_status(staff: Staff) -> None:
    from nadzor.complaints.services import BadInput, list_complaints

    with pytest.raises(BadInput, match="not one of new, triaged, linked, closed"):
        list_complaints(staff[Role.INTAKE], status="open")


def test_the_detail_has_no_identity(staff: Staff, submitted: Any) -> None:
    from nadzor.complaints.services import complaint_detail

    detail = complaint_detail(staff[Role.INTAKE], str(submitted.complaint_id))
    assert detail.complaint.pk == submitted.complaint_id
    assert detail.has_identity is True
    assert detail.case_reference is None
    assert detail.public_status == "received"
    assert [a.original_name for a in detail.attachments] == ["акт.pdf"]
    assert detail.messages == []
    shown = repr(detail) + repr(vars(detail.complaint))
    for value in CONTACT.values():
        assert value not in shown
    assert audit("identity.view") == []


def test_a_missing_complaint_is_not_found(staff: Staff) -> None:
    from nadzor.complaints.services import BadInput, NotFound, complaint_detail

    with pytest.raises(NotFound, match="no complaint 999"):
        complaint_detail(staff[Role.SUPERVISOR], 999)
    for bad in ("abc", -1, 0, True, "1e3", None):
        with pytest.raises(BadInput):
            complaint_detail(staff[Role.SUPERVISOR], bad)


def test_a_supervisor_sees_the_identity_and_every_view_is_audited(
    staff: Staff, submitted: Any
) -> None:
    from nadzor.complaints.services import view_complaint_identity

    boss = staff[Role.SUPERVISOR]
    for _ in range(2):
        identity = view_complaint_identity(boss, submitted.complaint_id)
        assert identity is not None
        assert (identity.name, identity.email) == (CONTACT["name"], CONTACT["email"])
    entries = audit("identity.view")
    assert entries == 2 * [
        {
            "actor": "sofia",
            "action": "identity.view",
            "subject": f"complaint:{submitted.complaint_id}",
            "data": {
                "complaint": submitted.complaint_id,
                "fields": ["name", "phone", "email", "other"],
            },
        }
    ]
    logged = str(audit())
    for value in CONTACT.values():
        assert value not in logged


def test_an_anonymous_complaint_has_no_identity_and_the_view_is_still_audited(
    staff: Staff, make_complaint: Callable[..., Any]
) -> None:
    from nadzor.complaints.services import complaint_detail, view_complaint_identity

    receipt = make_complaint()
    assert complaint_detail(staff[Role.SUPERVISOR], receipt.complaint_id).has_identity is False
    assert view_complaint_identity(staff[Role.SUPERVISOR], receipt.complaint_id) is None
    (entry,) = audit("identity.view")
    assert entry["data"] == {"complaint": receipt.complaint_id, "fields": []}


def test_an_investigator_sees_the_identity_only_on_his_own_case(
    staff: Staff, submitted: Any
) -> None:
    from nadzor.complaints.services import view_complaint_identity

    ivan = staff[Role.INVESTIGATOR]
    with pytest.raises(Denied):
        view_complaint_identity(ivan, submitted.complaint_id)  # not linked to any case
    assigned_case(staff, submitted.complaint_id, "ivan")
    assert view_complaint_identity(ivan, submitted.complaint_id) is not None
    with pytest.raises(Denied):
        view_complaint_identity(OTHER_INVESTIGATOR, submitted.complaint_id)
    assert [e["actor"] for e in audit("identity.view")] == ["ivan"]


@pytest.mark.parametrize("role", [Role.INTAKE, Role.ANALYST, Role.ADMIN])
def test_other_roles_never_see_the_identity(staff: Staff, submitted: Any, role: Role) -> None:
    from nadzor.complaints.services import view_complaint_identity

    with pytest.raises(Denied):
        view_complaint_identity(staff[role], submitted.complaint_id)
    assert audit("identity.view") == []


def test_a_reply_is_a_message_from_staff_and_triages_a_new_complaint(
    staff: Staff, submitted: Any
) -> None:
    from nadzor.complaints.services import complaint_detail, reply
    from nadzor.store.models import Complaint

    message = reply(staff[Role.INTAKE], submitted.complaint_id, "  Получили, разбираемся. ")
    assert (message.sender, message.author.username, message.text) == (
        "staff",
        "ira",
        "Получили, разбираемся.",
    )
    complaint = Complaint.objects.get(pk=submitted.complaint_id)
    assert complaint.status == "triaged"
    assert complaint.updated_at == message.at
    (entry,) = audit("complaint.message")
    assert entry == {
        "actor": "ira",
        "action": "complaint.message",
        "subject": f"complaint:{submitted.complaint_id}",
        "data": {
            "message": message.pk,
            "from": "staff",
            "status": {"from": "new", "to": "triaged"},
        },
    }
    reply(staff[Role.SUPERVISOR], submitted.complaint_id, "Ещё вопрос.")
    assert audit("complaint.message")[1]["data"] == {"message": message.pk + 1, "from": "staff"}
    detail = complaint_detail(staff[Role.SUPERVISOR], submitted.complaint_id)
    assert [m.author.username for m in detail.messages] == ["ira", "sofia"]
    assert detail.public_status == "in_review"


def test_a_reply_needs_text(staff: Staff, submitted: Any) -> None:
    from nadzor.complaints.services import InputErrors, reply

    with pytest.raises(InputErrors):
        reply(staff[Role.INTAKE], submitted.complaint_id, " \n ")


def test_an_investigator_replies_only_on_his_own_case(staff: Staff, submitted: Any) -> None:
    from nadzor.complaints.services import reply

    with pytest.raises(Denied):
        reply(staff[Role.INVESTIGATOR], submitted.complaint_id, "Здравствуйте")
    assigned_case(staff, submitted.complaint_id, "ivan")
    reply(staff[Role.INVESTIGATOR], submitted.complaint_id, "Здравствуйте")
    with pytest.raises(Denied):
        reply(OTHER_INVESTIGATOR, submitted.complaint_id, "Здравствуйте")


def test_closing_a_complaint_that_needs_no_case(staff: Staff, submitted: Any) -> None:
    from nadzor.complaints.services import BadInput, close_complaint, open_case, status_of

    with pytest.raises(BadInput, match="reason"):
        close_complaint(staff[Role.INTAKE], submitted.complaint_id, " ")
    closed = close_complaint(staff[Role.INTAKE], submitted.complaint_id, "a test message")
    assert closed.status == "closed"
    assert status_of(submitted.code).status == "closed"  # type: ignore[union-attr]
    (entry,) = audit("complaint.status")
    assert entry["data"] == {"from": "new", "to": "closed", "reason": "a test message"}
    with pytest.raises(BadInput, match="already closed"):
        close_complaint(staff[Role.INTAKE], submitted.complaint_id, "again")
    with pytest.raises(BadInput, match="closed"):
        open_case(staff[Role.SUPERVISOR], submitted.complaint_id)


def test_a_linked_complaint_follows_its_case(staff: Staff, submitted: Any) -> None:
    from nadzor.complaints.services import BadInput, close_complaint, open_case

    open_case(staff[Role.SUPERVISOR], submitted.complaint_id)
    with pytest.raises(BadInput, match="close the case instead"):
        close_complaint(staff[Role.SUPERVISOR], submitted.complaint_id, "done")


def test_the_deadline_is_extended_once_with_a_reason(staff: Staff, submitted: Any) -> None:
    from nadzor.complaints.services import extend_complaint_deadline
    from nadzor.store.models import Complaint

    boss = staff[Role.SUPERVISOR]
    due = Complaint.objects.get(pk=submitted.complaint_id).due_on
    with pytest.raises(InvalidDeadline, match="reason"):
        extend_complaint_deadline(boss, submitted.complaint_id, 10, "  ")
    with pytest.raises(InvalidDeadline, match="1 to 30"):
        extend_complaint_deadline(boss, submitted.complaint_id, 31, "waiting for the unit")
    complaint = extend_complaint_deadline(boss, submitted.complaint_id, 30, "waiting for the unit")
    assert complaint.due_on == due + dt.timedelta(days=30)
    assert complaint.deadline_extended
    assert complaint.extension_reason == "waiting for the unit"
    (entry,) = audit("complaint.update")
    assert entry["data"] == {
        "field": "due_on",
        "from": due.isoformat(),
        "to": (due + dt.timedelta(days=30)).isoformat(),
        "reason": "waiting for the unit",
    }
    with pytest.raises(InvalidDeadline, match="only once"):
        extend_complaint_deadline(boss, submitted.complaint_id, 1, "again")


def test_who_may_extend_a_complaint_deadline(staff: Staff, submitted: Any) -> None:
    from nadzor.complaints.services import extend_complaint_deadline

    for role in (Role.INTAKE, Role.INVESTIGATOR):
        with pytest.raises(Denied):
            extend_complaint_deadline(staff[role], submitted.complaint_id, 5, "reason")
    assigned_case(staff, submitted.complaint_id, "ivan")
    with pytest.raises(Denied):
        extend_complaint_deadline(OTHER_INVESTIGATOR, submitted.complaint_id, 5, "reason")
    extend_complaint_deadline(staff[Role.INVESTIGATOR], submitted.complaint_id, 5, "reason")


@pytest.mark.parametrize("role", [Role.ANALYST, Role.ADMIN])
def test_analysts_and_admins_may_do_nothing_with_complaints(
    staff: Staff, submitted: Any, role: Role
) -> None:
    from nadzor.cases.domain import Kind
    from nadzor.cases.services import NewCase, create_case
    from nadzor.complaints import services

    actor = staff[role]
    reference = create_case(staff[Role.SUPERVISOR], NewCase(kind=Kind.PROVISION)).reference
    number = submitted.complaint_id
    calls = [
        lambda: services.list_complaints(actor),
        lambda: services.complaint_detail(actor, number),
        lambda: services.complaint_detail(actor, 999),  # no hint that it does not exist
        lambda: services.view_complaint_identity(actor, number),
        lambda: services.reply(actor, number, "hello"),
        lambda: services.open_case(actor, number),
        lambda: services.link_to_case(actor, number, reference),
        lambda: services.move_to_case(actor, number, reference),
        lambda: services.possible_duplicates(actor, number),
        lambda: services.extend_complaint_deadline(actor, number, 5, "reason"),
        lambda: services.close_complaint(actor, number, "reason"),
    ]
    for call in calls:
        with pytest.raises(Denied):
            call()
    assert [e["action"] for e in audit()] == ["complaint.create", "case.create"]
