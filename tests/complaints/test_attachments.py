"""Files sent to the desk: typed from their bytes, limited in size and number, every
problem reported at once, and nothing stored unless the whole submission is accepted."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from nadzor.complaints.domain import ErrorCode

from .conftest import COMPLAINT, EXE, PDF, PNG, upload

pytestmark = pytest.mark.django_db


def scratch() -> list[Path]:
    from nadzor.cases._blobs import evidence_root

    folder = evidence_root() / "tmp"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_files_are_typed_by_content_and_stored_by_hash() -> None:
    from nadzor.cases._blobs import blob_path
    from nadzor.complaints.services import submit
    from nadzor.store.models import ComplaintAttachment

    receipt = submit(
        dict(COMPLAINT),
        [
            upload("../../приказ.txt", PDF),
            upload("photo.pdf", PNG),
            upload("note", "Нет формы\n".encode()),
        ],
    )
    rows = ComplaintAttachment.objects.filter(complaint_id=receipt.complaint_id).order_by("pk")
    assert [(r.original_name, r.media_type, r.message_id) for r in rows] == [
        ("приказ.txt", "application/pdf", None),
        ("photo.pdf", "image/png", None),
        ("note", "text/plain", None),
    ]
    first = rows[0]
    assert first.sha256 == hashlib.sha256(PDF).hexdigest()
    assert first.size == len(PDF)
    assert blob_path(first.sha256).read_bytes() == PDF


def test_every_file_problem_is_reported_with_the_field_errors(settings: Any) -> None:
    from nadzor.complaints.services import InputErrors, submit
    from nadzor.store.models import Complaint, ComplaintAttachment

    settings.NADZOR_COMPLAINT_MAX_BYTES = 1000
    before = scratch()
    files = [
        upload("ok.pdf", PDF),
        upload("setup.exe", EXE),
        upload("big.pdf", PDF + bytes(2000)),
        upload("empty.png", b""),
    ]
    with pytest.raises(InputErrors) as caught:
        submit({**COMPLAINT, "text": ""}, files)
    errors = caught.value
    assert [(e.field, e.code) for e in errors.errors] == [
        ("text", ErrorCode.REQUIRED),
        ("attachments", ErrorCode.BAD_TYPE),
        ("attachments", ErrorCode.TOO_LARGE),
        ("attachments", ErrorCode.EMPTY),
    ]
    messages = [e.message for e in errors.errors[1:]]
    assert "“setup.exe”" in messages[0]
    assert messages[1] == "The file “big.pdf” is too large: at most 1000 bytes per file."
    assert "“empty.png”" in messages[2]
    assert Complaint.objects.count() == 0
    assert ComplaintAttachment.objects.count() == 0
    assert scratch() == before


def test_a_file_of_exactly_the_limit_is_accepted(settings: Any) -> None:
    from nadzor.complaints.services import submit
    from nadzor.store.models import ComplaintAttachment

    settings.NADZOR_COMPLAINT_MAX_BYTES = len(PDF)
    submit(dict(COMPLAINT), [upload("exact.pdf", PDF)])
    assert ComplaintAttachment.objects.get().size == len(PDF)


def test_the_default_limit_is_10_mb() -> None:
    from nadzor.complaints.services import attachment_limits

    assert attachment_limits().max_bytes == 10 * 1024 * 1024
    assert attachment_limits().max_files == 5


def test_too_many_files_are_refused_without_reading_them() -> None:
    from nadzor.complaints.services import InputErrors, submit
    from nadzor.store.models import Complaint

    files = [upload(f"{i}.pdf", PDF + bytes([i])) for i in range(6)]
    with pytest.raises(InputErrors) as caught:
        submit(dict(COMPLAINT), files)
    assert caught.value.codes() == {"attachments": [ErrorCode.TOO_MANY]}
    assert all(f.stream.tell() == 0 for f in files)
    assert Complaint.objects.count() == 0


def test_five_files_are_accepted() -> None:
    from nadzor.complaints.services import submit
    from nadzor.store.models import AuditEntry, ComplaintAttachment

    receipt = submit(dict(COMPLAINT), [upload(f"{i}.pdf", PDF + bytes([i])) for i in range(5)])
    assert ComplaintAttachment.objects.filter(complaint_id=receipt.complaint_id).count() == 5
    assert '"attachments":5' in AuditEntry.objects.get(action="complaint.create").data


def test_later_files_count_towards_the_complaint(monkeypatch: pytest.MonkeyPatch) -> None:
    from nadzor.complaints import _public
    from nadzor.complaints.domain import AttachmentLimits
    from nadzor.complaints.services import InputErrors, add_public_message, submit
    from nadzor.store.models import ComplaintAttachment

    monkeypatch.setattr(
        _public, "attachment_limits", lambda: AttachmentLimits(max_files=5, max_per_complaint=3)
    )
    receipt = submit(dict(COMPLAINT), [upload("1.pdf", PDF), upload("2.pdf", PDF + b"2")])
    with pytest.raises(InputErrors) as caught:
        add_public_message(receipt.code, "ещё", [upload("3.pdf", PDF), upload("4.pdf", PDF)])
    assert caught.value.codes() == {"attachments": [ErrorCode.TOO_MANY]}
    add_public_message(receipt.code, "ещё", [upload("3.pdf", PDF + b"3")])
    assert ComplaintAttachment.objects.filter(complaint_id=receipt.complaint_id).count() == 3


def test_files_with_a_message_belong_to_it(submitted: Any) -> None:
    from nadzor.complaints.services import add_public_message
    from nadzor.store.models import AuditEntry, ComplaintAttachment, ComplaintMessage

    add_public_message(submitted.code, "Фото казармы", [upload("1.png", PNG), upload("2.pdf", PDF)])
    message = ComplaintMessage.objects.get(complaint_id=submitted.complaint_id)
    assert ComplaintAttachment.objects.filter(message=message).count() == 2
    assert ComplaintAttachment.objects.filter(complaint_id=submitted.complaint_id).count() == 3
    entry = AuditEntry.objects.get(action="complaint.message")
    assert '"attachments":2' in entry.data


@pytest.mark.parametrize("name", ["install.bat", "letter.hta", "photo.jpg.exe"])
def test_a_program_named_as_such_is_refused_even_as_text(name: str) -> None:
    """Issue: `.hta`/`.bat` were accepted (their bytes are plain text)."""
    from nadzor.complaints.services import InputErrors, submit

    with pytest.raises(InputErrors) as caught:
        submit(dict(COMPLAINT), [upload(name, b"@echo off\r\nstart calc\r\n")])
    assert [(e.field, e.code) for e in caught.value.errors] == [("attachments", ErrorCode.BAD_TYPE)]
