"""Evidence: the content-addressed file store, type sniffing, and the evidence services."""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import stat
import threading
import zipfile
from pathlib import Path

import pytest

from nadzor.cases import _blobs
from nadzor.cases._blobs import BlobError, TooLarge, blob_path, describe_limit, put
from nadzor.cases._sniff import ACCEPTED_TYPES, accepted_type, detect
from nadzor.cases.domain import Actor, Denied, Kind, Role

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
ELF = b"\x7fELF\x02\x01\x01" + bytes(200)
EXE = b"MZ\x90\x00\x03" + bytes(200)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

BOSS = Actor("boss", Role.SUPERVISOR)
INTAKE = Actor("desk", Role.INTAKE)
ANALYST = Actor("numbers", Role.ANALYST)
INVESTIGATOR = Actor("ivan", Role.INVESTIGATOR)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def leftovers(root: Path) -> list[Path]:
    """Files in the evidence directory's scratch area (none once every upload is done)."""
    scratch = root / "tmp"
    return sorted(scratch.iterdir()) if scratch.is_dir() else []


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.parent.name != "tmp")


# --- the file store ----------------------------------------------------------------------


def test_put_stores_under_the_hash_read_only(tmp_path: Path) -> None:
    data = b"a statement, signed\n" * 100
    blob = put(io.BytesIO(data), 10_000, root=tmp_path)
    digest = sha(data)
    assert blob.sha256 == digest
    assert blob.size == len(data)
    assert blob.path == tmp_path / digest[:2] / digest[2:4] / digest
    assert blob.path.read_bytes() == data
    assert stat.S_IMODE(blob.path.stat().st_mode) & 0o222 == 0
    assert leftovers(tmp_path) == []


def test_the_same_bytes_are_stored_once_and_never_overwritten(tmp_path: Path) -> None:
    data = b"the same photo"
    first = put(io.BytesIO(data), 1000, root=tmp_path)
    before = first.path.stat()
    second = put(io.BytesIO(data), 1000, root=tmp_path)
    after = second.path.stat()
    assert second == first
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert stored_files(tmp_path) == [first.path]
    assert leftovers(tmp_path) == []


def test_two_writers_storing_the_same_bytes_at_once_end_with_one_file(tmp_path: Path) -> None:
    data = os.urandom(300_000)
    start = threading.Barrier(8)
    results: list[object] = []

    def writer() -> None:
        start.wait()
        results.append(put(io.BytesIO(data), 1_000_000, root=tmp_path))

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 8
    assert len(set(results)) == 1
    assert stored_files(tmp_path) == [blob_path(sha(data), tmp_path)]
    assert blob_path(sha(data), tmp_path).read_bytes() == data
    assert leftovers(tmp_path) == []


def test_without_hard_links_a_stored_file_is_still_never_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*args: object) -> None:
        raise OSError(errno.EPERM, "hard links not supported")

    monkeypatch.setattr(_blobs.os, "link", no_links)
    first = put(io.BytesIO(b"scan"), 100, root=tmp_path)
    inode = first.path.stat().st_ino
    second = put(io.BytesIO(b"scan"), 100, root=tmp_path)
    assert second.path.stat().st_ino == inode
    assert first.path.read_bytes() == b"scan"
    assert leftovers(tmp_path) == []


def test_an_upload_over_the_limit_is_refused_and_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(TooLarge, match=r"^the file is larger than the 1 KB limit$"):
        put(io.BytesIO(b"x" * 1025), 1024, root=tmp_path)
    assert leftovers(tmp_path) == []
    assert stored_files(tmp_path) == []
    assert put(io.BytesIO(b"x" * 1024), 1024, root=tmp_path).size == 1024


def test_an_upload_over_the_limit_is_not_read_to_its_end(tmp_path: Path) -> None:
    stream = io.BytesIO(b"x" * 5_000_000)
    with pytest.raises(TooLarge):
        put(stream, 1000, root=tmp_path)
    assert stream.tell() <= 1001


def test_the_limit_reads_as_people_write_it() -> None:
    assert describe_limit(100 * 1024 * 1024) == "100 MB"
    assert describe_limit(512 * 1024) == "512 KB"
    assert describe_limit(1000) == "1000-byte"


