"""The complaint vocabulary: categories and their reasons, statuses, and a checked complaint.

Everything here is immutable and free of I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "CONTACT_FIELDS",
    "REASONS",
    "CallupReason",
    "Category",
    "ComplaintInput",
    "ComplaintStatus",
    "Contact",
    "ProvisionItem",
    "Topic",
]


class Category(StrEnum):
    """What a complaint is about; the same values as the case kinds."""

    UNLAWFUL_CALLUP = "unlawful_callup"
    PROVISION = "provision"
    CONDITIONS = "conditions"
    TRAINING = "training"
    ABUSE = "abuse"
    OTHER = "other"


class CallupReason(StrEnum):
    """Why a call-up is unlawful, in the complainant's words."""

    HEALTH = "health"
    AGE = "age"
    CHILDREN = "children"
    CARE = "care"
    STUDENT = "student"
    RESERVATION = "reservation"
    OTHER = "other"


class ProvisionItem(StrEnum):
    """What was not provided."""

    BODY_ARMOUR = "body_armour"
    WINTER_UNIFORM = "winter_uniform"
    FOOD = "food"
    MEDICINE = "medicine"
    OTHER = "other"


# The categories that need a `reason`, and the values it may take; the others refuse one.
REASONS: dict[Category, tuple[str, ...]] = {
    Category.UNLAWFUL_CALLUP: tuple(reason.value for reason in CallupReason),
    Category.PROVISION: tuple(item.value for item in ProvisionItem),
}


class ComplaintStatus(StrEnum):
    """Where a complaint is in triage (its case, once linked, has its own status)."""

    NEW = "new"
    TRIAGED = "triaged"
    LINKED = "linked"
    CLOSED = "closed"


@dataclass(frozen=True)
class Contact:
    """How the complainant may be reached; every field may be empty, not all of them."""

    name: str = ""
    phone: str = ""
    email: str = ""
    other: str = ""

    def fields_given(self) -> list[str]:
        """The names of the fields that are not empty, in a fixed order."""
        return [name for name in CONTACT_FIELDS if getattr(self, name)]


CONTACT_FIELDS = ("name", "phone", "email", "other")


@dataclass(frozen=True)
class Topic:
    """One problem a complaint reports: its category and, for the categories that take
    one, the reason or the missing item (`""` for the others)."""

    category: Category
    reason: str = ""


@dataclass(frozen=True)
class ComplaintInput:
    """A complaint as checked by `validate`: texts trimmed, empty optional texts as "".

    `topics` lists every problem reported, in the order given; `category` and `reason` are
    the first one's (the complaint's main category)."""

    category: Category
    reason: str
    region: str
    facility: str
    text: str
    occurred_on: dt.date | None
    contact: Contact | None
    topics: tuple[Topic, ...] = ()
