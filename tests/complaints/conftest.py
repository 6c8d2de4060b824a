"""Staff of every role, a complaint submitted through the public desk, and helpers to read
what the store holds, for the store tests of the complaint services."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from nadzor.cases.domain import Actor, Role

if TYPE_CHECKING:
    from nadzor.complaints.services import Submitted

# Store modules are imported inside the fixtures and helpers: pytest may load this file
# before the root conftest has configured Django.

OTHER_INVESTIGATOR = Actor("olga", Role.INVESTIGATOR)

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)
EXE = b"MZ\x90\x00\x03" + bytes(200)

COMPLAINT: dict[str, object] = {
    "category": "provision",
    "reason": "winter_uniform",
    "region": "Курская область",
    "facility": "в/ч 12345",
    "text": "Третий месяц не выдают зимнюю форму, в казарме нет отопления, болеют многие.",
    "occurred_on": "2026-11-01",
}
CONTACT = {
    "name": "Петрова Анна Львовна",
    "phone": "+7 900 555-12-34",
    "email": "anna.petrova@example.org",
    "other": "Telegram @petrova_a",
}


def upload(name: str, data: bytes) -> Any:
    from nadzor.complaints.services import Upload

    return Upload(name, io.BytesIO(data))


@pytest.fixture
def submitted(db: None) -> Submitted:
    """A complaint with identity and one file."""
    from nadzor.complaints.services import submit

    return submit({**COMPLAINT, "contact": CONTACT}, [upload("акт.pdf", PDF)])


@pytest.fixture
def make_complaint(db: None) -> Callable[..., Submitted]:
    from nadzor.complaints.services import submit

    def make(**changes: object) -> Submitted:
        return submit({**COMPLAINT, **changes})

    return make


def audit(action: str | None = None) -> list[dict[str, Any]]:
    from nadzor.store.models import AuditEntry

    rows = AuditEntry.objects.order_by("seq")
    if action is not None:
        rows = rows.filter(action=action)
    return [
        {"actor": r.actor, "action": r.action, "subject": r.subject, "data": json.loads(r.data)}
        for r in rows
    ]


def dump_tables() -> str:
    """Every value of every row of every table in the store, as text."""
    from django.db import connection

    values: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                values.extend(str(value) for value in row)
    return "\n".join(values)
