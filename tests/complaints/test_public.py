"""The public desk: submit, find by receipt code, status page, writing again.

The receipt code is kept nowhere in clear; a wrong code and an unknown one get the same
answer after the same work; the audit log never holds the text or the identity.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import re
from collections.abc import Callable
from typing import Any

import pytest
from argon2 import PasswordHasher, extract_parameters

from nadzor.cases.domain import Actor, Role
from nadzor.complaints.domain import ErrorCode, format_code

from .conftest import COMPLAINT, CONTACT, PDF, audit, dump_tables, upload

pytestmark = pytest.mark.django_db


def other_code(code: str) -> str:
    """The code with its last digit changed: a wrong code for a real complaint."""
    return code[:-1] + str((int(code[-1]) + 1) % 10)


# --- submitting -----------------------------------------------------------------------------


def test_submit_stores_the_complaint_and_returns_the_code_once(submitted: Any) -> None:
    from django.utils import timezone

    from nadzor.store.models import Complaint

    assert re.fullmatch(r"[0-9]{16}", submitted.code)
    assert submitted.formatted == format_code(submitted.code)
    complaint = Complaint.objects.get(pk=submitted.complaint_id)
    assert complaint.category == "provision"
    assert complaint.reason == "winter_uniform"
    assert complaint.region == "Курская область"
    assert complaint.facility == "в/ч 12345"
    assert complaint.facility_key == "вч12345"
    assert complaint.text == COMPLAINT["text"]
    assert complaint.occurred_on == dt.date(2026, 11, 1)
    assert complaint.status == "new"
    assert complaint.case is None
    assert complaint.language == "ru"
    today = timezone.now().date()
    assert complaint.due_on == today + dt.timedelta(days=30)
    assert not complaint.deadline_extended


def test_the_receipt_does_not_show_its_code_in_its_repr(submitted: Any) -> None:
    assert submitted.code not in repr(submitted)
    assert submitted.formatted not in repr(submitted)


def test_identity_is_stored_apart_and_only_when_given(
    submitted: Any, make_complaint: Callable[..., Any]
) -> None:
    from nadzor.store.models import Complaint, ComplaintIdentity

    identity = ComplaintIdentity.objects.get(complaint_id=submitted.complaint_id)
    assert (identity.name, identity.phone, identity.email, identity.other) == (
        CONTACT["name"],
        CONTACT["phone"],
        CONTACT["email"],
        CONTACT["other"],
    )
    complaint_columns = {f.attname for f in Complaint._meta.concrete_fields}
    assert not complaint_columns & {"name", "phone", "email", "other", "contact"}
    anonymous = make_complaint(contact={"name": "", "email": None})
    assert not ComplaintIdentity.objects.filter(complaint_id=anonymous.complaint_id).exists()
    assert ComplaintIdentity.objects.count() == 1


def test_no_address_or_user_agent_is_stored_anywhere() -> None:
    from django.apps import apps

    for model in apps.get_app_config("store").get_models():
        if not model.__name__.startswith("Complaint"):
            continue
        for field in model._meta.concrete_fields:
            assert not re.search(r"ip|addr|agent|browser|cookie", field.name), field.name


def test_submit_is_audited_without_text_or_identity(submitted: Any) -> None:
    (entry,) = audit("complaint.create")
    assert entry == {
        "actor": "public",
        "action": "complaint.create",
        "subject": f"complaint:{submitted.complaint_id}",
        "data": {
            "id": submitted.complaint_id,
            "category": "provision",
            "reason": "winter_uniform",
            "region": "Курская область",
            "has_identity": True,
            "attachments": 1,
        },
    }
    logged = dump_audit_text()
    for secret in [COMPLAINT["text"], *CONTACT.values(), "в/ч 12345"]:
        assert str(secret) not in logged


def dump_audit_text() -> str:
    return "\n".join(str(entry) for entry in audit())


def test_the_code_is_in_no_table_in_any_grouping(submitted: Any) -> None:
    from nadzor.complaints.services import add_public_message, status_of

    add_public_message(submitted.formatted, "Ещё: нет и обуви.", [upload("2.pdf", PDF + b"2")])
    assert status_of(submitted.code) is not None
    code = submitted.code
    text = dump_tables()
    assert text  # the dump did read the tables
    for shown in (code, format_code(code), "-".join(re.findall("....", code))):
        assert shown not in text
    # however grouped or split across values: not even the digits in a row
    assert code not in re.sub(r"[^0-9]", "", text)
    for value in text.split("\n"):
        assert code not in re.sub(r"[^0-9]", "", value)


def test_the_code_is_never_logged(caplog: pytest.LogCaptureFixture) -> None:
    from nadzor.complaints.services import status_of, submit

    with caplog.at_level(logging.DEBUG):
        receipt = submit(dict(COMPLAINT))
        status_of(receipt.code)
    assert receipt.code not in caplog.text
    assert receipt.code not in re.sub(r"[^0-9]", "", caplog.text)


def test_lookup_is_a_keyed_hash_and_confirmation_an_argon2_hash(submitted: Any) -> None:
    from django.conf import settings

    from nadzor.complaints import _receipts
    from nadzor.store.models import Complaint

    complaint = Complaint.objects.get(pk=submitted.complaint_id)
    key = settings.SECRET_KEY.encode()
    assert (
        complaint.lookup_digest
        == hmac.new(key, submitted.code.encode(), hashlib.sha256).hexdigest()
    )
    assert complaint.lookup_digest != hashlib.sha256(submitted.code.encode()).hexdigest()
    assert complaint.code_hash.startswith("$argon2id$")
    assert PasswordHasher().verify(complaint.code_hash, submitted.code)
    # the dummy hash for unknown codes costs what a real one costs
    assert extract_parameters(_receipts.DUMMY_HASH) == extract_parameters(complaint.code_hash)
    assert not _receipts.HASHER.check_needs_rehash(_receipts.DUMMY_HASH)


def test_each_complaint_gets_its_own_code(make_complaint: Callable[..., Any]) -> None:
    codes = {make_complaint().code for _ in range(5)}
    assert len(codes) == 5


def test_a_colliding_code_is_drawn_again(submitted: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from nadzor.complaints import _public
    from nadzor.complaints.services import find, submit

    drawn = iter([submitted.code, "0000111122223333"])
    monkeypatch.setattr(_public, "new_receipt_code", lambda: next(drawn))
    second = submit(dict(COMPLAINT))
    assert second.code == "0000111122223333"
    assert find(submitted.code).pk == submitted.complaint_id  # type: ignore[union-attr]


def test_invalid_input_stores_nothing_and_echoes_the_form() -> None:
    from nadzor.complaints.services import InputErrors, submit
    from nadzor.store.models import AuditEntry, Complaint

    raw = {"category": "provision", "text": "", "occurred_on": "31.12.2099", "region": "Курск"}
    with pytest.raises(InputErrors) as caught:
        submit(raw, [upload("a.exe", b"MZ\x90\x00" + bytes(100))])
    errors = caught.value
    assert errors.codes() == {
        "text": [ErrorCode.REQUIRED],
        "occurred_on": [ErrorCode.FUTURE],
        "attachments": [ErrorCode.BAD_TYPE],
    }
    assert errors.echo == {
        "category": "provision",
        "text": "",
        "occurred_on": "31.12.2099",
        "region": "Курск",
    }
    assert Complaint.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_a_date_that_is_today_somewhere_is_not_in_the_future() -> None:
    from django.utils import timezone

    from nadzor.complaints.services import submit
    from nadzor.store.models import Complaint

    tomorrow_in_kamchatka = (timezone.now() + dt.timedelta(hours=12)).date()
    receipt = submit({**COMPLAINT, "occurred_on": tomorrow_in_kamchatka.isoformat()})
    assert Complaint.objects.get(pk=receipt.complaint_id).occurred_on == tomorrow_in_kamchatka


def test_characters_no_database_can_store_are_dropped() -> None:
    from nadzor.complaints.services import submit
    from nadzor.store.models import Complaint, ComplaintAttachment, ComplaintIdentity

    receipt = submit(
        {
            **COMPLAINT,
            "text": "Нет\x00 еды\ud800.",
            "region": "Курск\x00",
            "contact": {"name": "А\ud800нна"},
        },
        [upload("фото\x00\ud800.pdf", PDF)],
    )
    assert Complaint.objects.get(pk=receipt.complaint_id).text == "Нет еды."
    # the region, cleaned, is then folded to the federal subject it names
    assert Complaint.objects.get(pk=receipt.complaint_id).region == "Курская область"
    assert ComplaintIdentity.objects.get().name == "Анна"
    assert ComplaintAttachment.objects.get().original_name == "фото.pdf"


def test_language_is_ru_uk_or_en() -> None:
    from nadzor.complaints.services import BadInput, submit
    from nadzor.store.models import Complaint

    for language in ("en", "uk"):
        receipt = submit(dict(COMPLAINT), language=language)
        assert Complaint.objects.get(pk=receipt.complaint_id).language == language
    with pytest.raises(BadInput):
        submit(dict(COMPLAINT), language="de")


# --- finding by code --------------------------------------------------------------------------


def test_find_accepts_the_code_in_any_grouping(submitted: Any) -> None:
    from nadzor.complaints.services import find

    for typed in (
        submitted.code,
        submitted.formatted,
        "-".join(re.findall("....", submitted.code)),
        f"  {submitted.formatted}\n",
    ):
        found = find(typed)
        assert found is not None and found.pk == submitted.complaint_id


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The hashes each Argon2 verification ran against, in order."""
    from nadzor.complaints import _receipts

    seen: list[str] = []
    real = _receipts.verify_code

    def spy(code_hash: str, code: str) -> bool:
        seen.append(code_hash)
        return real(code_hash, code)

    monkeypatch.setattr(_receipts, "verify_code", spy)
    return seen


