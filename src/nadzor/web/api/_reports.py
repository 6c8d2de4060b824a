"""`GET /api/v1/reports`: the figures of a period as JSON (supervisors and analysts)."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from nadzor.cases.domain import Operation, require
from nadzor.reports.services import make_report, parse_options
from nadzor.web.api._auth import STAFF_AUTH, actor
from nadzor.web.api._schemas import ErrorOut

__all__ = ["router"]

router = Router(auth=STAFF_AUTH, tags=["reports"])


class ReportQuery(Schema):
    start: dt.date = Field(..., alias="from", description="First day of the period.")
    end: dt.date = Field(..., alias="to", description="Last day of the period, included.")
    region: str = Field("", max_length=200, description="Only this region (any letter case).")
    public: bool = Field(False, description="The public form: small counts suppressed, no links.")


class CellOut(Schema):
    value: int | None = Field(description="The count; null when suppressed or not a count.")
    shown: str = Field(description="As printed: `12`, `<5` (suppressed), `x` (complement).")
    link: dict[str, str] | None = Field(
        description="The filter of the list behind the figure: "
        "`/staff/reports/list/?` with these parameters lists exactly the items counted."
    )


class RowOut(Schema):
    value: str
    label: str
    cells: list[CellOut]


class TableOut(Schema):
    key: str
    title: str
    header: str
    columns: list[str]
    rows: list[RowOut]
    chart: bool


class FigureOut(Schema):
    key: str
    label: str
    cell: CellOut


class SectionOut(Schema):
    key: str
    title: str
    figures: list[FigureOut]
    tables: list[TableOut]


class RunOut(Schema):
    finished_at: str
    source: str
    file_name: str
    rulebooks: str
    judged_on: str
    findings_added: int
    records_with_findings: int
    cases: CellOut


class OptionsOut(Schema):
    start: dt.date = Field(serialization_alias="from")
    end: dt.date = Field(serialization_alias="to")
    region: str
    public: bool
    k: int


class ReportOut(Schema):
    options: OptionsOut
    made_at: dt.datetime
    audit_seq: int = Field(description="The audit log's last entry when the report was made.")
    audit_head: str = Field(description="Its hash (`nadzor audit head`).")
    rulebooks: list[str] = Field(description="`id@version` of the rulebooks of the findings.")
    sections: list[SectionOut]
    runs: list[RunOut]


@router.get(
    "",
    operation_id="getReport",
    response={200: ReportOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    by_alias=True,
    summary="Figures over a period",
    description="Counts of screening runs, cases, remedies and complaints for the period, "
    "each with the filter of the list behind it; with `public=true` the public form "
    "(counts from 1 to k-1 shown as `<k`, complements `x`, no links).",
)
def get_report(request: HttpRequest, query: Query[ReportQuery]) -> ReportOut:
    require(actor(request), Operation.REPORTS_VIEW)
    opts = parse_options(query.start, query.end, query.region, public=query.public)
    return ReportOut.model_validate(make_report(opts), from_attributes=True)
