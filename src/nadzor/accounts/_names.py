"""User names, and who is acting: an administrator, or the local operator (`system`)."""

from __future__ import annotations

import re
import unicodedata

from nadzor.cases._errors import BadInput
from nadzor.cases.domain import Actor, Operation, require

__all__ = [
    "MAX_NAME_LENGTH",
    "OPERATOR",
    "PUBLIC",
    "RESERVED_NAMES",
    "acting_as",
    "clean_name",
    "valid_name",
]

OPERATOR = "system"
PUBLIC = "public"
# The audit log's own actor names: no user may take them, in any letter case.
RESERVED_NAMES = frozenset({OPERATOR, PUBLIC})
MAX_NAME_LENGTH = 150

_NAME = re.compile(r"[\w.@-]+")


def clean_name(name: str) -> str:
    """The name as stored: NFKC-normalised (as Django does) and stripped."""
    return unicodedata.normalize("NFKC", name).strip()


def valid_name(name: str) -> str:
    """The cleaned name for a new user, or BadInput saying which rule it breaks."""
    name = clean_name(name)
    if not name:
        raise BadInput("a user name is required")
    if len(name) > MAX_NAME_LENGTH:
        raise BadInput(f"a user name has at most {MAX_NAME_LENGTH} characters")
    if not _NAME.fullmatch(name):
        raise BadInput(f"invalid user name {name!r}: use letters, digits and . _ - @ only")
    if name.casefold() in RESERVED_NAMES:
        raise BadInput(f"the user name {name!r} is reserved for the audit log")
    return name


def acting_as(by: Actor | None) -> str:
    """The audit actor for a user-management request, after checking that it is allowed.

    `None` is the local operator, who has the database in hand: always allowed.
    """
    if by is None:
        return OPERATOR
    require(by, Operation.USERS_MANAGE)
    return by.name
