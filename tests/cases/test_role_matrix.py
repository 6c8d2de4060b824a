"""Every case service operation x every role: allowed or denied, through the real services.

"allowed" means the permission check passed: the call may still be refused for another
reason (a case state, a missing request), which is not a denial. Expectations come from
cases.md's roles, written out here, not derived from the code's table.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from nadzor.cases.domain import Actor, Denied, DomainError, Kind, Role, Status, TransitionRequest

pytestmark = pytest.mark.django_db

N, V, S, A, D = Role.INTAKE, Role.INVESTIGATOR, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN
# N: intake (new complaints), V: investigator, S: supervisor, A: analyst, D: admin.

Call = Callable[[Actor, str, Path], object]
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _services() -> object:
    from nadzor.cases import services

    return services


def _ops() -> dict[str, tuple[Call, set[Role]]]:
    s = _services()
    pdf = PDF
    findings = "record_id,rule_id,outcome\nr-9,RU22-AGE-LIMIT,not_subject\n"
    # The case under test is `investigating`, assigned to the investigator.
    return {
        "list cases": (lambda a, r, t: list(s.list_cases(a, s.CaseFilters())), {N, V, S}),
        "view case": (lambda a, r, t: s.case_view(a, r), {V, S}),
        "create case": (lambda a, r, t: s.create_case(a, s.NewCase(kind=Kind.OTHER)), {N, V, S}),
        "update case": (lambda a, r, t: s.update_case(a, r, {"priority": "high"}), {V, S}),
        "add note": (lambda a, r, t: s.add_note(a, r, "called the unit"), {V, S}),
        "extend deadline": (lambda a, r, t: s.extend_deadline(a, r, 10, "records awaited"), {V, S}),
        "request remedy": (
            lambda a, r, t: s.transition(
                a, r, TransitionRequest(Status.REMEDY_REQUESTED, "letter sent")
            ),
            {V, S},
        ),
        "decide closure": (lambda a, r, t: s.decide_closure(a, r, approve=True, reason="ok"), {S}),
        "legal hold": (lambda a, r, t: s.set_legal_hold(a, r, True, "court order"), {S}),
        "import findings": (
            lambda a, r, t: s.import_findings(_file(t, "f.csv", findings), actor=a),
            {V, S},
        ),
        "export cases": (lambda a, r, t: s.export_cases(a, io.StringIO()), {S, A}),
        "add evidence": (
            lambda a, r, t: s.add_evidence(a, r, io.BytesIO(pdf), original_name="x.pdf"),
            {V, S},
        ),
        "list evidence": (lambda a, r, t: s.list_evidence(a, r), {V, S}),
        "open evidence": (lambda a, r, t: s.open_evidence(a, r, _sha(PDF))[1].close(), {V, S}),
        "delete evidence": (lambda a, r, t: s.delete_evidence(a, r, "0" * 64, "duplicate"), {S}),
        "add person": (lambda a, r, t: s.add_person(a, r, full_name="Ivan Petrov"), {V, S}),
        "view identity": (lambda a, r, t: s.view_identity(a, r), {V, S}),
        "change setting": (lambda a, r, t: s.change_setting("deadline.near_days", "5", by=a), {D}),
    }


def _file(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


OPERATIONS = [
    "list cases", "view case", "create case", "update case", "add note", "extend deadline",
    "request remedy", "decide closure", "legal hold", "import findings", "export cases",
    "add evidence", "list evidence", "open evidence", "delete evidence", "add person", "view identity", "change setting",
]  # fmt: skip


@pytest.fixture
def worked_case(staff: dict[Role, Actor]) -> str:
    import io

    from nadzor.cases.services import NewCase, add_evidence, create_case, transition

    boss = staff[S]
    case = create_case(boss, NewCase(kind=Kind.PROVISION, title="No body armour"))
    transition(boss, case.reference, TransitionRequest(Status.TRIAGE, "complaint checked"))
    transition(
        boss, case.reference, TransitionRequest(Status.INVESTIGATING, "assign", assignee="ivan")
    )
    add_evidence(boss, case.reference, io.BytesIO(PDF), original_name="receipt.pdf")
    return case.reference


def test_the_matrix_covers_every_case_service() -> None:
    from nadzor.cases import services

    exported = {
        name for name in services.__all__ if callable(getattr(services, name)) and name[0].islower()
    }
    # Helpers and reads of settings that every caller may make, not operations of a role.
    not_operations = {
        "actor_of", "case_for", "visible_cases", "transition", "current_policy", "current_settings",
        "outcome_meaning", "case_state", "scope_of", "staff_user", "finding_texts",
        "finding_explanations",
    }  # fmt: skip
    covered = {
        "list_cases", "case_view", "create_case", "update_case", "add_note", "extend_deadline",
        "decide_closure", "set_legal_hold", "import_findings", "export_cases", "add_evidence",
        "list_evidence", "open_evidence", "delete_evidence", "add_person", "view_identity",
        "change_setting",
    }  # fmt: skip
    assert exported - not_operations - covered == set()
    assert set(_ops()) == set(OPERATIONS)


@pytest.mark.parametrize("role", [N, V, S, A, D], ids=lambda r: r.value)
@pytest.mark.parametrize("operation", OPERATIONS)
def test_role_may_or_may_not(
    operation: str, role: Role, staff: dict[Role, Actor], worked_case: str, tmp_path: Path
) -> None:
    call, allowed = _ops()[operation]
    try:
        call(staff[role], worked_case, tmp_path)
        outcome = "allowed"
    except Denied:
        outcome = "denied"
    except DomainError:
        outcome = "allowed"  # past the permission check, refused for the case's state
    assert outcome == ("allowed" if role in allowed else "denied")