def test_a_damaged_stored_file_is_reported_not_replaced(tmp_path: Path) -> None:
    data = b"the original"
    path = blob_path(sha(data), tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"trunc")
    with pytest.raises(BlobError, match="damaged"):
        put(io.BytesIO(data), 100, root=tmp_path)
    assert path.read_bytes() == b"trunc"
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("text", ["../../etc/passwd", "ABC", "a" * 63, "A" * 64, ""])
def test_only_a_sha256_names_a_stored_file(tmp_path: Path, text: str) -> None:
    from nadzor.cases._errors import BadInput

    with pytest.raises(BadInput, match="not a SHA-256"):
        blob_path(text, tmp_path)


def test_open_and_remove(tmp_path: Path) -> None:
    from nadzor.cases._errors import NotFound

    blob = put(io.BytesIO(b"audio"), 100, root=tmp_path)
    with _blobs.open_blob(blob.sha256, tmp_path) as handle:
        assert handle.read() == b"audio"
    assert _blobs.remove_blob(blob.sha256, tmp_path) is True
    assert _blobs.remove_blob(blob.sha256, tmp_path) is False
    with pytest.raises(NotFound, match="missing"):
        _blobs.open_blob(blob.sha256, tmp_path)


# --- the type, from the bytes ------------------------------------------------------------


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def zipped(tmp_path: Path, name: str, members: list[tuple[str, str]]) -> Path:
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as package:
        for member, text in members:
            package.writestr(zipfile.ZipInfo(member), text)
    return path


def content_types(main: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{main}.main+xml"/></Types>'
    )


def test_a_pdf_named_jpg_is_a_pdf(tmp_path: Path) -> None:
    assert accepted_type(write(tmp_path, "photo.jpg", PDF)) == "application/pdf"


def test_an_image_named_pdf_is_an_image(tmp_path: Path) -> None:
    assert accepted_type(write(tmp_path, "letter.pdf", PNG)) == "image/png"


@pytest.mark.parametrize(
    ("data", "kind"), [(ELF, "application/x-executable"), (EXE, "application/x-msdownload")]
)
def test_programs_are_refused_by_their_type(tmp_path: Path, data: bytes, kind: str) -> None:
    from nadzor.cases._errors import BadInput

    with pytest.raises(BadInput, match=f"files of type {kind} are not accepted as evidence"):
        accepted_type(write(tmp_path, "scan.pdf", data))


def test_utf8_text_is_plain_text(tmp_path: Path) -> None:
    text = "Рапорт: выдано 0 комплектов зимней формы.\n".encode()
    assert accepted_type(write(tmp_path, "report.exe", text)) == "text/plain"


@pytest.mark.parametrize(
    "data", [b"text\x00with a NUL", "латиница".encode("cp1251"), b"\xff\xfe\x00\x01\x02"]
)
def test_bytes_that_are_not_utf8_text_are_refused(tmp_path: Path, data: bytes) -> None:
    from nadzor.cases._errors import BadInput

    path = write(tmp_path, "notes.txt", data)
    assert detect(path) == "application/octet-stream"
    with pytest.raises(BadInput, match="application/octet-stream"):
        accepted_type(path)


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    from nadzor.cases._errors import BadInput

    with pytest.raises(BadInput, match="the file is empty"):
        accepted_type(write(tmp_path, "empty.pdf", b""))


def test_office_documents_are_recognised_inside_their_zip(tmp_path: Path) -> None:
    docx = zipped(
        tmp_path,
        "a.zip",
        [("[Content_Types].xml", content_types(DOCX_TYPE)), ("word/document.xml", "<w/>")],
    )
    odt_type = "application/vnd.oasis.opendocument.text"
    odt = zipped(tmp_path, "b.bin", [("mimetype", odt_type), ("content.xml", "<x/>")])
    assert accepted_type(docx) == DOCX_TYPE
    assert accepted_type(odt) == odt_type


