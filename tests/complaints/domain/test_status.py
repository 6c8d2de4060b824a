"""The public status: a small vocabulary that follows the complaint, then its case."""

from __future__ import annotations

import pytest

from nadzor.cases.domain import Kind, Status
from nadzor.complaints.domain import Category, ComplaintStatus, PublicState, public_status


@pytest.mark.parametrize(
    ("complaint", "case", "shown"),
    [
        ("new", None, "received"),
        ("triaged", None, "in_review"),
        ("closed", None, "closed"),
        ("linked", "new", "in_review"),
        ("linked", "triage", "in_review"),
        ("linked", "investigating", "investigating"),
        ("linked", "remedy_requested", "remedy_requested"),
        ("linked", "resolved", "resolved"),
        ("linked", "closed_unfounded", "closed"),
        ("linked", None, "in_review"),
        ("closed", "investigating", "closed"),
        (ComplaintStatus.LINKED, Status.RESOLVED, "resolved"),
    ],
)
def test_public_status(complaint: str, case: str | None, shown: str) -> None:
    assert public_status(complaint, case) == shown
    assert isinstance(public_status(complaint, case), str)


def test_every_combination_is_in_the_public_vocabulary() -> None:
    vocabulary = {
        "received",
        "in_review",
        "investigating",
        "remedy_requested",
        "resolved",
        "closed",
    }
    assert {state.value for state in PublicState} == vocabulary
    for complaint in ComplaintStatus:
        for case in [None, *Status]:
            assert public_status(complaint, case) in vocabulary


def test_unknown_statuses_are_errors() -> None:
    with pytest.raises(ValueError):
        public_status("lost", None)
    with pytest.raises(ValueError):
        public_status("linked", "archived")


def test_categories_are_the_case_kinds() -> None:
    assert [c.value for c in Category] == [k.value for k in Kind]
