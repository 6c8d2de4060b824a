"""Users of every role and a case to work on, for the store tests of the case services."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from nadzor.cases.domain import Actor, Kind, Role

if TYPE_CHECKING:
    from nadzor.store.models import Case

# Store modules are imported inside the fixtures: pytest may load this file before the
# root conftest has configured Django.


@pytest.fixture
def case(staff: dict[Role, Actor]) -> Case:
    from nadzor.cases.services import NewCase, create_case

    return create_case(
        staff[Role.SUPERVISOR],
        NewCase(kind=Kind.PROVISION, title="No winter uniform", region="Kursk"),
    )