def test_a_spreadsheet_written_by_openpyxl_is_xlsx(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "figures.dat"
    openpyxl.Workbook().save(path)
    assert (
        accepted_type(path) == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def test_plain_zips_and_macro_documents_are_refused(tmp_path: Path) -> None:
    from nadzor.cases._errors import BadInput

    plain = zipped(tmp_path, "report.docx", [("report.txt", "hello")])
    macros = zipped(
        tmp_path,
        "report2.docx",
        [("[Content_Types].xml", content_types("application/vnd.ms-word.document.macroEnabled"))],
    )
    fake_odf = zipped(tmp_path, "x.odt", [("mimetype", "image/png")])
    with pytest.raises(BadInput, match="application/zip"):
        accepted_type(plain)
    with pytest.raises(BadInput, match="macroEnabled"):
        accepted_type(macros)
    assert detect(fake_odf) == "application/zip"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("run.bat", b"@echo off\r\ndel /q C:\\*\r\n"),
        ("RUN.CMD", b"@echo off\r\n"),
        ("page.hta", b'<hta:application id="x"><script>alert(1)</script>'),
        ("notes.txt.vbs", b'MsgBox "hi"\n'),
        ("C:\\docs\\setup.exe", "Рапорт\n".encode()),
    ],
)
def test_programs_are_refused_whatever_their_bytes(tmp_path: Path, name: str, data: bytes) -> None:
    """Issue: `.hta`/`.bat` were accepted as plain text and downloaded under their names."""
    from nadzor.cases._errors import BadInput

    with pytest.raises(BadInput, match="application/x-msdownload are not accepted"):
        accepted_type(write(tmp_path, "upload", data), name)


def test_an_html_page_is_not_plain_text(tmp_path: Path) -> None:
    from nadzor.cases._errors import BadInput

    page = write(tmp_path, "page", b"\n  <!DOCTYPE html><html><body><script>x()</script>")
    assert detect(page) == "text/html"
    with pytest.raises(BadInput, match="text/html"):
        accepted_type(page, "notes.txt")
    assert accepted_type(write(tmp_path, "t", b"a <script> tag, quoted\n"), "a.txt") == "text/plain"


def test_a_zip_carrying_a_program_is_no_docx(tmp_path: Path) -> None:
    """Issue: a ZIP with executables was accepted as DOCX."""
    from nadzor.cases._errors import BadInput

    trojan = zipped(
        tmp_path,
        "report.docx",
        [
            ("[Content_Types].xml", content_types(DOCX_TYPE)),
            ("word/document.xml", "<w/>"),
            ("word/setup.exe", "MZ"),
        ],
    )
    with pytest.raises(BadInput, match="application/zip"):
        accepted_type(trojan, "report.docx")


def test_the_accepted_types_cover_the_spec() -> None:
    for kind in ("application/pdf", "image/jpeg", "audio/mpeg", "video/mp4", DOCX_TYPE):
        assert kind in ACCEPTED_TYPES
    for kind in ("application/zip", "application/x-executable", "application/x-msdownload"):
        assert kind not in ACCEPTED_TYPES


# --- the services ------------------------------------------------------------------------


