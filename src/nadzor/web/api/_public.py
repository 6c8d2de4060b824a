"""The public complaint desk over JSON: submit, see the status, write again.

No account, no cookie, no CSRF token: these requests carry no credentials. Nothing about
the caller is recorded. Wrong receipt codes count against the same in-memory limit as the
status page (`nadzor.web.ratelimit`), keyed by a keyed hash of the address that is never
stored; a wrong code and an unknown one get the same 404 in the same time.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router
from ninja.responses import Status as Reply

from nadzor.complaints.services import (
    LANGUAGES,
    NotFound,
    add_public_message,
    status_of,
    submit,
)
from nadzor.web.api._app import ApiError
from nadzor.web.api._schemas import (
    ComplaintSubmitIn,
    ErrorOut,
    MessageIn,
    MessageOut,
    PublicMessageOut,
    PublicStatusOut,
    ReceiptIn,
    SubmittedOut,
)
from nadzor.web.ratelimit import client_address, not_judged_on_outage, status_lookups

__all__ = ["STATUS_URL", "router"]

# The complaint desk's status page, where the code is typed in.
STATUS_URL = "/complaints/status"
_NO_COMPLAINT = "no complaint has this receipt code"

router = Router(tags=["public desk"])

_BODY_ERRORS = {400: ErrorOut, 413: ErrorOut, 422: ErrorOut}


@router.post(
    "",
    operation_id="submitComplaint",
    auth=None,
    response={201: SubmittedOut, **_BODY_ERRORS},
    summary="Submit a complaint",
    description="Only `category` (or a list, `categories`) and `text` are required; "
    "`contact` is optional (leave it out to stay anonymous). The receipt code is returned "
    "once and never stored: keep it. Invalid input gives 422 naming the field; a body that "
    "is not JSON gives 400, one too large 413.",
)
def submit_complaint(request: HttpRequest, payload: ComplaintSubmitIn) -> Reply[SubmittedOut]:
    raw = _one_list(payload.model_dump(exclude_none=True, mode="json"))
    language = getattr(request, "LANGUAGE_CODE", "ru")
    receipt = submit(raw, language=language if language in LANGUAGES else "ru")
    return Reply(201, SubmittedOut(receipt_code=receipt.code, status_url=STATUS_URL))


@router.post(
    "/status",
    operation_id="complaintStatus",
    auth=None,
    by_alias=True,
    response={200: PublicStatusOut, 404: ErrorOut, 429: ErrorOut, **_BODY_ERRORS},
    summary="The status of a complaint",
    description="The current status and the messages, from staff and from you. A wrong "
    "and an unknown code get the same 404; repeated wrong codes get 429 for a while.",
)
def complaint_status(request: HttpRequest, payload: ReceiptIn) -> PublicStatusOut:
    address = _limited(request)
    with not_judged_on_outage(address):
        found = status_of(payload.receipt_code)
    if found is None:
        raise ApiError(404, "not_found", _NO_COMPLAINT, "receipt_code")
    status_lookups.succeeded(address)
    return PublicStatusOut(
        status=found.status,
        updated_at=found.updated_at,
        messages=[PublicMessageOut(sender=m.sender, at=m.at, text=m.text) for m in found.messages],
    )


@router.post(
    "/messages",
    operation_id="complaintMessage",
    auth=None,
    response={201: MessageOut, 404: ErrorOut, 429: ErrorOut, **_BODY_ERRORS},
    summary="Write again about a complaint",
    description="A message to the staff working on the complaint. Codes are checked as "
    "for the status.",
)
def complaint_message(request: HttpRequest, payload: MessageIn) -> Reply[MessageOut]:
    address = _limited(request)
    try:
        with not_judged_on_outage(address):
            add_public_message(payload.receipt_code, payload.text)
    except NotFound:
        raise ApiError(404, "not_found", _NO_COMPLAINT, "receipt_code") from None
    except Exception:
        status_lookups.succeeded(address)  # the code was right; the message was not
        raise
    status_lookups.succeeded(address)
    return Reply(201, MessageOut(status_url=STATUS_URL))


def _one_list(raw: dict[str, Any]) -> dict[str, Any]:
    """`category` and `categories` as the one list the desk takes (`category` first), and
    `reasons` as its mapping of category to reason."""
    chosen = [raw.pop("category")] if "category" in raw else []
    chosen += raw.pop("categories", [])
    if not chosen:
        raise ApiError(422, "required", "category: this field is required", "category")
    if "reasons" in raw:
        if "reason" in raw:
            raise ApiError(
                422, "not_allowed", "reasons: give `reason` or `reasons`, not both", "reasons"
            )
        raw["reason"] = raw.pop("reasons")
    raw["category"] = list(dict.fromkeys(chosen))
    return raw


def _limited(request: HttpRequest) -> str:
    """The caller's address, the attempt counted by the limiter (which keeps the address
    only as a keyed hash), or 429."""
    address = client_address(request)
    wait = status_lookups.begin(address)
    if wait:
        raise _rate_limited(wait)
    return address


def _rate_limited(wait: int) -> ApiError:
    minutes = max(1, (wait + 59) // 60)
    return ApiError(
        429,
        "rate_limited",
        f"too many wrong codes: try again in {minutes} minute(s)",
        "receipt_code",
        headers={"Retry-After": str(wait)},
    )
