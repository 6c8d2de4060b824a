"""Errors of the case domain: each one plain sentence that can be shown to the user as is."""

from __future__ import annotations

from nadzor.cases.domain._model import Role

__all__ = ["Denied", "DomainError", "InvalidDeadline", "InvalidTransition", "who"]


class DomainError(Exception):
    """A request the domain refuses; `str(exc)` is one plain sentence for the user."""


class Denied(DomainError):  # noqa: N818 - public name the services import
    """The actor's role, or their assignment to the case, does not allow the request."""


class InvalidTransition(DomainError):  # noqa: N818 - public name the services import
    """Not allowed from the case's status, or the request lacks a reason, assignee or remedy."""


class InvalidDeadline(InvalidTransition):
    """A deadline extension that the policy does not allow (too long, repeated, no reason).

    It is an `InvalidTransition` so that callers handling refused requests catch it too.
    """


_WHO = {
    Role.INTAKE: "intake staff",
    Role.INVESTIGATOR: "an investigator",
    Role.SUPERVISOR: "a supervisor",
    Role.ANALYST: "an analyst",
    Role.ADMIN: "an administrator",
}


def who(role: Role) -> str:
    """The role as the subject of a sentence: "an investigator", "intake staff"."""
    return _WHO[role]