@pytest.fixture
def evidence_dir(settings, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    root = tmp_path / "evidence"
    settings.NADZOR_EVIDENCE_DIR = str(root)
    return root


@pytest.fixture
def staff(db) -> dict[str, object]:  # type: ignore[no-untyped-def]
    from nadzor.store.models import User

    return {
        actor.name: User.objects.create_user(username=actor.name, role=actor.role.value)
        for actor in (BOSS, INTAKE, ANALYST, INVESTIGATOR)
    }


@pytest.fixture
def reference(staff) -> str:  # type: ignore[no-untyped-def]
    from nadzor.cases.services import NewCase, create_case

    return create_case(BOSS, NewCase(kind=Kind.PROVISION)).reference


def new_case() -> str:
    from nadzor.cases.services import NewCase, create_case

    return create_case(BOSS, NewCase(kind=Kind.CONDITIONS)).reference


def set_case(reference: str, **fields: object) -> None:
    from nadzor.store.models import Case

    Case.objects.filter(reference=reference).update(**fields)


def entries(action: str) -> list[dict[str, object]]:
    from nadzor.store.models import AuditEntry

    rows = AuditEntry.objects.filter(action=action).order_by("seq")
    return [{"actor": r.actor, "subject": r.subject, "data": json.loads(r.data)} for r in rows]


def add(reference: str, data: bytes, actor: Actor = BOSS, **kwargs: str):  # type: ignore[no-untyped-def]
    from nadzor.cases.services import add_evidence

    return add_evidence(actor, reference, io.BytesIO(data), **kwargs)


class Unreadable(io.RawIOBase):
    """A stream that fails the test if anything reads it."""

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the upload was read before the permission check")


@pytest.mark.django_db
def test_add_evidence_records_who_what_and_when(reference: str, evidence_dir: Path) -> None:
    evidence = add(reference, PDF, original_name="C:\\scans\\order 17.jpg", description=" order ")
    assert evidence.created is True
    assert evidence.case.reference == reference
    assert (evidence.sha256, evidence.size) == (sha(PDF), len(PDF))
    assert evidence.media_type == "application/pdf"
    assert evidence.original_name == "order 17.jpg"
    assert evidence.description == "order"
    assert evidence.added_by.username == "boss"
    assert evidence.added_at is not None
    assert blob_path(sha(PDF), evidence_dir).read_bytes() == PDF
    assert entries("evidence.add") == [
        {
            "actor": "boss",
            "subject": f"case:{reference}",
            "data": {
                "sha256": sha(PDF),
                "size": len(PDF),
                "media_type": "application/pdf",
                "description": "order",
            },
        }
    ]
    # the file's name may name a person: the log keeps the hash only
    assert "order 17" not in str(entries("evidence.add"))
    assert leftovers(evidence_dir) == []


@pytest.mark.django_db
def test_the_same_bytes_twice_on_a_case_change_nothing(reference: str, evidence_dir: Path) -> None:
    from nadzor.store.models import Evidence

    first = add(reference, PDF, original_name="a.pdf", description="first")
    path = blob_path(sha(PDF), evidence_dir)
    before = path.stat()
    again = add(reference, PDF, original_name="b.pdf", description="second")
    after = path.stat()
    assert again.pk == first.pk
    assert again.created is False
    assert (again.original_name, again.description) == ("a.pdf", "first")
    assert Evidence.objects.count() == 1
    assert len(entries("evidence.add")) == 1
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert leftovers(evidence_dir) == []


@pytest.mark.django_db
def test_the_same_bytes_on_two_cases_share_one_file(
    reference: str, evidence_dir: Path, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from nadzor.cases.services import delete_evidence

    other = new_case()
    one = add(reference, PNG)
    two = add(other, PNG)
    assert one.pk != two.pk
    assert stored_files(evidence_dir) == [blob_path(sha(PNG), evidence_dir)]
    set_case(reference, status="resolved")
    set_case(other, status="closed_unfounded")
    with django_capture_on_commit_callbacks(execute=True):
        delete_evidence(BOSS, reference, sha(PNG), "duplicate of the other case's copy")
    assert blob_path(sha(PNG), evidence_dir).is_file()
    assert entries("evidence.delete")[-1]["data"]["file_removed"] is False
    with django_capture_on_commit_callbacks(execute=True):
        delete_evidence(BOSS, other, sha(PNG), "entered by mistake")
    assert stored_files(evidence_dir) == []
    assert entries("evidence.delete")[-1]["data"]["file_removed"] is True
    assert leftovers(evidence_dir) == []


@pytest.mark.django_db
def test_an_upload_over_the_limit_is_refused_with_no_trace(
    reference: str, evidence_dir: Path, settings
) -> None:  # type: ignore[no-untyped-def]
    from nadzor.cases.services import TooLarge
    from nadzor.store.models import Evidence

    settings.NADZOR_EVIDENCE_MAX_BYTES = 1024 * 1024
    with pytest.raises(TooLarge, match=r"^the file is larger than the 1 MB limit$"):
        add(reference, b"%PDF-1.4\n" + bytes(1024 * 1024))
    assert Evidence.objects.count() == 0
    assert entries("evidence.add") == []
    assert stored_files(evidence_dir) == []
    assert leftovers(evidence_dir) == []


@pytest.mark.django_db
def test_the_type_comes_from_the_bytes_not_the_name(reference: str, evidence_dir: Path) -> None:
    assert add(reference, PDF, original_name="holiday.jpg").media_type == "application/pdf"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "kind"), [(ELF, "application/x-executable"), (EXE, "application/x-msdownload")]
)
def test_a_program_is_refused_and_not_stored(
    reference: str, evidence_dir: Path, data: bytes, kind: str
) -> None:
    from nadzor.cases.services import BadInput
    from nadzor.store.models import Evidence

    with pytest.raises(BadInput, match=kind):
        add(reference, data, original_name="scan.pdf")
    assert Evidence.objects.count() == 0
    assert stored_files(evidence_dir) == []
    assert leftovers(evidence_dir) == []


