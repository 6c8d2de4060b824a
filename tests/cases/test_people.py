"""Personal data: entered and shown only to roles that need it, every view audited, no
personal value ever written to the audit log."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from nadzor.cases.domain import Actor, Denied, Kind, Role

pytestmark = pytest.mark.django_db

BOSS = Actor("boss", Role.SUPERVISOR)
INTAKE = Actor("desk", Role.INTAKE)
ANALYST = Actor("numbers", Role.ANALYST)
INVESTIGATOR = Actor("ivan", Role.INVESTIGATOR)

PERSON = {
    "full_name": "Петров Сергей Ильич",
    "birth_date": dt.date(2003, 2, 17),
    "contact": "+7 900 555-12-34, ул. Садовая 12-7",
    "health_notes": "астма, направлен на ВВК",
    "notes": "мать: Петрова Анна Львовна",
}


@pytest.fixture
def staff():  # type: ignore[no-untyped-def]
    from nadzor.store.models import User

    return {
        actor.name: User.objects.create_user(username=actor.name, role=actor.role.value)
        for actor in (BOSS, INTAKE, ANALYST, INVESTIGATOR)
    }


@pytest.fixture
def reference(staff) -> str:  # type: ignore[no-untyped-def]
    from nadzor.cases.services import NewCase, create_case

    return create_case(BOSS, NewCase(kind=Kind.UNLAWFUL_CALLUP)).reference


def entries(action: str) -> list[dict[str, object]]:
    from nadzor.store.models import AuditEntry

    rows = AuditEntry.objects.filter(action=action).order_by("seq")
    return [{"actor": r.actor, "subject": r.subject, "data": json.loads(r.data)} for r in rows]


def audit_text() -> str:
    """Every stored audit row's actor, action, subject and data, as stored, as one text.

    (Hashes and times are left out: hex digits and clock digits would match by chance.)
    """
    from nadzor.store.models import AuditEntry

    rows = AuditEntry.objects.order_by("seq").values_list("actor", "action", "subject", "data")
    return "\n".join("\t".join(row) for row in rows)


def test_add_person_stores_the_values_and_audits_only_the_fields(reference: str) -> None:
    from nadzor.cases.services import add_person

    person = add_person(BOSS, reference, **PERSON)
    person.refresh_from_db()
    assert person.case.reference == reference
    assert {name: getattr(person, name) for name in PERSON} == PERSON
    assert person.created_by.username == "boss"
    assert entries("identity.add") == [
        {
            "actor": "boss",
            "subject": f"case:{reference}",
            "data": {
                "person": person.pk,
                "fields": ["full_name", "birth_date", "contact", "health_notes", "notes"],
            },
        }
    ]


def test_only_the_fields_given_are_named(reference: str) -> None:
    from nadzor.cases.services import add_person

    add_person(BOSS, reference, full_name="  Сидоров Пётр  ", contact=" ")
    assert entries("identity.add")[0]["data"]["fields"] == ["full_name"]


def test_every_view_is_an_audit_entry(reference: str) -> None:
    from nadzor.cases.services import PERSONAL_FIELDS, add_person, view_identity

    first = add_person(BOSS, reference, **PERSON)
    second = add_person(BOSS, reference, full_name="Петрова Анна Львовна")
    for _ in range(3):
        people = view_identity(BOSS, reference)
        assert [p.full_name for p in people] == [PERSON["full_name"], "Петрова Анна Львовна"]
    views = entries("identity.view")
    assert len(views) == 3
    for view in views:
        assert view == {
            "actor": "boss",
            "subject": f"case:{reference}",
            "data": {"people": [first.pk, second.pk], "fields": list(PERSONAL_FIELDS)},
        }


def test_a_view_of_a_case_with_nobody_is_still_recorded(reference: str) -> None:
    from nadzor.cases.services import view_identity

    assert view_identity(BOSS, reference) == []
    assert [e["data"]["people"] for e in entries("identity.view")] == [[]]


def test_no_personal_value_reaches_the_audit_log(reference: str, staff) -> None:  # type: ignore[no-untyped-def]
    from nadzor.audit.journal import verify
    from nadzor.cases.services import add_person, view_identity
    from nadzor.store.models import Case

    Case.objects.filter(reference=reference).update(status="investigating", assignee=staff["ivan"])
    add_person(BOSS, reference, **PERSON)
    view_identity(BOSS, reference)
    view_identity(INVESTIGATOR, reference)
    text = audit_text()
    assert "identity.view" in text
    for value in PERSON.values():
        assert str(value) not in text
    for word in ("Петров", "астма", "Садовая", "+7 900"):
        assert word not in text
    assert verify().ok


def test_who_may_see_personal_data(reference: str, staff) -> None:  # type: ignore[no-untyped-def]
    from nadzor.cases.services import add_person, view_identity
    from nadzor.store.models import Case

    add_person(BOSS, reference, **PERSON)
    with pytest.raises(Denied):
        view_identity(INTAKE, reference)
    with pytest.raises(Denied):
        view_identity(ANALYST, reference)
    with pytest.raises(Denied):
        view_identity(INVESTIGATOR, reference)
    assert entries("identity.view") == []
    Case.objects.filter(reference=reference).update(status="investigating", assignee=staff["ivan"])
    assert len(view_identity(INVESTIGATOR, reference)) == 1
    assert [e["actor"] for e in entries("identity.view")] == ["ivan"]


def test_who_may_add_people(reference: str, staff) -> None:  # type: ignore[no-untyped-def]
    from nadzor.cases.services import add_person
    from nadzor.store.models import Case, Person

    for actor in (INTAKE, ANALYST, INVESTIGATOR):
        with pytest.raises(Denied):
            add_person(actor, reference, full_name="Иванов Иван")
    Case.objects.filter(reference=reference).update(status="investigating", assignee=staff["ivan"])
    add_person(INVESTIGATOR, reference, full_name="Иванов Иван")
    assert Person.objects.count() == 1
    assert [e["actor"] for e in entries("identity.add")] == ["ivan"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"full_name": "   "}, "a person needs a full name"),
        ({"full_name": "x" * 301}, "at most 300 characters"),
        (
            {"full_name": "Кузнецов", "birth_date": dt.date.today() + dt.timedelta(days=2)},
            "cannot be in the future",
        ),
        ({"full_name": "Кузнецов", "birth_date": "2001-01-01"}, "must be a date"),
    ],
)
def test_bad_input_stores_nothing(reference: str, values: dict[str, object], message: str) -> None:
    from nadzor.cases.services import BadInput, add_person
    from nadzor.store.models import Person

    with pytest.raises(BadInput, match=message):
        add_person(BOSS, reference, **values)  # type: ignore[arg-type]
    assert Person.objects.count() == 0
    assert entries("identity.add") == []


def test_an_unknown_case(staff) -> None:  # type: ignore[no-untyped-def]
    from nadzor.cases.services import NotFound, view_identity

    with pytest.raises(NotFound):
        view_identity(BOSS, "NZ-2020-000999")
    with pytest.raises(Denied):
        view_identity(INVESTIGATOR, "NZ-2020-000999")
    assert entries("identity.view") == []
