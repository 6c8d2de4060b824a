"""The report services: aggregate figures of cases and complaints, each traceable to its cases."""

from nadzor.reports._build import Progress, build_report, median_days, provenance
from nadzor.reports._figures import Figures, RegionRow, figures
from nadzor.reports._labels import figure_title
from nadzor.reports._measures import (
    CASE_MEASURES,
    COMPLAINT_MEASURES,
    items,
    measure,
    measured_findings,
    sum_of,
)
from nadzor.reports._model import Cell, Figure, Report, Row, Run, Section, Table
from nadzor.reports._options import DEFAULT_K, ReportOptions, parse_options
from nadzor.reports._public import public_report
from nadzor.reports._publish import publish_report, published_reports
from nadzor.reports._render import FORMATS, LIST_URL, render, render_body, to_csv
from nadzor.reports.runs import record_screening_run

__all__ = [
    "CASE_MEASURES",
    "COMPLAINT_MEASURES",
    "DEFAULT_K",
    "FORMATS",
    "LIST_URL",
    "Cell",
    "Figure",
    "Figures",
    "Progress",
    "RegionRow",
    "Report",
    "ReportOptions",
    "Row",
    "Run",
    "Section",
    "Table",
    "build_report",
    "figure_title",
    "figures",
    "items",
    "make_report",
    "measure",
    "measured_findings",
    "median_days",
    "parse_options",
    "provenance",
    "public_report",
    "publish_report",
    "published_reports",
    "record_screening_run",
    "render",
    "render_body",
    "sum_of",
    "to_csv",
]


def make_report(opts: ReportOptions, progress: Progress | None = None) -> Report:
    """The public report when `opts.public`, else the staff report."""
    return public_report(opts, progress) if opts.public else build_report(opts, progress)
