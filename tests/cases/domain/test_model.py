"""The case vocabulary: statuses, roles, remedies, kinds and the immutable state."""

from __future__ import annotations

from dataclasses import FrozenInstanceError

import pytest

from nadzor.cases.domain import Actor, CaseState, Kind, Remedy, Role, Status, TransitionRequest


def test_open_statuses() -> None:
    assert [s for s in Status if s.is_open] == [
        Status.NEW,
        Status.TRIAGE,
        Status.INVESTIGATING,
        Status.REMEDY_REQUESTED,
    ]


def test_an_actor_needs_a_name() -> None:
    with pytest.raises(ValueError, match="user name"):
        Actor(" ", Role.SUPERVISOR)


def test_states_and_requests_are_frozen() -> None:
    state = CaseState(Status.INVESTIGATING, "ivan")
    with pytest.raises(FrozenInstanceError):
        state.status = Status.RESOLVED  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        TransitionRequest(Status.TRIAGE, "r").reason = ""  # type: ignore[misc]


def test_values_are_the_stored_names() -> None:
    assert [r.value for r in Role] == ["intake", "investigator", "supervisor", "analyst", "admin"]
    assert [r.value for r in Remedy] == [
        "sent_home",
        "deferment_granted",
        "discharged",
        "kit_issued",
        "conditions_fixed",
        "other",
    ]
    assert [k.value for k in Kind] == [
        "unlawful_callup",
        "provision",
        "conditions",
        "training",
        "abuse",
        "other",
    ]
