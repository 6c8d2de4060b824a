"""The audit log's chain, verified on request (supervisors and administrators)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from nadzor.audit.journal import verify
from nadzor.cases.domain import Operation, require
from nadzor.web.api._auth import STAFF_AUTH, actor
from nadzor.web.api._schemas import AuditVerdictOut, ErrorOut

__all__ = ["router"]

router = Router(auth=STAFF_AUTH, tags=["audit"])


@router.get(
    "/verify",
    operation_id="verifyAudit",
    response={200: AuditVerdictOut, 401: ErrorOut, 403: ErrorOut},
    summary="Verify the audit log",
    description="Recomputes the hash chain: `ok` true with the number of entries and the "
    "head hash when intact; else the first broken `seq` and what is wrong with it.",
)
def verify_chain(request: HttpRequest) -> AuditVerdictOut:
    require(actor(request), Operation.AUDIT_VERIFY)
    verdict = verify()
    return AuditVerdictOut(
        ok=verdict.ok,
        entries=verdict.entries,
        head=verdict.head,
        broken_seq=verdict.broken_seq,
        problem=verdict.problem,
    )
