"""Triage: opening a case, linking and moving complaints between cases without losing
anything, the public status following the case, and possible duplicates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from nadzor.cases.domain import Actor, Denied, Kind, Role, Status, TransitionRequest

from .conftest import OTHER_INVESTIGATOR, PDF, audit, upload

pytestmark = pytest.mark.django_db

Staff = dict[Role, Actor]


def messages_of(complaint_id: int) -> list[tuple[str, str]]:
    from nadzor.store.models import ComplaintMessage

    rows = ComplaintMessage.objects.filter(complaint_id=complaint_id).order_by("at", "pk")
    return [(m.sender, m.text) for m in rows]


@pytest.fixture
def conversation(staff: Staff, submitted: Any) -> Any:
    """The submitted complaint with a message each way and a file sent later."""
    from nadzor.complaints.services import add_public_message, reply

    reply(staff[Role.INTAKE], submitted.complaint_id, "Уточните роту.")
    add_public_message(submitted.code, "Вторая рота.", [upload("список.pdf", PDF + b"list")])
    return submitted


def test_open_case_copies_the_complaint_and_links_it(staff: Staff, conversation: Any) -> None:
    from nadzor.complaints.services import complaint_detail, open_case, status_of
    from nadzor.store.models import Complaint

    number = conversation.complaint_id
    case = open_case(staff[Role.INTAKE], number)
    complaint = Complaint.objects.get(pk=number)
    assert (case.kind, case.region, case.facility) == ("provision", "Курская область", "в/ч 12345")
    assert case.status == "new"
    assert case.due_on == complaint.due_on
    assert (complaint.status, complaint.case_id) == ("linked", case.pk)
    assert complaint_detail(staff[Role.INTAKE], number).case_reference == case.reference
    assert messages_of(number) == [("staff", "Уточните роту."), ("you", "Вторая рота.")]
    assert status_of(conversation.code).status == "in_review"  # type: ignore[union-attr]
    links = audit("complaint.link")
    assert [e["subject"] for e in links] == [f"complaint:{number}", f"case:{case.reference}"]
    assert all(e["actor"] == "ira" for e in links)
    assert links[0]["data"] == {
        "complaint": number,
        "from": None,
        "to": case.reference,
        "status": {"from": "triaged", "to": "linked"},
    }
    # (the detail read above is a `complaint.view` entry of its own)
    assert [e["action"] for e in audit() if e["action"] != "complaint.view"][-5:] == [
        "case.create",
        "complaint.link",
        "complaint.link",
        "evidence.add",
        "evidence.add",
    ]
    # the complainant's files are now the case's evidence: same bytes, same hash, audited
    evidence = list(case.evidence.order_by("pk"))
    attachments = list(complaint.attachments.order_by("added_at", "pk"))
    assert [(e.sha256, e.size, e.media_type, e.original_name) for e in evidence] == [
        (a.sha256, a.size, "application/pdf", a.original_name) for a in attachments
    ]
    assert [e.original_name for e in evidence] == ["акт.pdf", "список.pdf"]
    added = audit("evidence.add")[-2:]
    assert {e["subject"] for e in added} == {f"case:{case.reference}"}
    assert [e["data"]["sha256"] for e in added] == [a.sha256 for a in attachments]
    assert {e["data"]["from"] for e in added} == {f"complaint:{number}"}


@pytest.mark.parametrize(
    "category", ["unlawful_callup", "conditions", "training", "abuse", "other"]
)
def test_the_case_kind_is_the_category(
    staff: Staff, make_complaint: Callable[..., Any], category: str
) -> None:
    from nadzor.complaints.services import open_case

    reason = "health" if category == "unlawful_callup" else None
    receipt = make_complaint(category=category, reason=reason)
    assert open_case(staff[Role.SUPERVISOR], receipt.complaint_id).kind == Kind(category)


def test_a_case_opened_from_an_older_complaint_is_due_when_the_complaint_is(
    staff: Staff, submitted: Any
) -> None:
    from django.utils import timezone

    from nadzor.complaints.services import extend_complaint_deadline, open_case
    from nadzor.store.models import Complaint

    ten_days_ago = timezone.now() - dt.timedelta(days=10)
    Complaint.objects.filter(pk=submitted.complaint_id).update(
        created_at=ten_days_ago, due_on=ten_days_ago.date() + dt.timedelta(days=30)
    )
    extend_complaint_deadline(staff[Role.SUPERVISOR], submitted.complaint_id, 7, "unit moved")
    case = open_case(staff[Role.SUPERVISOR], submitted.complaint_id)
    assert case.due_on == ten_days_ago.date() + dt.timedelta(days=37)
    assert case.registered_on == ten_days_ago.date()
    assert case.deadline_extended
    (update,) = audit("case.update")
    assert update["data"]["to"] == case.due_on.isoformat()
    assert update["data"]["extended"] is True


def test_open_case_needs_an_unlinked_complaint(staff: Staff, submitted: Any) -> None:
    from nadzor.complaints.services import BadInput, link_to_case, open_case

    case = open_case(staff[Role.SUPERVISOR], submitted.complaint_id)
    with pytest.raises(BadInput, match=f"already linked to case {case.reference}: move it"):
        open_case(staff[Role.SUPERVISOR], submitted.complaint_id)
    with pytest.raises(BadInput, match="move it"):
        link_to_case(staff[Role.SUPERVISOR], submitted.complaint_id, case.reference)


def test_link_to_an_existing_case(
    staff: Staff, conversation: Any, make_complaint: Callable[..., Any]
) -> None:
    from nadzor.complaints.services import link_to_case, open_case
    from nadzor.store.models import Case

    case = open_case(staff[Role.INTAKE], conversation.complaint_id)
    second = make_complaint(text="Другая жалоба о той же части.")
    complaint = link_to_case(staff[Role.INTAKE], second.complaint_id, f" {case.reference} ")
    assert (complaint.status, complaint.case_id) == ("linked", case.pk)
    assert set(Case.objects.get(pk=case.pk).complaints.values_list("pk", flat=True)) == {
        conversation.complaint_id,
        second.complaint_id,
    }
    entry = audit("complaint.link")[-1]
    assert entry["subject"] == f"case:{case.reference}"
    assert entry["data"]["from"] is None and entry["data"]["to"] == case.reference


def test_linking_needs_a_case_the_actor_may_open(staff: Staff, submitted: Any) -> None:
    from nadzor.cases.services import NewCase, create_case, transition
    from nadzor.complaints.services import NotFound, link_to_case

    boss = staff[Role.SUPERVISOR]
    reference = create_case(boss, NewCase(kind=Kind.PROVISION)).reference
    transition(boss, reference, TransitionRequest(Status.TRIAGE, "seen"))
    transition(boss, reference, TransitionRequest(Status.INVESTIGATING, "go", assignee="olga"))
    with pytest.raises(Denied):
        link_to_case(staff[Role.INTAKE], submitted.complaint_id, reference)
    with pytest.raises(Denied):
        link_to_case(staff[Role.INVESTIGATOR], submitted.complaint_id, reference)
    with pytest.raises(NotFound):
        link_to_case(boss, submitted.complaint_id, "NZ-2020-000999")
    assert audit("complaint.link") == []
    link_to_case(boss, submitted.complaint_id, reference)


def test_move_between_cases_keeps_messages_and_files(staff: Staff, conversation: Any) -> None:
    from nadzor.cases.services import NewCase, create_case
    from nadzor.complaints.services import add_public_message, move_to_case, open_case, reply
    from nadzor.store.models import Case, ComplaintAttachment

    boss = staff[Role.SUPERVISOR]
    number = conversation.complaint_id
    first = open_case(boss, number)
    second = create_case(boss, NewCase(kind=Kind.PROVISION, title="All of unit 12345"))
    before = messages_of(number)
    files = ComplaintAttachment.objects.filter(complaint_id=number).count()
    moved = move_to_case(boss, number, second.reference)
    assert (moved.case_id, moved.status) == (second.pk, "linked")
    assert messages_of(number) == before
    assert ComplaintAttachment.objects.filter(complaint_id=number).count() == files == 2
    assert not Case.objects.get(pk=first.pk).complaints.exists()
    move = audit("complaint.link")[-3:]
    assert [e["subject"] for e in move] == [
        f"complaint:{number}",
        f"case:{second.reference}",
        f"case:{first.reference}",
    ]
    assert {str(e["data"]) for e in move} == {
        str({"complaint": number, "from": first.reference, "to": second.reference})
    }
    # and back again (a split): nothing lost, the conversation goes on
    move_to_case(boss, number, first.reference)
    reply(boss, number, "Дело объединено.")
    add_public_message(conversation.code, "Спасибо.")
    assert messages_of(number) == [*before, ("staff", "Дело объединено."), ("you", "Спасибо.")]


def test_move_needs_a_linked_complaint_and_another_case(staff: Staff, submitted: Any) -> None:
    from nadzor.complaints.services import BadInput, move_to_case, open_case

    boss = staff[Role.SUPERVISOR]
    with pytest.raises(BadInput, match="not linked"):
        move_to_case(boss, submitted.complaint_id, "NZ-2026-000001")
    case = open_case(boss, submitted.complaint_id)
    with pytest.raises(BadInput, match="already in case"):
        move_to_case(boss, submitted.complaint_id, case.reference)


def test_moving_out_of_a_case_the_actor_may_not_open_is_denied(
    staff: Staff, submitted: Any
) -> None:
    from nadzor.cases.services import NewCase, create_case, transition
    from nadzor.complaints.services import move_to_case, open_case

    boss = staff[Role.SUPERVISOR]
    source = open_case(boss, submitted.complaint_id).reference
    transition(boss, source, TransitionRequest(Status.TRIAGE, "seen"))
    transition(boss, source, TransitionRequest(Status.INVESTIGATING, "go", assignee="olga"))
    target = create_case(boss, NewCase(kind=Kind.PROVISION)).reference
    with pytest.raises(Denied):
        move_to_case(staff[Role.INTAKE], submitted.complaint_id, target)
    with pytest.raises(Denied):
        move_to_case(staff[Role.INVESTIGATOR], submitted.complaint_id, target)
    move_to_case(OTHER_INVESTIGATOR, submitted.complaint_id, target)


def test_the_public_status_follows_the_case(staff: Staff, submitted: Any) -> None:
    from nadzor.cases.domain import Remedy
    from nadzor.cases.services import transition
    from nadzor.complaints.services import open_case, status_of

    boss = staff[Role.SUPERVISOR]
    reference = open_case(boss, submitted.complaint_id).reference
    shown = [status_of(submitted.code).status]  # type: ignore[union-attr]
    steps = [
        TransitionRequest(Status.TRIAGE, "seen"),
        TransitionRequest(Status.INVESTIGATING, "go", assignee="ivan"),
        TransitionRequest(Status.REMEDY_REQUESTED, "letter sent"),
        TransitionRequest(Status.RESOLVED, "issued", remedy=Remedy.KIT_ISSUED),
    ]
    for step in steps:
        transition(boss, reference, step)
        status = status_of(submitted.code)
        assert status is not None
        shown.append(status.status)
    assert shown == ["in_review", "in_review", "investigating", "remedy_requested", "resolved"]


# --- possible duplicates ----------------------------------------------------------------------

TEXT = (
    "В части 12345 третий месяц не выдают зимнюю форму и бронежилеты, командир говорит "
    "купить самим, в казарме нет отопления."
)


def test_duplicates_by_text(staff: Staff, make_complaint: Callable[..., Any]) -> None:
    from nadzor.complaints.services import possible_duplicates

    subject = make_complaint(text=TEXT, facility="")
    copy = make_complaint(text=TEXT.upper() + " Помогите!", facility="", occurred_on="2025-01-01")
    make_complaint(text="Сына призвали с астмой, медкомиссии не было.", facility="")
    found = possible_duplicates(staff[Role.INTAKE], subject.complaint_id)
    assert [(d.complaint.pk, d.why) for d in found] == [(copy.complaint_id, ("similar_text",))]
    assert 0.5 <= found[0].score < 1.0


def test_duplicates_by_facility_and_period(
    staff: Staff, make_complaint: Callable[..., Any]
) -> None:
    from nadzor.complaints.services import possible_duplicates

    subject = make_complaint(text="Нет еды.", facility="в/ч 12345", occurred_on="2026-11-01")
    near = make_complaint(text="Холодно.", facility="В/Ч-12345", occurred_on="2026-11-10")
    make_complaint(text="Холодно.", facility="В/Ч-12345", occurred_on="2026-10-01")  # too far
    make_complaint(text="Холодно.", facility="в/ч 54321", occurred_on="2026-11-01")  # elsewhere
    same = make_complaint(
        text="Нет еды.", facility="войсковая часть 12345", occurred_on="2026-11-02"
    )
    found = possible_duplicates(staff[Role.INVESTIGATOR], subject.complaint_id)
    assert [(d.complaint.pk, d.why, d.score) for d in found] == [
        (same.complaint_id, ("similar_text", "same_facility_period"), 1.0),
        (near.complaint_id, ("same_facility_period",), 0.0),
    ]


def test_duplicates_look_back_90_days(staff: Staff, make_complaint: Callable[..., Any]) -> None:
    from django.utils import timezone

    from nadzor.complaints.services import possible_duplicates
    from nadzor.store.models import Complaint

    subject = make_complaint(text=TEXT)
    old = make_complaint(text=TEXT)
    recent = make_complaint(text=TEXT)
    now = timezone.now()
    Complaint.objects.filter(pk=old.complaint_id).update(created_at=now - dt.timedelta(days=91))
    Complaint.objects.filter(pk=recent.complaint_id).update(created_at=now - dt.timedelta(days=89))
    found = possible_duplicates(staff[Role.SUPERVISOR], subject.complaint_id)
    assert [d.complaint.pk for d in found] == [recent.complaint_id]
