"""Loading a case for an actor: the permission check, and who may learn that it exists."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from nadzor.cases._errors import BadInput, NotFound
from nadzor.cases.domain import (
    Actor,
    CaseState,
    Denied,
    Operation,
    Remedy,
    Role,
    Scope,
    Status,
    may,
    require,
    scope_of_state,
    visible_to,
)
from nadzor.store.models import Case, User

__all__ = ["actor_of", "case_for", "case_state", "scope_of", "staff_user", "visible_cases"]


def actor_of(user: User) -> Actor:
    return Actor(user.username, Role(user.role))


def scope_of(case: Case) -> Scope:
    """What the permission table reads of a stored case (through its `CaseState`, the one
    conversion of a stored case into the domain's terms)."""
    return scope_of_state(case_state(case))


def case_state(case: Case) -> CaseState:
    """The stored case as the domain sees it."""
    return CaseState(
        status=Status(case.status),
        assignee=case.assignee.username if case.assignee else None,
        closure_requested_by=case.closure_requested_by.username
        if case.closure_requested_by
        else None,
        remedy=Remedy(case.remedy) if case.remedy else None,
        remedy_text=case.remedy_text,
        pending_remedy=Remedy(case.pending_remedy) if case.pending_remedy else None,
        pending_remedy_text=case.pending_remedy_text,
    )


def case_for(actor: Actor, reference: str, op: Operation, *, lock: bool = False) -> Case:
    """The case `reference` if `actor` may do `op` on it.

    A supervisor asking for a missing case gets NotFound. Anyone else gets the same Denied
    for a case that is missing as for one they may not see, so a refusal reveals nothing.
    """
    require(actor, Operation.CASE_VIEW)
    rows = Case.objects.select_related("assignee", "closure_requested_by")
    if lock:
        rows = rows.select_for_update(of=("self",))
    case = rows.filter(reference=reference.strip()).first()
    sees_all = visible_to(actor).all
    if case is None:
        if sees_all:
            raise NotFound(f"no case {reference.strip()}")
        raise Denied("you may not open this case")
    scope = scope_of(case)
    if not may(actor, Operation.CASE_VIEW, scope):
        raise Denied("you may not open this case")
    require(actor, op, scope)
    return case


def visible_cases(actor: Actor) -> QuerySet[Case]:
    """The cases `actor` may list (analysts and admins: none)."""
    rule = visible_to(actor)
    rows = Case.objects.select_related("assignee")
    if rule.none:
        return rows.none()
    if rule.all:
        return rows
    condition = Q(pk__in=[])
    if rule.assignee is not None:
        condition |= Q(assignee__username=rule.assignee)
    if rule.unassigned_statuses:
        condition |= Q(
            assignee__isnull=True, status__in=[s.value for s in rule.unassigned_statuses]
        )
    if rule.statuses is not None:
        condition |= Q(status__in=[s.value for s in rule.statuses])
    return rows.filter(condition)


def staff_user(name: str | None, *, roles: tuple[Role, ...]) -> User | None:
    """An active user with one of `roles`, by name (None stays None)."""
    if name is None:
        return None
    user = get_user_model().objects.filter(username=name, is_active=True).first()
    if user is None or Role(user.role) not in roles:
        wanted = " or ".join(role.value for role in roles)
        raise BadInput(f"{name!r} is not an active {wanted}")
    return user  # type: ignore[return-value]
