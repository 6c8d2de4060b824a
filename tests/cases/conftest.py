"""Users of every role and a case to work on, for the store tests of the case services."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from nadzor.cases.domain import Actor, Kind, Role

if TYPE_CHECKING:
    from nadzor.store.models import Case

# Store modules are imported inside the fixtures: pytest may load this file before the
# root conftest has configured Django.

NAMES = {
    Role.INTAKE: "ira",
    Role.INVESTIGATOR: "ivan",
    Role.SUPERVISOR: "sofia",
    Role.ANALYST: "anna",
    Role.ADMIN: "adam",
}


@pytest.fixture
def staff(db: None) -> dict[Role, Actor]:
    from nadzor.store.models import User

    for role, name in NAMES.items():
        User.objects.create_user(username=name, role=role.value, password=None)
    User.objects.create_user(username="olga", role=Role.INVESTIGATOR.value, password=None)
    return {role: Actor(name, role) for role, name in NAMES.items()}


@pytest.fixture
def case(staff: dict[Role, Actor]) -> Case:
    from nadzor.cases.services import NewCase, create_case

    return create_case(
        staff[Role.SUPERVISOR],
        NewCase(kind=Kind.PROVISION, title="No winter uniform", region="Kursk"),
    )
