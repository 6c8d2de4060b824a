"""`POST /api/v1/check`: one record checked against a built-in rulebook, nothing kept.

The same evaluation as `nadzor screen` (`nadzor.screening.check_records`): the findings and
the rejects have the columns of the files `screen` writes. No account and no cookie; each
call counts against the self-check's in-memory limit per address.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router
from pydantic import BaseModel, ConfigDict, Field

from nadzor.screening import check_one
from nadzor.web.api._app import ApiError
from nadzor.web.api._schemas import ErrorOut
from nadzor.web.check.answer import builtin
from nadzor.web.check.limits import check_requests
from nadzor.web.ratelimit import client_address

__all__ = ["router"]

router = Router(tags=["self-check"])

_MAX_FIELDS = 200


class CheckIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rulebook: str = Field(
        max_length=100, examples=["ru-2022"], description="A built-in rulebook id."
    )
    record: dict[str, Any] = Field(
        description="One record: field -> value as in a register row (text, or JSON "
        "true/false, numbers, lists of dates or text). The key field may be left out.",
        examples=[
            {
                "callup_date": "2022-10-01",
                "birth_date": "1990-01-01",
                "sex": "M",
                "ru_citizen": True,
                "in_reserve": True,
                "rank_group": "soldier",
                "health_category": "D",
            }
        ],
    )
    lang: Literal["en", "ru", "uk"] = Field(
        "en", description="Language of the explanations, where the rulebook has it."
    )


class FindingOut(BaseModel):
    record_id: str
    rule_id: str
    outcome: str
    deferment_until: dt.date | None
    basis: str
    explanation: str
    rulebook: str


class RejectOut(BaseModel):
    row: int
    record_id: str
    column: str
    value: str
    error: str


class CheckOut(BaseModel):
    verdict: str | None = Field(
        description="The record's verdict (e.g. unlawful, review, clear); null when a value "
        "could not be read (see rejects)."
    )
    findings: list[FindingOut]
    rejects: list[RejectOut]


@router.post(
    "",
    operation_id="checkRecord",
    auth=None,
    response={200: CheckOut, 400: ErrorOut, 413: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    summary="Check one record against a rulebook",
    description="The findings `nadzor screen` gives the same record, and the values that "
    "cannot be read as rejects naming the field. Nothing is stored or logged. An unknown "
    "rulebook gives 422; too many checks from one address give 429 for a while.",
)
def check_record(request: HttpRequest, payload: CheckIn) -> CheckOut:
    rulebook = builtin(payload.rulebook)
    if rulebook is None:
        raise ApiError(
            422, "not_a_choice", f"no built-in rulebook {payload.rulebook!r}", "rulebook"
        )
    if len(payload.record) > _MAX_FIELDS:
        raise ApiError(422, "too_long", f"a record has at most {_MAX_FIELDS} fields", "record")
    wait = check_requests.begin(client_address(request))
    if wait:
        raise ApiError(
            429,
            "rate_limited",
            f"too many checks: try again in {max(1, (wait + 59) // 60)} minute(s)",
            headers={"Retry-After": str(wait)},
        )
    key = rulebook.record_type.key
    record = {key: "record", **payload.record}
    result = check_one(rulebook, record, lang=payload.lang)
    verdict = next(iter(result.verdicts.values()), None) if not result.rejects else None
    return CheckOut(
        verdict=verdict,
        findings=[FindingOut(**row) for row in result.findings],
        rejects=[RejectOut(**row) for row in result.rejects],
    )