@pytest.mark.django_db
def test_deletion_is_refused_while_the_case_is_open(reference: str, evidence_dir: Path) -> None:
    from nadzor.cases.services import BadInput, delete_evidence
    from nadzor.store.models import Evidence

    add(reference, PDF)
    for status in ("new", "triage", "investigating", "remedy_requested"):
        set_case(reference, status=status)
        with pytest.raises(BadInput, match=f"while its case is open \\(the case is {status}\\)"):
            delete_evidence(BOSS, reference, sha(PDF), "not needed")
    assert Evidence.objects.count() == 1
    assert blob_path(sha(PDF), evidence_dir).is_file()
    assert entries("evidence.delete") == []


@pytest.mark.django_db
def test_deletion_is_refused_under_a_legal_hold(reference: str, evidence_dir: Path) -> None:
    from nadzor.cases.services import BadInput, delete_evidence
    from nadzor.store.models import Evidence

    add(reference, PDF)
    set_case(reference, status="resolved", legal_hold=True)
    with pytest.raises(
        BadInput, match=r"^evidence cannot be deleted while its case is under a legal hold$"
    ):
        delete_evidence(BOSS, reference, sha(PDF), "not needed")
    assert Evidence.objects.count() == 1
    assert blob_path(sha(PDF), evidence_dir).is_file()


