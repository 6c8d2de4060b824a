"""Deployment settings: deadlines configurable, each change audited, admins only."""

from __future__ import annotations

import datetime as dt

import pytest

from nadzor.audit.journal import entries_for
from nadzor.cases.domain import Actor, Denied, Kind, Role
from nadzor.cases.services import BadInput, NewCase, change_setting, create_case, current_settings

pytestmark = pytest.mark.django_db


def test_a_changed_deadline_applies_to_new_cases(staff: dict[Role, Actor]) -> None:
    change_setting("deadline.answer_days", "45", by=staff[Role.ADMIN])
    case = create_case(staff[Role.SUPERVISOR], NewCase(kind=Kind.ABUSE))
    assert case.due_on - case.registered_on == dt.timedelta(days=45)
    assert current_settings()["deadline.answer_days"] == 45
    (entry,) = entries_for("setting:deadline.answer_days")
    assert (entry.actor, entry.action, entry.data) == (
        "adam",
        "setting.change",
        '{"from":30,"to":45}',
    )


@pytest.mark.parametrize("role", [Role.INTAKE, Role.INVESTIGATOR, Role.SUPERVISOR, Role.ANALYST])
def test_only_admins_change_settings(staff: dict[Role, Actor], role: Role) -> None:
    with pytest.raises(Denied):
        change_setting("deadline.near_days", "3", by=staff[role])


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("deadline.unknown", "3", "unknown setting"),
        ("deadline.near_days", "-1", "whole number of days"),
        ("deadline.findings_days", "0", "at least 1"),
    ],
)
def test_bad_settings_are_refused(key: str, value: str, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        change_setting(key, value, by=None)
