"""The case vocabulary: roles, statuses, remedies, kinds, and the state a transition works on.

Everything here is immutable and free of I/O. A `CaseState` carries only the facts that the
status flow needs; the store keeps the rest of a case.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

__all__ = [
    "Actor",
    "CaseState",
    "Effect",
    "Kind",
    "Remedy",
    "Role",
    "Status",
    "TransitionOutcome",
    "TransitionRequest",
]


class Role(StrEnum):
    INTAKE = "intake"
    INVESTIGATOR = "investigator"
    SUPERVISOR = "supervisor"
    ANALYST = "analyst"
    ADMIN = "admin"


class Status(StrEnum):
    NEW = "new"
    TRIAGE = "triage"
    INVESTIGATING = "investigating"
    REMEDY_REQUESTED = "remedy_requested"
    RESOLVED = "resolved"
    CLOSED_UNFOUNDED = "closed_unfounded"

    @property
    def is_open(self) -> bool:
        """True until the case is resolved or closed as unfounded."""
        return self not in (Status.RESOLVED, Status.CLOSED_UNFOUNDED)


class Remedy(StrEnum):
    SENT_HOME = "sent_home"
    DEFERMENT_GRANTED = "deferment_granted"
    DISCHARGED = "discharged"
    KIT_ISSUED = "kit_issued"
    CONDITIONS_FIXED = "conditions_fixed"
    OTHER = "other"


class Kind(StrEnum):
    UNLAWFUL_CALLUP = "unlawful_callup"
    PROVISION = "provision"
    CONDITIONS = "conditions"
    TRAINING = "training"
    ABUSE = "abuse"
    OTHER = "other"


@dataclass(frozen=True)
class Actor:
    """A signed-in user as the domain sees them: a user name and one role."""

    name: str
    role: Role

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("an actor needs a user name")


@dataclass(frozen=True)
class CaseState:
    """The facts of a case that the status flow reads and changes.

    `assignee` is the user name of the investigator working the case (None: unassigned).
    `closure_requested_by` names the investigator whose request awaits a supervisor's
    decision (None: no request pending): a closure as unfounded, or, with
    `pending_remedy`, resolving the case with a remedy that needs approval. `remedy` and `remedy_text` are set
    only on a resolved case.
    """

    status: Status
    assignee: str | None = None
    closure_requested_by: str | None = None
    remedy: Remedy | None = None
    remedy_text: str = ""
    # what the pending request asks a supervisor to approve: None to close the case as
    # unfounded, a remedy to resolve it with that remedy (see `needs_approval`)
    pending_remedy: Remedy | None = None
    pending_remedy_text: str = ""


@dataclass(frozen=True)
class TransitionRequest:
    """One step asked for: the target status, why, and what that step needs.

    `assignee` is read only on the way to `investigating`; `remedy` and `remedy_text` only
    on the way to `resolved`. Giving them for any other step is an error, not ignored.
    """

    target: Status
    reason: str
    assignee: str | None = None
    remedy: Remedy | None = None
    remedy_text: str = ""


Effect = Literal["applied", "closure_requested", "approval_requested"]


@dataclass(frozen=True)
class TransitionOutcome:
    """The case after the step, and whether the step took effect or awaits a supervisor."""

    state: CaseState
    effect: Effect