def test_wrong_unknown_and_malformed_codes_do_the_same_work(
    submitted: Any, verifications: list[str]
) -> None:
    from nadzor.complaints import _receipts
    from nadzor.complaints.services import find, status_of

    for code in (other_code(submitted.code), "0000000000000000", "12 34", "not a code"):
        verifications.clear()
        assert find(code) is None
        assert status_of(code) is None
        assert verifications == [_receipts.DUMMY_HASH, _receipts.DUMMY_HASH]
    verifications.clear()
    assert find(submitted.code) is not None
    assert len(verifications) == 1 and verifications[0] != _receipts.DUMMY_HASH


def test_argon2_confirms_what_the_digest_found(submitted: Any, verifications: list[str]) -> None:
    """Were the digest to match a wrong code (a collision, or a tampered row), the Argon2
    hash still refuses it: the answer is the same as for an unknown code."""
    from nadzor.complaints._receipts import hash_code
    from nadzor.complaints.services import find, status_of
    from nadzor.store.models import Complaint

    Complaint.objects.filter(pk=submitted.complaint_id).update(code_hash=hash_code("9" * 16))
    assert find(submitted.code) is None
    assert status_of(submitted.code) is None
    assert len(verifications) == 2


def test_wrong_and_unknown_codes_get_the_same_answer_when_writing(submitted: Any) -> None:
    from nadzor.complaints.services import NotFound, add_public_message

    messages = set()
    for code in (other_code(submitted.code), "1111 2222 3333 4444", "x"):
        with pytest.raises(NotFound) as caught:
            add_public_message(code, "Здравствуйте")
        messages.add(str(caught.value))
    assert len(messages) == 1


