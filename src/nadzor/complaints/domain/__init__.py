"""The complaint domain: what a complaint may contain, receipt codes, limits on files, the
public status and possible duplicates.

This package is pure: plain Python with no database, no web framework and no I/O. Input
errors carry every problem at once, each with its field, a stable code and a plain sentence.
"""

from nadzor.complaints.domain._attachments import (
    ATTACHMENTS_FIELD,
    AttachmentLimits,
    clean_file_name,
    count_error,
    describe_size,
    size_error,
    type_error,
)
from nadzor.complaints.domain._codes import (
    CODE_DIGITS,
    format_code,
    new_receipt_code,
    normalize_code,
)
from nadzor.complaints.domain._duplicates import (
    PERIOD_DAYS,
    SIMILAR_TEXT,
    DuplicateFacts,
    DuplicateMatch,
    compare,
    facility_key,
    is_possible_duplicate,
    jaccard,
    same_facility_period,
    shingles,
    similarity,
    words,
)
from nadzor.complaints.domain._errors import ErrorCode, FieldError, InputErrors
from nadzor.complaints.domain._identity_access import (
    IdentityAccess,
    after_link,
    decide_identity,
    request_identity,
)
from nadzor.complaints.domain._model import (
    CONTACT_FIELDS,
    REASONS,
    CallupReason,
    Category,
    ComplaintInput,
    ComplaintStatus,
    Contact,
    ProvisionItem,
    Topic,
)
from nadzor.complaints.domain._status import PublicState, public_status
from nadzor.complaints.domain._validate import (
    CONTACT_MAX,
    EARLIEST_DATE,
    FIELD_MAX,
    TEXT_MAX,
    clean_line,
    clean_text,
    echo,
    validate,
    validate_message,
)

__all__ = [
    "ATTACHMENTS_FIELD",
    "CODE_DIGITS",
    "CONTACT_FIELDS",
    "CONTACT_MAX",
    "EARLIEST_DATE",
    "FIELD_MAX",
    "PERIOD_DAYS",
    "REASONS",
    "SIMILAR_TEXT",
    "TEXT_MAX",
    "AttachmentLimits",
    "CallupReason",
    "Category",
    "ComplaintInput",
    "ComplaintStatus",
    "Contact",
    "DuplicateFacts",
    "DuplicateMatch",
    "ErrorCode",
    "FieldError",
    "IdentityAccess",
    "InputErrors",
    "ProvisionItem",
    "PublicState",
    "Topic",
    "after_link",
    "clean_file_name",
    "clean_line",
    "clean_text",
    "compare",
    "count_error",
    "decide_identity",
    "describe_size",
    "echo",
    "facility_key",
    "format_code",
    "is_possible_duplicate",
    "jaccard",
    "new_receipt_code",
    "normalize_code",
    "public_status",
    "request_identity",
    "same_facility_period",
    "shingles",
    "similarity",
    "size_error",
    "type_error",
    "validate",
    "validate_message",
    "words",
]
