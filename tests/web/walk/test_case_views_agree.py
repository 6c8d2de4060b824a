"""Every role x case state x assignment: the HTML case page, the API's case and
`nadzor cases show` show the same parts and offer the same steps, and those are the
domain's answer (`visible_parts`, `allowed_steps`, `may_decide`).

A part shown on the page carries `data-part`, a step offered `data-step`; the API says
them in its fields (null when not visible) and the CLI in its headings. Opening the
people of the case (identity) is tried on the page and the API too: allowed exactly when
the domain shows the part.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from rich.console import Console

from nadzor.cases.domain import (
    Actor,
    Denied,
    Role,
    Status,
    allowed_steps,
    may_decide,
    visible_parts,
)
from tests.conftest import STAFF_NAMES, cheapen_argon2

pytestmark = pytest.mark.django_db

ROLES = [Role(role) for role in STAFF_NAMES]
ASSIGNMENTS = (None, "ivan", "olga")
TEXT = "Третий месяц не выдают зимнюю форму, в казарме нет отопления."
# (status, assignee, closure requested by): every status with every assignment, and the
# states where a request awaits a supervisor
STATES = [(status, assignee, None) for status in Status for assignee in ASSIGNMENTS] + [
    (Status.INVESTIGATING, "ivan", "ivan"),
    (Status.REMEDY_REQUESTED, "ivan", "ivan"),
    (Status.TRIAGE, "olga", "olga"),
]


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    cheapen_argon2(monkeypatch)


@pytest.fixture
def case_in(staff: dict[Role, Actor]) -> Callable[..., str]:
    """A case opened from a complaint, then put in the given state; its reference."""
    from nadzor.complaints.services import open_case, submit
    from nadzor.store.models import Case, User

    def make(status: Status, assignee: str | None, requested: str | None) -> str:
        number = submit({"category": "provision", "text": TEXT}).complaint_id
        case = open_case(staff[Role.SUPERVISOR], number)
        users = {u.username: u for u in User.objects.all()}
        Case.objects.filter(pk=case.pk).update(
            status=status.value,
            assignee=users[assignee] if assignee else None,
            closure_requested_by=users[requested] if requested else None,
        )
        return case.reference

    return make


def html_answer(client: Any, reference: str) -> tuple[set[str], set[str]] | None:
    page = client.get(f"/staff/cases/{reference}/?lang=en")
    if page.status_code == 403:
        return None
    assert page.status_code == 200, page.status_code
    html = page.content.decode()
    parts = set(re.findall(r'data-part="([a-z_]+)"', html))
    steps = set(re.findall(r'data-step="([a-z_]+)"', html))
    assert ("complaints" in parts) == (TEXT[:40] in html)
    people = client.post(f"/staff/cases/{reference}/people")
    assert people.status_code == (200 if "identity" in parts else 403)
    return parts, steps


def api_answer(client: Any, reference: str) -> tuple[set[str], set[str]] | None:
    answer = client.get(f"/api/v1/cases/{reference}")
    if answer.status_code == 403:
        return None
    assert answer.status_code == 200, answer.content
    body = answer.json()
    parts = {
        name
        for name in ("findings", "notes", "complaints", "evidence", "history")
        if body[name] is not None
    }
    if body["personal_data"]:
        parts.add("identity")
    if body["complaints"]:
        assert body["complaints"][0]["text_start"] == TEXT[:120]
    steps = set(body["steps"]) | ({"decide"} if body["decision"] else set())
    people = client.post(f"/api/v1/cases/{reference}/people")
    assert people.status_code == (200 if "identity" in parts else 403)
    return parts, steps


def cli_answer(actor: Actor, reference: str) -> tuple[set[str], set[str]] | None:
    from nadzor.cases.services import case_view
    from nadzor.cli._case_show import print_case

    try:
        view = case_view(actor, reference)
    except Denied:
        return None  # `nadzor cases show --as` exits 5 with the sentence
    out = io.StringIO()
    print_case(Console(file=out, width=200, color_system=None), view)
    text = out.getvalue()
    parts = set(re.findall(r"^(findings|notes|complaints|evidence|history) \(\d+\)$", text, re.M))
    if "personal data:" in text:
        parts.add("identity")
    assert ("complaints" in parts) == (TEXT[:40] in text)
    (listed,) = re.findall(r"^steps: (.*)$", text, re.M)
    steps = set() if listed == "none" else set(listed.split(", "))
    if "awaits your decision" in text:
        steps.add("decide")
    return parts, steps


@pytest.mark.parametrize(
    ("status", "assignee", "requested"),
    STATES,
    ids=[f"{s.value}-{a or 'unassigned'}{'-pending' if r else ''}" for s, a, r in STATES],
)
def test_page_api_and_cli_show_what_the_domain_decides(
    staff: dict[Role, Actor],
    case_in: Callable[..., str],
    status: Status,
    assignee: str | None,
    requested: str | None,
) -> None:
    from django.test import Client

    from nadzor.cases.services import case_state
    from nadzor.store.models import Case, User

    reference = case_in(status, assignee, requested)
    state = case_state(
        Case.objects.select_related("assignee", "closure_requested_by").get(reference=reference)
    )
    for role in ROLES:
        actor = staff[role]
        parts = visible_parts(actor, state)
        expected = None
        if parts:
            steps = {s.value for s in allowed_steps(actor, state)}
            expected = (
                {p.value for p in parts},
                steps | ({"decide"} if may_decide(actor, state) else set()),
            )
        client = Client()
        client.force_login(User.objects.get(username=actor.name))
        answers = {
            "html": html_answer(client, reference),
            "api": api_answer(client, reference),
            "cli": cli_answer(actor, reference),
        }
        for edge, answer in answers.items():
            assert answer == expected, (role.value, edge, answer, expected)
