"""The API's request and response bodies.

Request bodies forbid unknown fields, so that a misspelt field is an error and not silently
dropped. Statuses, kinds, remedies and categories are enums from the domains, so the OpenAPI
document lists every allowed value.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr

from nadzor.cases.domain import Kind, Remedy, Status
from nadzor.complaints.domain import Category, ComplaintStatus, PublicState

__all__ = [
    "AuditVerdictOut",
    "CaseCreateIn",
    "CaseDetailOut",
    "CaseListOut",
    "CaseSummaryOut",
    "ComplaintDetailOut",
    "ComplaintListOut",
    "ComplaintSubmitIn",
    "ContactIn",
    "Decision",
    "ErrorOut",
    "EvidenceOut",
    "HistoryEntryOut",
    "MessageIn",
    "MessageOut",
    "NoteOut",
    "PageQuery",
    "PersonOut",
    "Priority",
    "PublicStatusOut",
    "ReceiptIn",
    "SubmittedOut",
    "TransitionIn",
    "TransitionOut",
]

DATE_TEXT = Annotated[
    StrictStr,
    Field(
        pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
        json_schema_extra={"format": "date"},
        examples=["2026-03-15"],
    ),
]
LINE = Annotated[StrictStr, Field(max_length=300)]
TEXT = Annotated[StrictStr, Field(min_length=1, max_length=20_000)]
# A receipt code as people type it: 16 digits, grouped by spaces or dashes or not at all.
RECEIPT_CODE = Annotated[StrictStr, Field(max_length=64, examples=["1234 5678 9012 3456"])]


# Lists: at most this many items a page; offsets far beyond any real list, and within
# every database's integer range.
MAX_LIMIT = 200
MAX_OFFSET = 1_000_000_000


class PageQuery(BaseModel):
    """`limit` and `offset` of a paginated list."""

    limit: int = Field(50, ge=1, le=MAX_LIMIT, description="Items on this page.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Items skipped before it.")


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class Decision(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- errors -------------------------------------------------------------------------------


class ErrorDetail(BaseModel):
    code: str = Field(description="A stable name: unauthenticated, forbidden, not_found, ...")
    message: str = Field(description="One plain sentence for a person.")
    field: str | None = Field(
        description="The request field at fault (`contact.email`), or null for the request."
    )


class ErrorOut(BaseModel):
    error: ErrorDetail


# --- the public desk -----------------------------------------------------------------------


class ContactIn(_In):
    """How the complainant may be reached; every field optional."""

    name: LINE | None = None
    phone: LINE | None = None
    email: LINE | None = None
    other: LINE | None = None


class ComplaintSubmitIn(_In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"category": "abuse", "text": "Recruits are beaten at night."},
                {
                    "categories": ["unlawful_callup", "provision"],
                    "reasons": {"unlawful_callup": "health", "provision": "winter_uniform"},
                    "text": "Called up with category D, and no winter uniform either.",
                },
                {
                    "category": "provision",
                    "reason": "winter_uniform",
                    "region": "Kursk",
                    "facility": "unit 12345",
                    "text": "No winter uniform since October.",
                    "occurred_on": "2025-11-01",
                    "contact": {"name": "Maria", "email": "maria@example.org"},
                },
            ]
        },
    )

    category: Category | None = Field(
        None,
        description="What the complaint is about. Required unless `categories` is given; "
        "with `categories` it is the first of them.",
    )
    categories: list[Category] | None = Field(
        None,
        min_length=1,
        max_length=len(Category),
        description="Several problems in one complaint, e.g. "
        '`["unlawful_callup", "provision"]`; repeats count once. Staff may split such a '
        "complaint into one case per problem.",
    )
    reason: StrictStr | None = Field(
        None,
        max_length=40,
        description="For `unlawful_callup` (health, age, children, care, student,"
        " reservation, other) and `provision` (body_armour, winter_uniform, food, medicine,"
        " other): `other` when left out; refused for the other categories. With several "
        "categories it belongs to the first that takes a reason; `reasons` names each.",
    )
    reasons: dict[Category, Annotated[StrictStr, Field(max_length=40)]] | None = Field(
        None,
        description="The reason of each category that takes one, e.g. "
        '`{"unlawful_callup": "health", "provision": "winter_uniform"}`; not with `reason`.',
    )
    region: LINE | None = None
    facility: LINE | None = Field(None, description="Facility or unit, free text.")
    text: TEXT = Field(description="What happened (at most 10,000 characters).")
    occurred_on: DATE_TEXT | None = Field(None, description="When it happened, YYYY-MM-DD.")
    contact: ContactIn | None = Field(None, description="Optional: leave it out to stay anonymous.")


class SubmittedOut(BaseModel):
    receipt_code: str = Field(
        pattern=r"^[0-9]{16}$",
        description="Shown once and never stored: the only way to follow the complaint.",
    )
    status_url: str


class ReceiptIn(_In):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"receipt_code": "1234 5678 9012 3456"}]}
    )

    receipt_code: RECEIPT_CODE


class MessageIn(_In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"receipt_code": "1234 5678 9012 3456", "text": "Any news?"}]
        },
    )

    receipt_code: RECEIPT_CODE
    text: TEXT


class PublicMessageOut(BaseModel):
    sender: Literal["staff", "you"] = Field(alias="from", serialization_alias="from")
    at: dt.datetime
    text: str

    model_config = ConfigDict(populate_by_name=True)


class PublicStatusOut(BaseModel):
    status: PublicState
    updated_at: dt.datetime
    messages: list[PublicMessageOut]


class MessageOut(BaseModel):
    status_url: str


# --- staff: complaints ---------------------------------------------------------------------


class ComplaintSummaryOut(BaseModel):
    id: int
    category: Category
    reason: str
    region: str
    facility: str
    occurred_on: dt.date | None
    status: ComplaintStatus
    public_status: PublicState = Field(description="What the complainant sees.")
    created_at: dt.datetime
    due_on: dt.date
    case: str | None = Field(description="The reference of the linked case, if any.")


class ComplaintListOut(BaseModel):
    count: int
    limit: int
    offset: int
    items: list[ComplaintSummaryOut]


class StaffMessageOut(BaseModel):
    sender: Literal["staff", "you"] = Field(alias="from", serialization_alias="from")
    at: dt.datetime
    text: str

    model_config = ConfigDict(populate_by_name=True)


class AttachmentOut(BaseModel):
    sha256: str
    size: int
    media_type: str
    added_at: dt.datetime


class DuplicateOut(BaseModel):
    id: int
    score: float = Field(description="Text similarity, 0 to 1.")
    why: list[Literal["similar_text", "same_facility_period"]]


class ComplaintDetailOut(ComplaintSummaryOut):
    text: str
    updated_at: dt.datetime
    has_identity: bool = Field(
        description="Whether the complainant left a name or contact (shown elsewhere, audited)."
    )
    messages: list[StaffMessageOut]
    attachments: list[AttachmentOut]
    possible_duplicates: list[DuplicateOut] = Field(
        description="Complaints that may report the same matter, most similar first."
    )


# --- staff: cases --------------------------------------------------------------------------


class CaseSummaryOut(BaseModel):
    reference: str
    kind: Kind
    status: Status
    priority: Priority
    title: str
    region: str
    facility: str
    assignee: str | None
    due_on: dt.date
    deadline: Literal["overdue", "near", "ok", "closed"]
    closure_pending: bool = Field(description="A closure as unfounded awaits a supervisor.")
    created_at: dt.datetime
    updated_at: dt.datetime


class CaseListOut(BaseModel):
    count: int
    limit: int
    offset: int
    items: list[CaseSummaryOut]


class FindingOut(BaseModel):
    rule: str
    rulebook: str
    outcome: str
    deferment_until: dt.date | None
    basis: str
    explanation: str
    evaluated_on: dt.date | None = Field(
        None,
        description="The day the rules judged the record on; null when the import did not "
        "know it (findings imported before it was kept).",
    )
    explanations: dict[str, str] = Field(
        default_factory=dict,
        description="The explanation told in each language of the finding's rulebook (e.g. "
        '`{"en": "...", "ru": "..."}`), where the installed rulebook version can tell it.',
    )


class LinkedComplaintOut(BaseModel):
    id: int
    category: Category
    status: ComplaintStatus
    created_at: dt.datetime
    text_start: str = Field(
        description="The first 120 characters of the complaint's text (each read is audited)."
    )


class NoteOut(BaseModel):
    author: str | None
    at: dt.datetime
    text: str


class HistoryEntryOut(BaseModel):
    seq: int
    at: str
    actor: str
    action: str


class PersonOut(BaseModel):
    full_name: str
    birth_date: dt.date | None
    contact: str
    health_notes: str
    notes: str


class EvidenceOut(BaseModel):
    sha256: str
    size: int
    media_type: str
    description: str
    added_by: str | None
    added_at: dt.datetime


class CaseDetailOut(CaseSummaryOut):
    commissariat: str
    tags: list[str]
    registered_on: dt.date
    deadline_extended: bool
    remedy: Remedy | None
    remedy_text: str
    legal_hold: bool
    findings: list[FindingOut]
    notes: list[NoteOut]
    complaints: list[LinkedComplaintOut] | None = Field(
        description="The complaints linked to the case or split into it; null when the "
        "caller may not see complaints."
    )
    evidence: list[EvidenceOut] | None = Field(
        description="Null when the caller's role may not see this case's evidence."
    )
    history: list[HistoryEntryOut] | None = Field(
        description="The case's audit entries; null when the caller may not see them."
    )
    personal_data: bool = Field(
        description="Whether the caller may see the people of the case with their personal "
        "data, at `POST /api/v1/cases/{ref}/people` (every view audited)."
    )
    steps: list[Status] = Field(
        description="The statuses the caller may move the case to (`transitionCase`); an "
        "investigator's closure as unfounded waits for a supervisor."
    )
    decision: bool = Field(
        description="Whether a request on the case awaits the caller's decision."
    )


class CaseCreateIn(_In):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"kind": "conditions", "title": "Forty in a room for ten", "region": "Kursk"}
            ]
        },
    )

    kind: Kind
    title: LINE = ""
    region: Annotated[StrictStr, Field(max_length=200)] = ""
    facility: LINE = ""
    priority: Priority = Priority.NORMAL
    tags: list[Annotated[StrictStr, Field(min_length=1, max_length=100)]] = Field(
        default_factory=list, max_length=50
    )


class TransitionIn(_In):
    """Either a step to a status (`to`), or a supervisor's `decision` on a pending closure."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"to": "triage", "reason": "Read and checked."},
                {"to": "investigating", "reason": "Taking it.", "assignee": "ivan"},
                {"to": "resolved", "reason": "Kit issued.", "remedy": "kit_issued"},
                {"decision": "approve", "reason": "Nothing to act on."},
            ]
        },
    )

    to: Status | None = Field(None, description="The status to move the case to.")
    decision: Decision | None = Field(
        None, description="Approve or reject a pending closure as unfounded (supervisor)."
    )
    reason: TEXT = Field(description="Why: every change of status records it.")
    assignee: Annotated[StrictStr, Field(max_length=150)] | None = Field(
        None, description="User name; only on the way to investigating."
    )
    remedy: Remedy | None = Field(None, description="Only on the way to resolved.")
    remedy_text: Annotated[StrictStr, Field(max_length=20_000)] = Field(
        "", description="Needed with the remedy `other`."
    )


class TransitionOut(BaseModel):
    reference: str
    status: Status
    effect: Literal["applied", "closure_requested", "approval_requested"]
    assignee: str | None
    closure_pending: bool
    remedy: Remedy | None
    remedy_text: str


# --- audit ---------------------------------------------------------------------------------


class AuditVerdictOut(BaseModel):
    ok: bool
    entries: int
    head: str
    broken_seq: int | None
    problem: str