@pytest.mark.django_db
def test_deletion_after_resolution_removes_row_and_file(
    reference: str, evidence_dir: Path, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from nadzor.audit.journal import verify
    from nadzor.cases.services import BadInput, delete_evidence, list_evidence
    from nadzor.store.models import Evidence

    add(reference, PDF, original_name="order.pdf")
    set_case(reference, status="resolved", remedy="sent_home")
    with pytest.raises(BadInput, match="needs a reason"):
        delete_evidence(BOSS, reference, sha(PDF), "  ")
    with django_capture_on_commit_callbacks(execute=True):
        delete_evidence(BOSS, reference, sha(PDF).upper(), "a copy of a file on the other case")
    assert Evidence.objects.count() == 0
    assert list_evidence(BOSS, reference) == []
    assert stored_files(evidence_dir) == []
    assert leftovers(evidence_dir) == []
    (entry,) = entries("evidence.delete")
    assert entry["subject"] == f"case:{reference}"
    assert entry["data"] == {
        "sha256": sha(PDF),
        "size": len(PDF),
        "media_type": "application/pdf",
        "reason": "a copy of a file on the other case",
        "file_removed": True,
    }
    assert verify().ok


@pytest.mark.django_db
def test_a_failed_deletion_puts_the_file_back(
    reference: str, evidence_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import transaction

    from nadzor.cases.services import delete_evidence
    from nadzor.store.models import Evidence

    add(reference, PDF)
    set_case(reference, status="resolved")

    def broken(func: object, using: object = None, robust: bool = False) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(transaction, "on_commit", broken)
    with pytest.raises(RuntimeError):
        delete_evidence(BOSS, reference, sha(PDF), "cleanup")
    assert Evidence.objects.count() == 1
    assert blob_path(sha(PDF), evidence_dir).read_bytes() == PDF
    assert leftovers(evidence_dir) == []


@pytest.mark.django_db
def test_open_evidence_gives_the_bytes_and_is_audited(reference: str, evidence_dir: Path) -> None:
    from nadzor.cases.services import NotFound, open_evidence

    add(reference, PDF)
    evidence, handle = open_evidence(BOSS, reference, sha(PDF))
    with handle:
        assert handle.read() == PDF
    assert evidence.sha256 == sha(PDF)
    assert entries("evidence.view") == [
        {"actor": "boss", "subject": f"case:{reference}", "data": {"sha256": sha(PDF)}}
    ]
    with pytest.raises(NotFound, match="has no evidence"):
        open_evidence(BOSS, reference, sha(b"something else"))
    assert len(entries("evidence.view")) == 1


@pytest.mark.django_db
def test_list_evidence_oldest_first(reference: str, evidence_dir: Path) -> None:
    from nadzor.cases.services import list_evidence

    add(reference, PDF, description="the order")
    add(reference, PNG, description="the photo")
    listed = list_evidence(BOSS, reference)
    assert [e.description for e in listed] == ["the order", "the photo"]


@pytest.mark.django_db
def test_intake_may_add_to_a_new_case_but_not_view_it(reference: str, evidence_dir: Path) -> None:
    from nadzor.cases.services import delete_evidence, list_evidence, open_evidence

    evidence = add(reference, PDF, actor=INTAKE)
    assert evidence.added_by.username == "desk"
    with pytest.raises(Denied):
        list_evidence(INTAKE, reference)
    with pytest.raises(Denied):
        open_evidence(INTAKE, reference, sha(PDF))
    set_case(reference, status="resolved")
    with pytest.raises(Denied):
        delete_evidence(INTAKE, reference, sha(PDF), "no")
    assert entries("evidence.view") == []


@pytest.mark.django_db
def test_intake_may_not_add_to_a_case_under_investigation(
    reference: str, evidence_dir: Path
) -> None:
    set_case(reference, status="investigating")
    with pytest.raises(Denied):
        add(reference, PDF, actor=INTAKE)
    assert stored_files(evidence_dir) == []


@pytest.mark.django_db
def test_an_analyst_is_denied_everything(reference: str, evidence_dir: Path) -> None:
    from nadzor.cases.services import add_evidence, delete_evidence, list_evidence, open_evidence

    add(reference, PDF)
    with pytest.raises(Denied):
        add_evidence(ANALYST, reference, Unreadable())
    with pytest.raises(Denied):
        list_evidence(ANALYST, reference)
    with pytest.raises(Denied):
        open_evidence(ANALYST, reference, sha(PDF))
    set_case(reference, status="resolved")
    with pytest.raises(Denied):
        delete_evidence(ANALYST, reference, sha(PDF), "no")
    assert entries("evidence.view") == []
    assert entries("evidence.delete") == []


@pytest.mark.django_db
def test_an_investigator_works_only_assigned_cases_and_never_deletes(
    reference: str, evidence_dir: Path, staff
) -> None:  # type: ignore[no-untyped-def]
    from nadzor.cases.services import delete_evidence, list_evidence, open_evidence

    set_case(reference, status="investigating")
    with pytest.raises(Denied):
        add(reference, PDF, actor=INVESTIGATOR)
    set_case(reference, assignee=staff["ivan"])
    add(reference, PDF, actor=INVESTIGATOR)
    assert len(list_evidence(INVESTIGATOR, reference)) == 1
    open_evidence(INVESTIGATOR, reference, sha(PDF))[1].close()
    set_case(reference, status="resolved")
    with pytest.raises(Denied, match="may not delete evidence"):
        delete_evidence(INVESTIGATOR, reference, sha(PDF), "no")


@pytest.mark.django_db
def test_a_bad_hash_is_bad_input(reference: str, evidence_dir: Path) -> None:
    from nadzor.cases.services import BadInput, open_evidence

    with pytest.raises(BadInput, match="not a SHA-256"):
        open_evidence(BOSS, reference, "../../secret")


@pytest.mark.django_db(transaction=True)
def test_the_same_bytes_added_at_once_make_one_row(staff, evidence_dir: Path) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    from nadzor.store.models import Evidence

    reference = new_case()
    other = new_case()
    start = threading.Barrier(6)
    errors: list[BaseException] = []

    def adder(ref: str) -> None:
        try:
            start.wait()
            add(ref, PDF)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=adder, args=(ref,)) for ref in [reference, other] * 3]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Evidence.objects.filter(case__reference=reference).count() == 1
    assert Evidence.objects.filter(case__reference=other).count() == 1
    assert len(entries("evidence.add")) == 2
    assert stored_files(evidence_dir) == [blob_path(sha(PDF), evidence_dir)]
    assert leftovers(evidence_dir) == []
