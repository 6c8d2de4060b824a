"""Cases for staff: the list, one case, staff entry, status steps, and evidence uploads.

A case that the caller may not see and a case that does not exist give the same 403; only
roles that see every case learn that a reference is unknown (404). The services decide
both (`case_for`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Path, Query, Router
from ninja.files import UploadedFile
from ninja.responses import Status as Reply
from pydantic import Field

from nadzor.cases.domain import (
    Actor,
    DeadlinePolicy,
    Kind,
    Part,
    Remedy,
    Status,
    TransitionRequest,
    deadline_state,
)
from nadzor.cases.services import (
    BadInput,
    CaseFilters,
    NewCase,
    add_evidence,
    case_view,
    create_case,
    current_policy,
    decide_closure,
    finding_explanations,
    list_cases,
    transition,
    view_identity,
)
from nadzor.store.models import Case, Evidence
from nadzor.web.api._app import ApiError
from nadzor.web.api._auth import STAFF_AUTH, actor
from nadzor.web.api._schemas import (
    CaseCreateIn,
    CaseDetailOut,
    CaseListOut,
    CaseSummaryOut,
    ErrorOut,
    EvidenceOut,
    HistoryEntryOut,
    LinkedComplaintOut,
    NoteOut,
    PageQuery,
    PersonOut,
    TransitionIn,
    TransitionOut,
)

__all__ = ["router"]

router = Router(auth=STAFF_AUTH, tags=["cases"])

Reference = Annotated[str, Path(pattern=r"^NZ-[0-9]{4}-[0-9]{6}$", examples=["NZ-2026-000001"])]

_READ = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
_ONE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
_WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 413: ErrorOut}


class CaseQuery(PageQuery):
    status: Status | None = None
    kind: Kind | None = None
    region: Annotated[str, Field(max_length=200)] | None = None
    assignee: Annotated[str, Field(max_length=150)] | None = None
    overdue: bool = Field(False, description="Only open cases past their deadline.")


@router.get(
    "",
    operation_id="listCases",
    response={200: CaseListOut, **_READ},
    summary="List cases",
    description="The cases the caller may see, open and overdue first, then by deadline.",
)
def list_(request: HttpRequest, filters: Query[CaseQuery]) -> CaseListOut:
    who = actor(request)
    rows = list_cases(
        who,
        CaseFilters(
            status=filters.status.value if filters.status else None,
            kind=filters.kind.value if filters.kind else None,
            region=filters.region or None,
            assignee=filters.assignee or None,
            overdue=filters.overdue,
        ),
    )
    today = timezone.now().date()
    policy = current_policy()
    page = rows[filters.offset : filters.offset + filters.limit]
    return CaseListOut(
        count=rows.count(),
        limit=filters.limit,
        offset=filters.offset,
        items=[_summary(case, today, policy) for case in page],
    )


@router.get(
    "/{ref}",
    operation_id="getCase",
    response={200: CaseDetailOut, **_ONE},
    summary="One case",
    description="The case's facts, findings, linked complaints and, for roles that may see "
    "it, evidence metadata. No personal data: that is shown apart, and every view audited.",
)
def detail(request: HttpRequest, ref: Reference) -> CaseDetailOut:
    return _detail(actor(request), ref)


@router.post(
    "",
    operation_id="createCase",
    response={
        201: CaseDetailOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        413: ErrorOut,
        422: ErrorOut,
    },
    summary="Enter a case",
    description="A case entered by staff (a complaint taken by phone, a facility visit...).",
)
def create(request: HttpRequest, payload: CaseCreateIn) -> Reply[CaseDetailOut]:
    who = actor(request)
    case = create_case(
        who,
        NewCase(
            kind=payload.kind,
            title=payload.title,
            region=payload.region,
            facility=payload.facility,
            priority=payload.priority.value,
            tags=[tag.strip() for tag in payload.tags],
        ),
    )
    return Reply(201, _detail(who, case.reference))


@router.post(
    "/{ref}/transitions",
    operation_id="transitionCase",
    response={200: TransitionOut, 409: ErrorOut, 422: ErrorOut, **_WRITE},
    summary="Move a case to another status",
    description='`{"to": STATUS, "reason": ...}` (with `assignee` on the way to '
    "investigating, `remedy` on the way to resolved), or a supervisor's "
    '`{"decision": "approve"|"reject", "reason": ...}` on a pending closure as unfounded. '
    "An investigator's closure as unfounded waits for a supervisor (`effect` "
    "`closure_requested`), and so does resolving with `sent_home` (`effect` "
    "`approval_requested`). A step the status flow does not allow gives 409.",
)
def move(request: HttpRequest, ref: Reference, payload: TransitionIn) -> TransitionOut:
    who = actor(request)
    if (payload.to is None) == (payload.decision is None):
        raise ApiError(422, "required", "give either `to` (a status) or `decision`", "to")
    if not payload.reason.strip():
        raise ApiError(
            422, "required", "a reason is required: every change of status records why", "reason"
        )
    if payload.decision is not None:
        for name in ("assignee", "remedy"):
            if getattr(payload, name) is not None:
                raise ApiError(422, "not_allowed", f"a decision takes no {name}", name)
        outcome = decide_closure(
            who, ref, approve=payload.decision.value == "approve", reason=payload.reason
        )
    else:
        assert payload.to is not None
        request_ = TransitionRequest(
            target=payload.to,
            reason=payload.reason,
            assignee=payload.assignee,
            remedy=payload.remedy,
            remedy_text=payload.remedy_text,
        )
        try:
            outcome = transition(who, ref, request_)
        except BadInput as exc:
            # the one input the services look up: the assignee must be an active investigator
            raise ApiError(422, "invalid", str(exc), "assignee") from None
    state = outcome.state
    return TransitionOut(
        reference=ref,
        status=state.status,
        effect=outcome.effect,
        assignee=state.assignee,
        closure_pending=state.closure_requested_by is not None,
        remedy=state.remedy,
        remedy_text=state.remedy_text,
    )


@router.post(
    "/{ref}/evidence",
    operation_id="addEvidence",
    response={
        201: EvidenceOut,
        200: EvidenceOut,
        415: ErrorOut,
        422: ErrorOut,
        **_WRITE,
    },
    summary="Add an evidence file",
    description="Multipart: `file` and an optional `description`. The type is read from "
    "the bytes, not the name: PDF, images, audio, video, office documents and plain text "
    "are accepted (415 otherwise). 413 when the file passes the size limit. The same bytes "
    "sent again to the same case change nothing (200 with the existing file).",
)
def upload(
    request: HttpRequest,
    ref: Reference,
    file: File[UploadedFile],
    description: str = Form("", max_length=2000),
) -> Reply[EvidenceOut]:
    who = actor(request)
    if not file.size:
        raise ApiError(422, "empty", "the file is empty", "file")
    try:
        evidence = add_evidence(
            who, ref, file, original_name=file.name or "", description=description
        )
    except BadInput as exc:
        if exc.__class__ is not BadInput:
            raise
        # A plain BadInput here is the refused type (TooLarge, a subclass, goes on to 413).
        raise ApiError(415, "bad_type", str(exc), "file") from None
    created = getattr(evidence, "created", True)
    return Reply(201 if created else 200, _evidence(evidence))


def _summary(case: Case, today: dt.date, policy: DeadlinePolicy) -> CaseSummaryOut:
    status = Status(case.status)
    return CaseSummaryOut(
        reference=case.reference,
        kind=Kind(case.kind),
        status=status,
        priority=case.priority,
        title=case.title,
        region=case.region,
        facility=case.facility,
        assignee=case.assignee.username if case.assignee else None,
        due_on=case.due_on,
        deadline=deadline_state(case.due_on, today, status, policy).value,
        closure_pending=case.closure_requested_by_id is not None,
        created_at=case.created_at,
        updated_at=case.updated_at,
    )


def _detail(who: Actor, reference: str) -> CaseDetailOut:
    """The case as the domain lets `who` see it (`case_view`: the same parts and steps as
    the staff page and `nadzor cases show`)."""
    view = case_view(who, reference)
    case = view.case
    parts = view.parts
    summary = _summary(case, timezone.now().date(), current_policy())
    return CaseDetailOut(
        **summary.model_dump(),
        commissariat=case.commissariat,
        tags=[str(tag) for tag in case.tags or []],
        registered_on=case.registered_on,
        deadline_extended=case.deadline_extended,
        remedy=Remedy(case.remedy) if case.remedy else None,
        remedy_text=case.remedy_text,
        legal_hold=case.legal_hold,
        findings=[
            {
                "rule": f.rule_id,
                "rulebook": f.rulebook,
                "outcome": f.outcome,
                "deferment_until": f.deferment_until,
                "basis": f.basis,
                "explanation": f.explanation,
                "evaluated_on": f.evaluated_on,
                "explanations": finding_explanations(f),
            }
            for f in view.findings
        ],
        notes=[
            NoteOut(author=n.author.username if n.author else None, at=n.at, text=n.text)
            for n in view.notes
        ],
        complaints=[
            LinkedComplaintOut(
                id=c.pk,
                category=c.category,
                status=c.status,
                created_at=c.created_at,
                text_start=c.text[:120],
            )
            for c in view.complaints
        ]
        if Part.COMPLAINTS in parts
        else None,
        evidence=[_evidence(e) for e in view.evidence] if Part.EVIDENCE in parts else None,
        history=[
            HistoryEntryOut(seq=e.seq, at=e.at, actor=e.actor, action=e.action)
            for e in view.history
        ]
        if Part.HISTORY in parts
        else None,
        personal_data=Part.IDENTITY in parts,
        steps=list(view.steps),
        decision=view.decide,
    )


@router.post(
    "/{ref}/people",
    operation_id="casePeople",
    response={200: list[PersonOut], **_ONE},
    summary="The people of a case, with their personal data",
    description="For the roles that may see them (`personal_data` in the case); every "
    "call is an audit entry naming the case, the people and the fields shown.",
)
def people(request: HttpRequest, ref: Reference) -> list[PersonOut]:
    return [
        PersonOut(
            full_name=p.full_name,
            birth_date=p.birth_date,
            contact=p.contact,
            health_notes=p.health_notes,
            notes=p.notes,
        )
        for p in view_identity(actor(request), ref)
    ]


def _evidence(evidence: Evidence) -> EvidenceOut:
    return EvidenceOut(
        sha256=evidence.sha256,
        size=evidence.size,
        media_type=evidence.media_type,
        description=evidence.description,
        added_by=evidence.added_by.username if evidence.added_by else None,
        added_at=evidence.added_at,
    )
