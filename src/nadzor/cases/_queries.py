"""Reading cases: the filtered, deadline-ordered list, and one case with what the actor may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case as DjCase
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from nadzor.audit.journal import entries_for
from nadzor.cases._access import case_for, case_state, visible_cases
from nadzor.cases._errors import BadInput
from nadzor.cases._search import region_matches, search_cases
from nadzor.cases.domain import (
    Actor,
    CaseState,
    Operation,
    Part,
    Status,
    allowed_steps,
    may_decide,
    require,
    visible_parts,
)
from nadzor.store.models import (
    AuditEntry,
    Case,
    Complaint,
    ComplaintMessage,
    Evidence,
    Finding,
    Note,
)

__all__ = ["CaseFilters", "CaseView", "case_view", "list_cases"]


@dataclass(frozen=True)
class CaseFilters:
    status: str | None = None
    kind: str | None = None
    region: str | None = None
    assignee: str | None = None
    overdue: bool = False
    source: str | None = None
    # the actor's own cases: assigned to them and open, or with a message not answered yet
    mine: bool = False
    # only cases with a complainant's message that no staff reply has answered yet
    unread: bool = False
    # a case reference, a person's record reference, or words of the case and its complaints
    q: str = ""


@dataclass
class CaseView:
    """One case as `actor` may see it: the domain's `parts`, `steps` and `decide` say what
    to show and offer, and only the parts in `parts` are loaded (the others stay empty)."""

    case: Case
    findings: list[Finding]
    notes: list[Note] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    history: list[AuditEntry] = field(default_factory=list)
    # the complaints linked to the case or split into it, each with `unread`
    complaints: list[Complaint] = field(default_factory=list)
    state: CaseState | None = None
    parts: frozenset[Part] = frozenset()
    steps: tuple[Status, ...] = ()
    decide: bool = False


def list_cases(
    actor: Actor, filters: CaseFilters, *, today: dt.date | None = None
) -> QuerySet[Case]:
    """The cases the actor may see, open and overdue first, then by deadline."""
    require(actor, Operation.CASE_VIEW)
    today = today or timezone.now().date()
    # A correlated count, not a join and GROUP BY over every visible case: the engine
    # evaluates it only for the rows of the page asked for.
    per_case = (
        Finding.objects.filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
    )
    unread = (
        ComplaintMessage.objects.filter(
            complaint__case=OuterRef("pk"), sender="you", read_at__isnull=True
        )
        .order_by()
        .values("complaint__case")
        .annotate(n=Count("pk"))
    )
    rows = visible_cases(actor).annotate(
        n_findings=Coalesce(Subquery(per_case.values("n")), Value(0)),
        unread=Coalesce(Subquery(unread.values("n")), Value(0)),
    )
    if filters.status:
        _known(filters.status, [s.value for s in Status], "status")
        rows = rows.filter(status=filters.status)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.region:
        rows = rows.filter(region_matches(filters.region))
    if filters.assignee:
        rows = rows.filter(assignee__username=filters.assignee.strip())
    if filters.source:
        rows = rows.filter(source=filters.source)
    open_statuses = [s.value for s in Status if s.is_open]
    if filters.overdue:
        rows = rows.filter(status__in=open_statuses, due_on__lt=today)
    if filters.unread:
        rows = rows.filter(unread__gt=0)
    if filters.q.strip():
        rows = search_cases(rows, filters.q)
    if filters.mine:
        rows = rows.filter(assignee__username=actor.name).filter(
            Q(status__in=open_statuses) | Q(unread__gt=0)
        )
        # a message waiting for an answer first, even on a resolved case
        return rows.order_by(
            DjCase(When(unread__gt=0, then=Value(0)), default=Value(1)),
            "closed_rank",
            "due_on",
            "reference",
        )
    return rows.order_by("closed_rank", "due_on", "reference")


def case_view(actor: Actor, reference: str) -> CaseView:
    """The case with the parts the actor may see; showing the linked complaints (with the
    start of their text) is a `complaint.view` audit entry for each."""
    case = case_for(actor, reference, Operation.CASE_VIEW)
    state = case_state(case)
    parts = visible_parts(actor, state)
    view = CaseView(
        case,
        list(case.findings.order_by("rule_id", "id")) if Part.FINDINGS in parts else [],
        state=state,
        parts=parts,
        steps=allowed_steps(actor, state),
        decide=may_decide(actor, state),
    )
    if Part.NOTES in parts:
        view.notes = list(case.notes.select_related("author").order_by("at", "id"))
    if Part.EVIDENCE in parts:
        view.evidence = list(case.evidence.select_related("added_by").order_by("added_at", "id"))
    if Part.HISTORY in parts:
        view.history = entries_for(f"case:{case.reference}")
    if Part.COMPLAINTS in parts:
        view.complaints = _complaints_of(actor, case)
    return view


def _complaints_of(actor: Actor, case: Case) -> list[Complaint]:
    # imported here: the complaint services build on the case services
    from nadzor.complaints.services import record_text_reads

    unread = Count("messages", filter=Q(messages__sender="you", messages__read_at__isnull=True))
    rows = Complaint.objects.filter(Q(case=case) | Q(split_cases=case)).annotate(unread=unread)
    shown = list(rows.distinct().order_by("created_at", "pk"))
    record_text_reads(actor, shown)
    return shown


def _known(value: str, allowed: list[str], name: str) -> None:
    if value not in allowed:
        raise BadInput(f"{name} {value!r} is not one of {', '.join(allowed)}")
