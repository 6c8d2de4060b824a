"""One case: its facts, findings, complaints, evidence, notes and history, and the steps the
actor may take on it.

What is shown and offered is the domain's answer (`case_view`: `visible_parts`,
`allowed_steps`, `may_decide`), the same as the API's and `nadzor cases show`'s; the page
only words it. Each part shown carries `data-part`, each step offered `data-step`.
Every form posts to its own address; on success the page is shown again (POST, redirect,
GET), and a refused request shows the domain's sentence on the page with what was typed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from nadzor.cases.domain import (
    Actor,
    CaseState,
    DomainError,
    Operation,
    Part,
    Remedy,
    Status,
    TransitionRequest,
    decide_transition,
    may,
    needs_approval,
    needs_reason,
    scope_of_state,
)
from nadzor.cases.services import (
    PERSONAL_FIELDS,
    add_note,
    case_view,
    decide_closure,
    extend_deadline,
    outcome_meaning,
    transition,
    view_identity,
)
from nadzor.web.staff._access import redirect_to, render_staff, staff_page
from nadzor.web.staff._deadlines import mark_cases, policy_and_today
from nadzor.web.staff._findings import finding_views, text_languages
from nadzor.web.staff._history import history_rows
from nadzor.web.staff.approvals import render_approvals
from nadzor.web.staff.cases import assignable_names

__all__ = [
    "Offer",
    "case_page",
    "closure",
    "deadline",
    "note",
    "offers",
    "people",
    "render_case",
    "transition_step",
]


@dataclass(frozen=True)
class Offer:
    """A transition the actor may take: `target`, its label, and what its form asks for."""

    target: str
    label: str
    needs_assignee: bool = False
    needs_remedy: bool = False
    danger: bool = False
    needs_reason: bool = False
    # a remedy here may need a supervisor's approval (said beside the choice)
    approval_hint: bool = False


def offers(actor: Actor, state: CaseState, steps: tuple[Status, ...]) -> list[Offer]:
    """The forms for the steps the domain allows (`allowed_steps`), in the order of the flow."""
    scope = scope_of_state(state)
    assigns = may(actor, Operation.CASE_ASSIGN, scope)
    found = []
    for target in steps:
        offer = _offer(state, target, assigns=assigns, asks=_asks(actor, state, target))
        found.append(
            replace(
                offer,
                needs_reason=needs_reason(target, state),
                approval_hint=target is Status.RESOLVED
                and any(needs_approval(actor, r) for r in Remedy),
            )
        )
    return found


def _asks(actor: Actor, state: CaseState, target: Status) -> bool:
    """Whether the step only asks a supervisor (a closure as unfounded by an investigator)."""
    if target is not Status.CLOSED_UNFOUNDED:
        return False
    probe = TransitionRequest(target, reason="?")
    return decide_transition(actor, state, probe).effect == "closure_requested"


def _offer(state: CaseState, target: Status, *, assigns: bool, asks: bool) -> Offer:
    if target is Status.TRIAGE:
        return Offer(target.value, pgettext("staff", "Move to triage"))
    if target is Status.INVESTIGATING:
        if not state.status.is_open:
            return Offer(target.value, pgettext("staff", "Reopen the case"), needs_assignee=True)
        if assigns:
            return Offer(
                target.value, pgettext("staff", "Start the investigation"), needs_assignee=True
            )
        return Offer(target.value, pgettext("staff", "Take this case and start the investigation"))
    if target is Status.REMEDY_REQUESTED:
        return Offer(target.value, pgettext("staff", "Request a remedy"))
    if target is Status.RESOLVED:
        return Offer(target.value, pgettext("staff", "Resolve with a remedy"), needs_remedy=True)
    if target is Status.CLOSED_UNFOUNDED:
        if asks:
            return Offer(
                target.value,
                pgettext("staff", "Ask a supervisor to close as unfounded"),
                danger=True,
            )
        return Offer(target.value, pgettext("staff", "Close as unfounded"), danger=True)
    return Offer(target.value, target.value)


# form name -> the ability that puts it on the page
_FORMS = {
    "closure": "decide_closure",
    "deadline": "extend",
    "note": "note",
    "evidence": "add_evidence",
}


def render_case(
    request: HttpRequest,
    actor: Actor,
    reference: str,
    *,
    failed: str = "",
    error: str = "",
    posted: dict[str, str] | None = None,
    people: list[Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The case page; `failed` names the form whose request was refused with `error`."""
    view = case_view(actor, reference)
    case = mark_cases([view.case])[0]
    state = view.state
    assert state is not None
    scope = scope_of_state(state)
    policy, _today = policy_and_today()
    may_assign = may(actor, Operation.CASE_ASSIGN, scope)
    offered = offers(actor, state, view.steps)
    parts = view.parts
    can = {
        "note": may(actor, Operation.CASE_NOTE, scope),
        "add_evidence": may(actor, Operation.EVIDENCE_ADD, scope),
        "see_evidence": Part.EVIDENCE in parts,
        "history": Part.HISTORY in parts,
        "identity": Part.IDENTITY in parts,
        "complaints": Part.COMPLAINTS in parts,
        "extend": may(actor, Operation.CASE_EXTEND_DEADLINE, scope)
        and not case.deadline_extended
        and state.status.is_open,
        "decide_closure": view.decide,
    }
    # the forms on the page; a refusal for any other shows above everything
    forms = {f"transition:{o.target}" for o in offered}
    forms |= {name for name, key in _FORMS.items() if can[key]}
    # Outcome words as the finding's rulebook means them, in the page's language.
    lang, *fallback = text_languages()
    for finding in view.findings:
        finding.outcome_text = outcome_meaning(
            finding.rulebook, finding.outcome, lang, tuple(fallback)
        )
    context = {
        "case": case,
        "findings": finding_views(view.findings),
        "notes": view.notes,
        "evidence": view.evidence,
        "history": history_rows(view.history),
        "complaints": view.complaints,
        "offers": offered,
        "assignees": assignable_names() if may_assign else [],
        "remedies": [r.value for r in Remedy],
        "can": can,
        "extension_max_days": policy.extension_max_days,
        "failed": failed,
        "error": error,
        "error_above": bool(error) and failed not in forms,
        "posted": posted or {},
        "people": people,
        "personal_fields": PERSONAL_FIELDS,
    }
    return render_staff(request, actor, "nadzor/staff/case.html", context, status=status)


