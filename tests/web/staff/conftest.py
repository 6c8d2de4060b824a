"""Staff of every role with a signed-in browser each, complaints from the public desk, and
cases to work on, for the tests of the staff workspace."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from nadzor.cases.domain import Actor, Kind, Role
from tests.conftest import STAFF_NAMES, cheapen_argon2

if TYPE_CHECKING:
    from django.test import Client

    from nadzor.store.models import Case

# Store modules are imported inside the fixtures: pytest may load this file before the
# root conftest has configured Django.

NAMES = {Role(role): name for role, name in STAFF_NAMES.items()}
OTHER_INVESTIGATOR = "olga"

COMPLAINT: dict[str, object] = {
    "category": "provision",
    "reason": "winter_uniform",
    "region": "Курская область",
    "facility": "в/ч 12345",
    "text": "Третий месяц не выдают зимнюю форму, в казарме нет отопления, болеют многие.",
    "occurred_on": "2026-11-01",
}
CONTACT = {"name": "Петрова Анна Львовна", "phone": "+7 900 555-12-34"}

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03" + bytes(200)


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 still, with the smallest cost: the tests sign in many times."""
    cheapen_argon2(monkeypatch)


@pytest.fixture
def browser(staff: dict[Role, Actor]) -> Callable[[Role | str | None], Client]:
    """A test client signed in as the user of that role (or name); None: anonymous."""
    from django.test import Client

    from nadzor.store.models import User

    def make(who: Role | str | None) -> Client:
        client = Client()
        if who is not None:
            name = NAMES[who] if isinstance(who, Role) else who
            client.force_login(User.objects.get(username=name))
        return client

    return make


@pytest.fixture
def case(staff: dict[Role, Actor]) -> Case:
    from nadzor.cases.services import NewCase, create_case

    return create_case(
        staff[Role.SUPERVISOR],
        NewCase(kind=Kind.PROVISION, title="No winter uniform", region="Kursk"),
    )


@pytest.fixture
def submit() -> Callable[..., Any]:
    """Submit a complaint through the public desk: returns the receipt (code, id)."""
    from nadzor.complaints.services import submit as submit_complaint

    def send(contact: dict[str, str] | None = None, **fields: object) -> Any:
        raw = {**COMPLAINT, **fields}
        if contact is not None:
            raw["contact"] = contact
        return submit_complaint(raw)

    return send


def text_of(response: Any) -> str:
    """The page's text without tags, spaces collapsed: what a reader sees."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()
