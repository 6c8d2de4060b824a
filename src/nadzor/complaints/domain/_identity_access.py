"""Who besides a supervisor may read a complainant's identity, and how that is granted.

A complaint's identity (name, phone, e-mail) is read by a supervisor, or by the
investigator assigned to the complaint's case once a supervisor has cleared it for them:

- a supervisor linked the complaint to the case: the case's assignee, whoever that is,
  may read it (the supervisor chose the case knowing who works it);
- otherwise the assignee asks (`request_identity`, with a reason) and a supervisor approves
  or rejects (`decide_identity`, with a reason), as for a closure as unfounded. An approval
  is for that investigator: when the case goes to someone else, they ask again.

Linking or moving the complaint starts over (`after_link`): the clearance was about the
case it was in. Every refusal is a `DomainError` with one plain sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from nadzor.cases.domain import Actor, InvalidTransition, Operation, Role, Scope, require

__all__ = ["IdentityAccess", "after_link", "decide_identity", "request_identity"]


@dataclass(frozen=True)
class IdentityAccess:
    """The clearance of one complaint's identity.

    `linked_by_supervisor`: a supervisor linked the complaint to its current case.
    `granted_to`: the investigator whose request a supervisor approved (None: nobody).
    `requested_by`: the investigator whose request awaits a decision (None: none pending).
    """

    linked_by_supervisor: bool = False
    granted_to: str | None = None
    requested_by: str | None = None

    def cleared_for(self, assignee: str | None) -> bool:
        """Whether the case's assignee may read the identity (a supervisor always may)."""
        if assignee is None:
            return False
        return self.linked_by_supervisor or self.granted_to == assignee


def after_link(actor: Actor, access: IdentityAccess) -> IdentityAccess:
    """The clearance once `actor` linked the complaint to a case or moved it to another."""
    return IdentityAccess(linked_by_supervisor=actor.role == Role.SUPERVISOR)


def request_identity(
    actor: Actor, access: IdentityAccess, scope: Scope, reason: str
) -> IdentityAccess:
    """The assigned investigator asks a supervisor to let them read the identity."""
    require(actor, Operation.IDENTITY_REQUEST, scope)
    if access.cleared_for(actor.name):
        raise InvalidTransition("you may already see who wrote this complaint")
    if access.requested_by is not None:
        raise InvalidTransition("a request to see who wrote this complaint awaits a decision")
    _check_reason(reason)
    return replace(access, requested_by=actor.name)


def decide_identity(
    actor: Actor, access: IdentityAccess, scope: Scope, *, approve: bool, reason: str
) -> IdentityAccess:
    """A supervisor approves the pending request (the asker may then read the identity
    while the case is theirs) or rejects it; either way the request is gone."""
    require(actor, Operation.IDENTITY_DECIDE, scope)
    if access.requested_by is None:
        raise InvalidTransition("no request to see who wrote this complaint awaits a decision")
    _check_reason(reason)
    if not approve:
        return replace(access, requested_by=None)
    if access.requested_by != scope.assignee:
        raise InvalidTransition(
            "the investigator who asked no longer works the case: reject the request"
        )
    return replace(access, granted_to=access.requested_by, requested_by=None)


def _check_reason(reason: str) -> None:
    if not reason.strip():
        raise InvalidTransition("a reason is required: every decision on an identity records why")
