"""The case services: what the command line and the web app call. They need the store.

The pure domain is `nadzor.cases.domain`; everything here stores through Django and
appends each change to the audit log in the same transaction.
"""

from nadzor.cases._access import actor_of, case_for, visible_cases
from nadzor.cases._errors import BadInput, NotFound
from nadzor.cases._export import EXPORT_COLUMNS, export_cases
from nadzor.cases._import import ImportReport, import_findings
from nadzor.cases._queries import CaseFilters, CaseView, case_view, list_cases
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
    "EXPORT_COLUMNS",
    "BadInput",
    "CaseFilters",
    "CaseView",
    "ImportReport",
    "NewCase",
    "NotFound",
    "actor_of",
    "add_note",
    "case_for",
    "case_view",
    "create_case",
    "decide_closure",
    "export_cases",
    "extend_deadline",
    "import_findings",
    "list_cases",
    "set_legal_hold",
    "transition",
    "update_case",
    "visible_cases",
]