# --- the status page ------------------------------------------------------------------------------


def test_status_page_of_a_new_complaint(submitted: Any) -> None:
    from nadzor.complaints.services import status_of
    from nadzor.store.models import Complaint

    status = status_of(submitted.formatted)
    assert status is not None
    assert status.status == "received"
    assert status.messages == ()
    assert status.updated_at == Complaint.objects.get(pk=submitted.complaint_id).updated_at


def test_messages_both_ways_without_staff_names(staff: dict[Role, Actor], submitted: Any) -> None:
    from nadzor.complaints.services import add_public_message, reply, status_of

    reply(staff[Role.INTAKE], submitted.complaint_id, "Здравствуйте. Уточните номер роты?")
    add_public_message(submitted.code, "  Вторая рота.  ")
    reply(staff[Role.SUPERVISOR], submitted.complaint_id, "Спасибо, передали в работу.")
    status = status_of(submitted.code)
    assert status is not None
    assert status.status == "in_review"
    assert [(m.sender, m.text) for m in status.messages] == [
        ("staff", "Здравствуйте. Уточните номер роты?"),
        ("you", "Вторая рота."),
        ("staff", "Спасибо, передали в работу."),
    ]
    assert [m.at for m in status.messages] == sorted(m.at for m in status.messages)
    assert status.updated_at >= status.messages[-1].at
    shown = repr(status)
    for name in ("ira", "sofia", "intake", "supervisor"):
        assert name not in shown


def test_a_public_message_is_audited_without_its_text(submitted: Any) -> None:
    from nadzor.complaints.services import add_public_message
    from nadzor.store.models import ComplaintMessage

    add_public_message(submitted.code, "Нас переводят в другую часть завтра.")
    message = ComplaintMessage.objects.get(complaint_id=submitted.complaint_id)
    assert (message.sender, message.author) == ("you", None)
    (entry,) = audit("complaint.message")
    assert entry == {
        "actor": "public",
        "action": "complaint.message",
        "subject": f"complaint:{submitted.complaint_id}",
        "data": {"message": message.pk, "from": "you", "attachments": 0},
    }
    assert "переводят" not in dump_audit_text()


def test_a_public_message_needs_text_or_files(submitted: Any) -> None:
    from nadzor.complaints.services import InputErrors, add_public_message
    from nadzor.store.models import ComplaintAttachment, ComplaintMessage

    with pytest.raises(InputErrors) as caught:
        add_public_message(submitted.code, "   ")
    assert caught.value.codes() == {"text": [ErrorCode.REQUIRED]}
    with pytest.raises(InputErrors) as caught:
        add_public_message(submitted.code, "я" * 10_001)
    assert caught.value.codes() == {"text": [ErrorCode.TOO_LONG]}
    assert caught.value.echo == {"text": "я" * 10_001}
    add_public_message(submitted.code, "", [upload("фото.png", b"\x89PNG\r\n\x1a\n" + bytes(30))])
    message = ComplaintMessage.objects.get(complaint_id=submitted.complaint_id)
    assert message.text == ""
    attachment = ComplaintAttachment.objects.get(message=message)
    assert (attachment.media_type, attachment.original_name) == ("image/png", "фото.png")
