"""The complaint services: what the web app and the API call. They need the store.

The pure domain is `nadzor.complaints.domain`. Public functions take a receipt code and
never an actor (the audit log names them `public`); staff functions take an `Actor` and
check its role first. Every change and its audit entry commit in one transaction.
"""

from nadzor.cases._errors import BadInput, NotFound
from nadzor.complaints._common import identity_access, scope_of_complaint
from nadzor.complaints._files import Upload, attachment_limits
from nadzor.complaints._identity import (
    TEXT_FIELDS,
    decide_identity_request,
    identity_requests,
    record_text_reads,
    request_complaint_identity,
    view_complaint_identity,
)
from nadzor.complaints._public import (
    LANGUAGES,
    PUBLIC_ACTOR,
    AlreadyReceivedError,
    PublicMessage,
    PublicStatus,
    Submitted,
    add_public_message,
    status_of,
    submit,
)
from nadzor.complaints._receipts import find
from nadzor.complaints._staff import (
    ComplaintDetail,
    close_complaint,
    complaint_detail,
    extend_complaint_deadline,
    list_complaints,
    mark_read,
    reply,
    staff_complaint,
)
from nadzor.complaints._triage import (
    DUPLICATE_WINDOW_DAYS,
    Duplicate,
    link_to_case,
    move_to_case,
    open_case,
    possible_duplicates,
    split_complaint,
    topics_of,
)
from nadzor.complaints.domain import FieldError, InputErrors

__all__ = [
    "DUPLICATE_WINDOW_DAYS",
    "LANGUAGES",
    "PUBLIC_ACTOR",
    "TEXT_FIELDS",
    "AlreadyReceivedError",
    "BadInput",
    "ComplaintDetail",
    "Duplicate",
    "FieldError",
    "InputErrors",
    "NotFound",
    "PublicMessage",
    "PublicStatus",
    "Submitted",
    "Upload",
    "add_public_message",
    "attachment_limits",
    "close_complaint",
    "complaint_detail",
    "decide_identity_request",
    "extend_complaint_deadline",
    "find",
    "identity_access",
    "identity_requests",
    "link_to_case",
    "list_complaints",
    "mark_read",
    "move_to_case",
    "open_case",
    "possible_duplicates",
    "record_text_reads",
    "reply",
    "request_complaint_identity",
    "scope_of_complaint",
    "split_complaint",
    "staff_complaint",
    "status_of",
    "submit",
    "topics_of",
    "view_complaint_identity",
]
