"""The case services: what the command line and the web app call. They need the store.

The pure domain is `nadzor.cases.domain`; everything here stores through Django and
appends each change to the audit log in the same transaction.
"""

from nadzor.cases._access import actor_of, case_for, case_state, scope_of, staff_user, visible_cases
from nadzor.cases._blobs import TooLarge
from nadzor.cases._errors import BadInput, NotFound
from nadzor.cases._evidence import add_evidence, delete_evidence, list_evidence, open_evidence
from nadzor.cases._export import EXPORT_COLUMNS, export_cases
from nadzor.cases._finding_texts import FindingTexts, finding_explanations, finding_texts
from nadzor.cases._import import ImportReport, import_findings
from nadzor.cases._people import PERSONAL_FIELDS, add_person, view_identity
from nadzor.cases._policy import change_setting, current_policy, current_settings
from nadzor.cases._queries import CaseFilters, CaseView, case_view, list_cases
from nadzor.cases._sniff import ACCEPTED_TYPES
from nadzor.cases._terms import outcome_meaning
from nadzor.cases._workflow import (
    NewCase,
    add_note,
    create_case,
    decide_closure,
    extend_deadline,
    set_legal_hold,
    transition,
    update_case,
)

__all__ = [
    "ACCEPTED_TYPES",
    "EXPORT_COLUMNS",
    "PERSONAL_FIELDS",
    "BadInput",
    "CaseFilters",
    "CaseView",
    "FindingTexts",
    "ImportReport",
    "NewCase",
    "NotFound",
    "TooLarge",
    "actor_of",
    "add_evidence",
    "add_note",
    "add_person",
    "case_for",
    "case_state",
    "case_view",
    "change_setting",
    "create_case",
    "current_policy",
    "current_settings",
    "decide_closure",
    "delete_evidence",
    "export_cases",
    "extend_deadline",
    "finding_explanations",
    "finding_texts",
    "import_findings",
    "list_cases",
    "list_evidence",
    "open_evidence",
    "outcome_meaning",
    "scope_of",
    "set_legal_hold",
    "staff_user",
    "transition",
    "update_case",
    "view_identity",
    "visible_cases",
]
