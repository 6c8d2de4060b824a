"""Nobody's message is lost, a form sent twice creates one complaint, and a complaint that
reports several problems becomes several cases."""

from __future__ import annotations

from typing import Any

import pytest

from nadzor.cases.domain import Actor, Remedy, Role, Status, TransitionRequest

from .conftest import COMPLAINT, PDF, audit, upload

pytestmark = pytest.mark.django_db

Staff = dict[Role, Actor]


def unread_of(number: int) -> int:
    from nadzor.complaints.services import list_complaints

    row = list_complaints(Actor("boss", Role.SUPERVISOR)).get(pk=number)
    return int(row.unread)


def test_a_complainants_message_is_unread_until_staff_reply(staff: Staff, submitted: Any) -> None:
    from nadzor.complaints.services import add_public_message, list_complaints, reply

    number = submitted.complaint_id
    assert unread_of(number) == 0
    add_public_message(submitted.code, "Сына так и не отпустили.")
    add_public_message(submitted.code, "Ответьте, пожалуйста.")
    assert unread_of(number) == 2
    only = list_complaints(staff[Role.INTAKE], unread_only=True)
    assert [c.pk for c in only] == [number]
    reply(staff[Role.INTAKE], number, "Мы получили ваше сообщение.")
    assert unread_of(number) == 0
    assert list(list_complaints(staff[Role.INTAKE], unread_only=True)) == []
    assert audit("complaint.message")[-1]["data"]["answered"] == 2


def test_mark_read_needs_the_right_to_reply(staff: Staff, submitted: Any) -> None:
    from nadzor.cases.domain import Denied
    from nadzor.complaints.services import add_public_message, mark_read

    add_public_message(submitted.code, "Ещё одно.")
    with pytest.raises(Denied):
        mark_read(Actor("olga", Role.INVESTIGATOR), submitted.complaint_id)
    assert mark_read(staff[Role.INTAKE], submitted.complaint_id) == 1
    assert unread_of(submitted.complaint_id) == 0


def test_a_message_on_a_resolved_case_reaches_its_investigator(
    staff: Staff, submitted: Any
) -> None:
    from nadzor.cases.services import CaseFilters, list_cases, transition
    from nadzor.complaints.services import add_public_message, open_case

    boss, ivan = staff[Role.SUPERVISOR], staff[Role.INVESTIGATOR]
    case = open_case(boss, submitted.complaint_id)
    for request in (
        TransitionRequest(Status.TRIAGE, "к работе"),
        TransitionRequest(Status.INVESTIGATING, "проверка", assignee=ivan.name),
        TransitionRequest(Status.REMEDY_REQUESTED, "запрос"),
        TransitionRequest(Status.RESOLVED, "выдали", remedy=Remedy.KIT_ISSUED),
    ):
        transition(boss, case.reference, request)
    mine = CaseFilters(mine=True)
    assert [c.reference for c in list_cases(ivan, mine)] == []  # resolved: off the list
    add_public_message(
        submitted.code, "Форму так и не выдали.", [upload("фото.pdf", PDF + b"photo")]
    )
    rows = list(list_cases(ivan, mine))
    assert [(c.reference, c.unread) for c in rows] == [(case.reference, 1)]
    assert [c.reference for c in list_cases(boss, CaseFilters(unread=True))] == [case.reference]
    # the message is in the case's history and its file in the case's evidence
    entry = audit("complaint.message")[-1]
    assert entry["subject"] == f"case:{case.reference}"
    assert case.evidence.filter(original_name="фото.pdf").exists()


def test_a_form_sent_twice_creates_one_complaint(db: None) -> None:
    from nadzor.complaints.services import AlreadyReceivedError, submit
    from nadzor.store.models import Complaint, SubmissionNonce

    submit(dict(COMPLAINT), nonce="form-1")
    with pytest.raises(AlreadyReceivedError):
        submit(dict(COMPLAINT), nonce="form-1")
    submit(dict(COMPLAINT), nonce="form-2")
    submit(dict(COMPLAINT))  # the API sends no nonce
    assert Complaint.objects.count() == 3
    stored = list(SubmissionNonce.objects.values_list("digest", flat=True))
    assert len(stored) == 2 and "form-1" not in stored  # only a hash is kept


def test_a_refused_form_keeps_its_nonce_usable(db: None) -> None:
    from nadzor.complaints.services import InputErrors, submit
    from nadzor.store.models import Complaint

    with pytest.raises(InputErrors):
        submit({**COMPLAINT, "text": ""}, nonce="form-3")
    submit(dict(COMPLAINT), nonce="form-3")
    assert Complaint.objects.count() == 1


def test_a_complaint_with_two_problems_is_split_into_two_cases(staff: Staff) -> None:
    from nadzor.cases.services import case_view
    from nadzor.complaints.services import split_complaint, submit
    from nadzor.store.models import Complaint

    sent = submit(
        {
            **COMPLAINT,
            "category": ["unlawful_callup", "provision"],
            "reason": {"unlawful_callup": "health", "provision": "winter_uniform"},
        },
        [upload("справка.pdf", PDF)],
    )
    complaint = Complaint.objects.get(pk=sent.complaint_id)
    assert complaint.topics == [
        {"category": "unlawful_callup", "reason": "health"},
        {"category": "provision", "reason": "winter_uniform"},
    ]
    intake = staff[Role.INTAKE]
    first, second = split_complaint(intake, sent.complaint_id, ["unlawful_callup", "provision"])
    complaint.refresh_from_db()
    assert (first.kind, second.kind) == ("unlawful_callup", "provision")
    assert complaint.case_id == first.pk and second.split_from_id == complaint.pk
    for case in (first, second):
        assert (case.region, case.facility, case.due_on) == (
            complaint.region,
            complaint.facility,
            complaint.due_on,
        )
        assert [e.original_name for e in case.evidence.all()] == ["справка.pdf"]
    boss = staff[Role.SUPERVISOR]
    assert case_view(boss, second.reference).case.split_from_id == complaint.pk
    with pytest.raises(Exception, match="has a case already"):
        split_complaint(intake, sent.complaint_id, ["provision"])
    assert [e["data"]["split_to"] for e in audit("complaint.split")] == [second.reference] * 2
