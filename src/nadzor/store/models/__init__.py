"""nadzor's tables: users and tokens, cases and findings, people, evidence, complaints, the
audit log."""

from nadzor.store.models._audit import AuditEntry
from nadzor.store.models._cases import PLACE_FIELDS, Case, Finding, Note, ReferenceCounter
from nadzor.store.models._complaints import (
    Complaint,
    ComplaintAttachment,
    ComplaintIdentity,
    ComplaintMessage,
)
from nadzor.store.models._evidence import Evidence
from nadzor.store.models._people import PERSONAL_FIELDS, Person
from nadzor.store.models._settings import Setting
from nadzor.store.models._users import ApiToken, User

__all__ = [
    "PERSONAL_FIELDS",
    "PLACE_FIELDS",
    "ApiToken",
    "AuditEntry",
    "Case",
    "Complaint",
    "ComplaintAttachment",
    "ComplaintIdentity",
    "ComplaintMessage",
    "Evidence",
    "Finding",
    "Note",
    "Person",
    "ReferenceCounter",
    "Setting",
    "User",
]
