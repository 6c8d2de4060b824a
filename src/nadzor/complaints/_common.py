"""Loading a complaint for a staff member, and what the permission rules read of it."""

from __future__ import annotations

from dataclasses import replace

from django.db.models import QuerySet

from nadzor.cases._access import scope_of, staff_user
from nadzor.cases._errors import BadInput, NotFound
from nadzor.cases.domain import Actor, Operation, Role, Scope, require
from nadzor.complaints.domain import IdentityAccess
from nadzor.store.models import Complaint, User

__all__ = [
    "complaint_for",
    "complaint_id",
    "identity_access",
    "scope_of_complaint",
    "staff_author",
    "subject",
]


def subject(complaint: Complaint | int) -> str:
    """The audit log's subject for a complaint: `complaint:42`."""
    pk = complaint if isinstance(complaint, int) else complaint.pk
    return f"complaint:{pk}"


def complaint_id(value: object) -> int:
    """A complaint's number, given as a number or as its digits."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        number = int(value.strip())
        if number > 0:
            return number
    raise BadInput(f"{str(value)[:40]!r} is not a complaint number")


def identity_access(complaint: Complaint) -> IdentityAccess:
    """Who besides a supervisor may read the complaint's identity, as the store keeps it."""
    granted = complaint.identity_granted_to
    requested = complaint.identity_requested_by
    return IdentityAccess(
        linked_by_supervisor=complaint.linked_by_supervisor,
        granted_to=granted.username if granted is not None else None,
        requested_by=requested.username if requested is not None else None,
    )


def scope_of_complaint(complaint: Complaint) -> Scope:
    """The facts the permission rules read: those of the linked case (none when unlinked,
    so that rules limited to an investigator's own cases do not apply), and whether the
    identity is cleared for the case's assignee."""
    case = complaint.case
    if case is None:
        return Scope()
    scope = scope_of(case)
    return replace(scope, identity_cleared=identity_access(complaint).cleared_for(scope.assignee))


def _rows() -> QuerySet[Complaint]:
    return Complaint.objects.select_related(
        "case",
        "case__assignee",
        "case__closure_requested_by",
        "identity_granted_to",
        "identity_requested_by",
    )


def complaint_for(
    actor: Actor,
    number: object,
    op: Operation = Operation.COMPLAINT_VIEW,
    *,
    lock: bool = False,
) -> Complaint:
    """The complaint `number` if `actor` may do `op` on it.

    Every role that may view complaints sees them all, so a missing complaint is NotFound
    for them; a role that may not view complaints is Denied before anything is looked up.
    """
    require(actor, Operation.COMPLAINT_VIEW)
    pk = complaint_id(number)
    rows = _rows()
    if lock:
        rows = rows.select_for_update(of=("self",))
    complaint = rows.filter(pk=pk).first()
    if complaint is None:
        raise NotFound(f"no complaint {pk}")
    if op is not Operation.COMPLAINT_VIEW:
        require(actor, op, scope_of_complaint(complaint))
    return complaint


def staff_author(actor: Actor) -> User | None:
    """The staff account behind the actor (None for the local operator `system`)."""
    if actor.name == "system":
        return None
    return staff_user(actor.name, roles=tuple(Role))
