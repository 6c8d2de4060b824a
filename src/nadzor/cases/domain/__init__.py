"""The case domain: the status flow, who may do what, deadlines and references.

This package is pure: plain Python with no database, no web framework and no I/O. The
services store cases and call it to decide every step; the errors it raises carry one
plain sentence that can be shown to the user as is.
"""

from nadzor.cases.domain._deadlines import (
    DeadlinePolicy,
    DeadlineState,
    deadline_state,
    extend_due,
    initial_due,
    urgency_key,
)
from nadzor.cases.domain._errors import Denied, DomainError, InvalidDeadline, InvalidTransition
from nadzor.cases.domain._model import (
    Actor,
    CaseState,
    Effect,
    Kind,
    Remedy,
    Role,
    Status,
    TransitionOutcome,
    TransitionRequest,
)
from nadzor.cases.domain._permissions import (
    CaseFilter,
    Operation,
    Scope,
    may,
    require,
    visible_to,
)
from nadzor.cases.domain._reference import REFERENCE_PATTERN, format_reference, parse_reference
from nadzor.cases.domain._regions import (
    OTHER_REGION,
    REGIONS,
    Region,
    canonical_region,
    find_region,
    region_name,
)
from nadzor.cases.domain._transitions import (
    APPROVED_REMEDIES,
    approve_closure,
    decide_transition,
    needs_approval,
    needs_reason,
    reject_closure,
)
from nadzor.cases.domain._views import (
    Part,
    allowed_steps,
    may_decide,
    scope_of_state,
    visible_parts,
)

__all__ = [
    "APPROVED_REMEDIES",
    "OTHER_REGION",
    "REFERENCE_PATTERN",
    "REGIONS",
    "Actor",
    "CaseFilter",
    "CaseState",
    "DeadlinePolicy",
    "DeadlineState",
    "Denied",
    "DomainError",
    "Effect",
    "InvalidDeadline",
    "InvalidTransition",
    "Kind",
    "Operation",
    "Part",
    "Region",
    "Remedy",
    "Role",
    "Scope",
    "Status",
    "TransitionOutcome",
    "TransitionRequest",
    "allowed_steps",
    "approve_closure",
    "canonical_region",
    "deadline_state",
    "decide_transition",
    "extend_due",
    "find_region",
    "format_reference",
    "initial_due",
    "may",
    "may_decide",
    "needs_approval",
    "needs_reason",
    "parse_reference",
    "region_name",
    "reject_closure",
    "require",
    "scope_of_state",
    "urgency_key",
    "visible_parts",
    "visible_to",
]
