"""nadzor's tables: users and tokens, cases and findings, people, evidence, complaints, the
audit log."""

from nadzor.store.models._audit import AuditEntry
from nadzor.store.models._cases import (
    PLACE_FIELDS,
    REGION_FIELD,
    Case,
    Finding,
    Note,
    ReferenceCounter,
)
from nadzor.store.models._complaints import (
    Complaint,
    ComplaintAttachment,
    ComplaintIdentity,
    ComplaintMessage,
    SubmissionNonce,
)
from nadzor.store.models._evidence import Evidence
from nadzor.store.models._intake import (
    IntakeHash,
    IntakeItem,
    IntakeLink,
    IntakeMetadata,
    IntakeSuggestion,
    Job,
    TextBand,
    TextPrint,
)
from nadzor.store.models._people import PERSONAL_FIELDS, Person
from nadzor.store.models._reports import PublishedReport, ScreeningRun
from nadzor.store.models._settings import Setting
from nadzor.store.models._users import ApiToken, User

__all__ = [
    "PERSONAL_FIELDS",
    "PLACE_FIELDS",
    "REGION_FIELD",
    "ApiToken",
    "AuditEntry",
    "Case",
    "Complaint",
    "ComplaintAttachment",
    "ComplaintIdentity",
    "ComplaintMessage",
    "Evidence",
    "Finding",
    "IntakeHash",
    "IntakeItem",
    "IntakeLink",
    "IntakeMetadata",
    "IntakeSuggestion",
    "Job",
    "Note",
    "Person",
    "PublishedReport",
    "ReferenceCounter",
    "ScreeningRun",
    "Setting",
    "SubmissionNonce",
    "TextBand",
    "TextPrint",
    "User",
]
