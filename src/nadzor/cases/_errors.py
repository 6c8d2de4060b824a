"""Errors of the case services, beside the domain's own (`Denied`, `InvalidTransition`)."""

from __future__ import annotations

from nadzor.cases.domain import DomainError

__all__ = ["BadInput", "NotFound"]


class NotFound(DomainError):  # noqa: N818 - reads as the refusal it is
    """No such case (or the actor may not know whether it exists: the message is the same)."""


class BadInput(DomainError):  # noqa: N818 - reads as the refusal it is
    """Input that cannot be used; the message names the row and the field where there is one."""
