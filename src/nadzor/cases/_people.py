"""The people of a case: identity and health details, kept apart from case facts.

The audit log records that personal data was entered or shown, by whom, on which case and
which fields, but never the values themselves: the log is shown to auditors who have no
need to see them, and it cannot be edited to remove them later.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from nadzor.audit.journal import append
from nadzor.cases._access import case_for, staff_user
from nadzor.cases._errors import BadInput
from nadzor.cases.domain import Actor, Operation, Role
from nadzor.store.models import PERSONAL_FIELDS, Person, User

__all__ = ["PERSONAL_FIELDS", "add_person", "view_identity"]

# PERSONAL_FIELDS, the fields of a person that are personal data, are what
# `view_identity` shows.
_NAME_LENGTH = 300


def add_person(
    actor: Actor,
    reference: str,
    *,
    full_name: str,
    birth_date: dt.date | None = None,
    contact: str = "",
    health_notes: str = "",
    notes: str = "",
) -> Person:
    """Record a person on the case; the audit entry names the fields given, not their values."""
    name = full_name.strip()
    if not name:
        raise BadInput("a person needs a full name")
    if len(name) > _NAME_LENGTH:
        raise BadInput(f"a full name can have at most {_NAME_LENGTH} characters")
    if birth_date is not None:
        if not isinstance(birth_date, dt.date) or isinstance(birth_date, dt.datetime):
            raise BadInput("a birth date must be a date")
        if birth_date > timezone.now().date():
            raise BadInput("a birth date cannot be in the future")
    entered = (name, birth_date, contact.strip(), health_notes.strip(), notes.strip())
    values = dict(zip(PERSONAL_FIELDS, entered, strict=True))
    with transaction.atomic():
        case = case_for(actor, reference, Operation.CASE_UPDATE, lock=True)
        person = Person.objects.create(
            case=case, created_by=_user(actor), created_at=timezone.now(), **values
        )
        given = [field for field in PERSONAL_FIELDS if values[field] not in (None, "")]
        append(
            actor.name,
            "identity.add",
            f"case:{case.reference}",
            {"person": person.pk, "fields": given},
        )
    return person


def view_identity(actor: Actor, reference: str) -> list[Person]:
    """The people of the case, with their personal data; every call is an `identity.view`
    entry naming the case, the people and the fields shown (never their values)."""
    with transaction.atomic():
        case = case_for(actor, reference, Operation.IDENTITY_VIEW)
        people = list(Person.objects.filter(case=case).order_by("created_at", "pk"))
        data = {"people": [person.pk for person in people], "fields": list(PERSONAL_FIELDS)}
        append(actor.name, "identity.view", f"case:{case.reference}", data)
    return people


def _user(actor: Actor) -> User | None:
    """The staff account behind the actor (None for the local operator `system`)."""
    if actor.name == "system":
        return None
    return staff_user(actor.name, roles=tuple(Role))