def _posted(request: HttpRequest, *names: str) -> dict[str, str]:
    return {name: request.POST.get(name, "") for name in names}


def _refused(
    request: HttpRequest,
    actor: Actor,
    reference: str,
    form: str,
    exc: DomainError,
    posted: dict[str, str],
) -> HttpResponse:
    return render_case(
        request,
        actor,
        reference,
        failed=form,
        error=pgettext("staff", str(exc)),
        posted=posted,
        status=422,
    )


@require_GET
@staff_page(Operation.CASE_VIEW)
def case_page(request: HttpRequest, actor: Actor, reference: str) -> HttpResponse:
    return render_case(request, actor, reference)


@require_POST
@staff_page(Operation.CASE_VIEW)
def transition_step(request: HttpRequest, actor: Actor, reference: str) -> HttpResponse:
    posted = _posted(request, "target", "reason", "assignee", "remedy", "remedy_text")
    form = f"transition:{posted['target']}"
    try:
        target = _choice(
            Status, posted["target"], pgettext("staff", "Choose a step from the page.")
        )
        if target is None:
            raise DomainError(pgettext("staff", "Choose a step from the page."))
        remedy = _choice(
            Remedy, posted["remedy"], pgettext("staff", "Choose a remedy from the list.")
        )
        request_ = TransitionRequest(
            target,
            reason=posted["reason"],
            assignee=posted["assignee"].strip() or None,
            remedy=remedy,
            remedy_text=posted["remedy_text"] if target is Status.RESOLVED else "",
        )
        outcome = transition(actor, reference, request_)
    except DomainError as exc:
        return _refused(request, actor, reference, form, exc, posted)
    if outcome.effect == "closure_requested":
        messages.success(
            request, pgettext("staff", "The closure was requested; a supervisor will decide.")
        )
    elif outcome.effect == "approval_requested":
        messages.success(
            request,
            pgettext("staff", "The remedy awaits a supervisor's approval; the case stays open."),
        )
    else:
        messages.success(request, pgettext("staff", "The case status was changed."))
    return redirect_to(request, "staff:case", reference)


@require_POST
@staff_page(Operation.CASE_VIEW)
def closure(request: HttpRequest, actor: Actor, reference: str) -> HttpResponse:
    """A supervisor approves or rejects a pending closure (from the case or the approvals)."""
    posted = _posted(request, "decision", "reason", "back")
    approve = posted["decision"] == "approve"
    back_to_list = posted["back"] == "approvals"
    try:
        if posted["decision"] not in ("approve", "reject"):
            raise DomainError(pgettext("staff", "Choose to approve or to reject the closure."))
        outcome = decide_closure(actor, reference, approve=approve, reason=posted["reason"])
    except DomainError as exc:
        if back_to_list:
            return render_approvals(
                request,
                actor,
                failed=reference,
                error=pgettext("staff", str(exc)),
                posted=posted,
                status=422,
            )
        return _refused(request, actor, reference, "closure", exc, posted)
    if approve and outcome.state.status is Status.RESOLVED:
        messages.success(request, pgettext("staff", "The case was resolved."))
    elif approve:
        messages.success(request, pgettext("staff", "The case was closed as unfounded."))
    else:
        messages.success(
            request, pgettext("staff", "The closure was rejected; the case stays open.")
        )
    if back_to_list:
        return redirect_to(request, "staff:approvals")
    return redirect_to(request, "staff:case", reference)


@require_POST
@staff_page(Operation.CASE_VIEW)
def deadline(request: HttpRequest, actor: Actor, reference: str) -> HttpResponse:
    posted = _posted(request, "days", "reason")
    try:
        text = posted["days"].strip()
        if not (text.isascii() and text.isdigit()):
            raise DomainError(pgettext("staff", "Give the number of days as a whole number."))
        extend_deadline(actor, reference, int(text), posted["reason"])
    except DomainError as exc:
        return _refused(request, actor, reference, "deadline", exc, posted)
    messages.success(request, pgettext("staff", "The deadline was extended."))
    return redirect_to(request, "staff:case", reference)


@require_POST
@staff_page(Operation.CASE_VIEW)
def note(request: HttpRequest, actor: Actor, reference: str) -> HttpResponse:
    posted = _posted(request, "text")
    try:
        add_note(actor, reference, posted["text"])
    except DomainError as exc:
        return _refused(request, actor, reference, "note", exc, posted)
    messages.success(request, pgettext("staff", "The note was added."))
    return redirect_to(request, "staff:case", reference)


@require_POST
@staff_page(Operation.CASE_VIEW)
def people(request: HttpRequest, actor: Actor, reference: str) -> HttpResponse:
    """The people of the case with their personal data; each view is audited by the service."""
    shown = view_identity(actor, reference)
    return render_case(request, actor, reference, people=shown)


def _choice(enum: Any, value: str, message: str) -> Any:
    if not value:
        return None
    try:
        return enum(value)
    except ValueError:
        raise DomainError(message) from None
