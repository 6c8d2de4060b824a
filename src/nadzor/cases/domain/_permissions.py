"""Who may do what: one table of operations by roles, and the cases each role may list.

An operation is asked about with the facts of its object (`Scope`) when there is one: the
case's assignee and status (and, for a complaint's identity, whether a supervisor cleared
it for the case's assignee). Without a scope only operations that need no object are
allowed, and `case.view`, which then means a list of cases filtered by `visible_to`.

The identity of a complainant (`complaint.identity`) is more guarded than the people of a
case: an investigator reads it only on a case assigned to them, and only once a supervisor
has cleared it, by linking the complaint to the case themselves or by approving the
investigator's request (`identity.request`, decided with `identity.decide`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum

from nadzor.cases.domain._errors import Denied, who
from nadzor.cases.domain._model import Actor, Role, Status

__all__ = ["CaseFilter", "Operation", "Scope", "may", "require", "visible_to"]


class Operation(StrEnum):
    CASE_VIEW = "case.view"
    CASE_CREATE = "case.create"
    CASE_UPDATE = "case.update"
    CASE_ASSIGN = "case.assign"
    CASE_EXTEND_DEADLINE = "case.extend_deadline"
    CASE_NOTE = "case.note"
    FINDINGS_IMPORT = "findings.import"
    CASES_EXPORT = "cases.export"
    REPORTS_VIEW = "reports.view"
    REPORTS_PUBLISH = "reports.publish"
    IDENTITY_VIEW = "identity.view"
    EVIDENCE_ADD = "evidence.add"
    EVIDENCE_VIEW = "evidence.view"
    EVIDENCE_DELETE = "evidence.delete"
    LEGAL_HOLD = "legal.hold"
    COMPLAINT_VIEW = "complaint.view"
    COMPLAINT_TRIAGE = "complaint.triage"
    COMPLAINT_REPLY = "complaint.reply"
    COMPLAINT_CREATE = "complaint.create"
    USERS_MANAGE = "users.manage"
    SETTINGS_CHANGE = "settings.change"
    AUDIT_VERIFY = "audit.verify"
    AUDIT_VIEW = "audit.view"
    CASE_APPROVE = "case.approve"
    COMPLAINT_IDENTITY = "complaint.identity"
    IDENTITY_REQUEST = "identity.request"
    IDENTITY_DECIDE = "identity.decide"


@dataclass(frozen=True)
class Scope:
    """Facts about the object of an operation: the case it is, or belongs to."""

    assignee: str | None = None
    status: Status | None = None
    # a complaint's identity is cleared for the case's assignee: a supervisor linked the
    # complaint to the case, or approved that investigator's request to read it
    identity_cleared: bool = False


class _Access(Enum):
    NO = "never"
    ALL = "always"
    OWN = "the case is assigned to them"
    OWN_OR_TAKEABLE = "the case is assigned to them, or is unassigned and in new or triage"
    EARLY = "the case is in new or triage"
    OWN_CLEARED = (
        "the case is assigned to them and a supervisor linked the complaint to it"
        " or approved their request"
    )


_EARLY_STATUSES = frozenset({Status.NEW, Status.TRIAGE})

# fmt: off
_NO, _ALL, _OWN, _TAKE, _EARLY, _CLEARED = (
    _Access.NO, _Access.ALL, _Access.OWN, _Access.OWN_OR_TAKEABLE, _Access.EARLY,
    _Access.OWN_CLEARED,
)
_ROLES = (Role.INTAKE, Role.INVESTIGATOR, Role.SUPERVISOR, Role.ANALYST, Role.ADMIN)
_MATRIX: dict[Operation, tuple[_Access, _Access, _Access, _Access, _Access]] = {
    #                              intake    investigator supervisor analyst admin
    Operation.CASE_VIEW:            (_EARLY,  _TAKE,       _ALL,      _NO,    _NO),
    Operation.CASE_CREATE:          (_ALL,    _ALL,        _ALL,      _NO,    _NO),
    Operation.CASE_UPDATE:          (_NO,     _OWN,        _ALL,      _NO,    _NO),
    Operation.CASE_ASSIGN:          (_NO,     _NO,         _ALL,      _NO,    _NO),
    Operation.CASE_EXTEND_DEADLINE: (_NO,     _OWN,        _ALL,      _NO,    _NO),
    Operation.CASE_NOTE:            (_EARLY,  _OWN,        _ALL,      _NO,    _NO),
    Operation.FINDINGS_IMPORT:      (_NO,     _ALL,        _ALL,      _NO,    _NO),
    Operation.CASES_EXPORT:         (_NO,     _NO,         _ALL,      _ALL,   _NO),
    Operation.REPORTS_VIEW:         (_NO,     _NO,         _ALL,      _ALL,   _NO),
    Operation.REPORTS_PUBLISH:      (_NO,     _NO,         _ALL,      _NO,    _NO),
    Operation.IDENTITY_VIEW:        (_NO,     _OWN,        _ALL,      _NO,    _NO),
    Operation.EVIDENCE_ADD:         (_EARLY,  _OWN,        _ALL,      _NO,    _NO),
    Operation.EVIDENCE_VIEW:        (_NO,     _OWN,        _ALL,      _NO,    _NO),
    Operation.EVIDENCE_DELETE:      (_NO,     _NO,         _ALL,      _NO,    _NO),
    Operation.LEGAL_HOLD:           (_NO,     _NO,         _ALL,      _NO,    _NO),
    Operation.COMPLAINT_VIEW:       (_ALL,    _ALL,        _ALL,      _NO,    _NO),
    Operation.COMPLAINT_TRIAGE:     (_ALL,    _ALL,        _ALL,      _NO,    _NO),
    Operation.COMPLAINT_REPLY:      (_ALL,    _OWN,        _ALL,      _NO,    _NO),
    Operation.COMPLAINT_CREATE:     (_ALL,    _ALL,        _ALL,      _NO,    _NO),
    Operation.USERS_MANAGE:         (_NO,     _NO,         _NO,       _NO,    _ALL),
    Operation.SETTINGS_CHANGE:      (_NO,     _NO,         _NO,       _NO,    _ALL),
    Operation.AUDIT_VERIFY:         (_NO,     _NO,         _ALL,      _NO,    _ALL),
    Operation.AUDIT_VIEW:           (_NO,     _OWN,        _ALL,      _NO,    _NO),
    Operation.CASE_APPROVE:         (_NO,     _NO,         _ALL,      _NO,    _NO),
    Operation.COMPLAINT_IDENTITY:   (_NO,     _CLEARED,    _ALL,      _NO,    _NO),
    Operation.IDENTITY_REQUEST:     (_NO,     _OWN,        _NO,       _NO,    _NO),
    Operation.IDENTITY_DECIDE:      (_NO,     _NO,         _ALL,      _NO,    _NO),
}
# fmt: on

# operations that, without a scope, mean a list that `visible_to` filters
_LISTS = frozenset({Operation.CASE_VIEW})

_WHAT = {
    Operation.CASE_VIEW: "view cases",
    Operation.CASE_CREATE: "create cases",
    Operation.CASE_UPDATE: "change cases",
    Operation.CASE_ASSIGN: "assign cases",
    Operation.CASE_EXTEND_DEADLINE: "extend deadlines",
    Operation.CASE_NOTE: "add notes to cases",
    Operation.FINDINGS_IMPORT: "import findings",
    Operation.CASES_EXPORT: "export cases",
    Operation.REPORTS_VIEW: "view reports",
    Operation.REPORTS_PUBLISH: "publish a public report",
    Operation.IDENTITY_VIEW: "view personal data",
    Operation.EVIDENCE_ADD: "add evidence",
    Operation.EVIDENCE_VIEW: "view evidence",
    Operation.EVIDENCE_DELETE: "delete evidence",
    Operation.LEGAL_HOLD: "place or lift a legal hold",
    Operation.COMPLAINT_VIEW: "view complaints",
    Operation.COMPLAINT_TRIAGE: "triage complaints",
    Operation.COMPLAINT_REPLY: "reply to complaints",
    Operation.COMPLAINT_CREATE: "register complaints",
    Operation.USERS_MANAGE: "manage users",
    Operation.SETTINGS_CHANGE: "change settings",
    Operation.AUDIT_VERIFY: "verify the audit log",
    Operation.AUDIT_VIEW: "view the audit log",
    Operation.CASE_APPROVE: "decide requests that await a supervisor",
    Operation.COMPLAINT_IDENTITY: "see who wrote a complaint",
    Operation.IDENTITY_REQUEST: "ask to see who wrote a complaint",
    Operation.IDENTITY_DECIDE: "decide who may see who wrote a complaint",
}


@dataclass(frozen=True)
class CaseFilter:
    """The cases an actor may list, as the store's query should select them.

    `none` true: no case at all. Otherwise `all` true: every case. Otherwise a case is
    visible when at least one of these holds:

    - `assignee` is not None and the case is assigned to exactly that user name;
    - the case has no assignee and its status is in `unassigned_statuses`;
    - `statuses` is not None and the case's status is in `statuses`, whoever its assignee.

    With `assignee` None, `unassigned_statuses` empty and `statuses` None, nothing matches.
    """

    all: bool = False
    assignee: str | None = None
    unassigned_statuses: frozenset[Status] = frozenset()
    statuses: frozenset[Status] | None = None
    none: bool = False

    def matches(self, assignee: str | None, status: Status) -> bool:
        """Whether a case with this assignee and status passes the filter."""
        if self.none:
            return False
        if self.all:
            return True
        return (
            (self.assignee is not None and assignee == self.assignee)
            or (assignee is None and status in self.unassigned_statuses)
            or (self.statuses is not None and status in self.statuses)
        )


def may(actor: Actor, op: Operation, scope: Scope | None = None) -> bool:
    """Whether the actor's role allows `op`, on the object described by `scope` if any."""
    access = _access(actor.role, op)
    if access is _Access.NO:
        return False
    if access is _Access.ALL:
        return True
    if scope is None:
        return op in _LISTS
    own = scope.assignee is not None and scope.assignee == actor.name
    early = scope.status in _EARLY_STATUSES
    if access is _Access.OWN:
        return own
    if access is _Access.OWN_CLEARED:
        return own and scope.identity_cleared
    if access is _Access.OWN_OR_TAKEABLE:
        return own or (scope.assignee is None and early)
    return early


def require(actor: Actor, op: Operation, scope: Scope | None = None) -> None:
    """Raise `Denied` unless `may(actor, op, scope)`; the message states the rule only."""
    if may(actor, op, scope):
        return
    access = _access(actor.role, op)
    if access is _Access.NO:
        raise Denied(f"{who(actor.role)} may not {_WHAT[op]}")
    raise Denied(f"{who(actor.role)} may {_WHAT[op]} only when {access.value}")


def visible_to(actor: Actor) -> CaseFilter:
    """The cases the actor may list; the same cases for which `case.view` is allowed."""
    access = _access(actor.role, Operation.CASE_VIEW)
    if access is _Access.ALL:
        return CaseFilter(all=True)
    if access is _Access.OWN:
        return CaseFilter(assignee=actor.name)
    if access is _Access.OWN_OR_TAKEABLE:
        return CaseFilter(assignee=actor.name, unassigned_statuses=_EARLY_STATUSES)
    if access is _Access.EARLY:
        return CaseFilter(statuses=_EARLY_STATUSES)
    return CaseFilter(none=True)


def _access(role: Role, op: Operation) -> _Access:
    return _MATRIX[op][_ROLES.index(role)]
