"""A report laid out as HTML (a page, or the body for the staff page), PDF, XLSX or CSV."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import urlencode

from django.template import Context, Engine
from django.utils.translation import pgettext

from nadzor.reports._charts import chart_svg
from nadzor.reports._model import Cell, Report

__all__ = ["FORMATS", "LIST_URL", "render", "render_body", "to_csv", "to_html", "to_pdf", "to_xlsx"]

FORMATS = ("html", "pdf", "xlsx", "csv")
LIST_URL = "/staff/reports/list/"
_ENGINE = Engine(
    dirs=[str(Path(__file__).parent / "templates")],
    builtins=["django.templatetags.i18n"],
    autoescape=True,
)


def _href(cell: Cell, base: str, lang: str) -> str:
    return f"{base}?{urlencode({**(cell.link or {}), 'lang': lang})}" if cell.link else ""


def filter_text(cell: Cell) -> str:
    """The filter of a figure as text, as the CSV and XLSX show it beside the figure."""
    return urlencode(cell.link) if cell.link else ""


def _readable(params: dict[str, str]) -> str:
    return " ".join(f"{key}={value}" for key, value in params.items())


def _split(cell: Cell) -> tuple[str, str]:
    """(the table's part of a cell's filter, the cell's own part), readable, for the PDF."""
    link = dict(cell.link or {})
    own = {key: link.pop(key) for key in ("dim", "value") if key in link}
    return _readable(link), _readable(own)


def _context(report: Report, *, base: str, lang: str, charts: bool) -> dict[str, object]:
    sections = []
    for section in report.sections:
        tables = []
        for table in section.tables:
            rows = [
                {
                    "label": row.label,
                    "cells": [
                        {"shown": c.shown, "href": _href(c, base, lang), "filter": _split(c)[1]}
                        for c in row.cells
                    ],
                }
                for row in table.rows
            ]
            svg = chart_svg(table) if charts and table.chart and table.rows else ""
            first = table.rows[0].cells[0] if table.rows else Cell(None, "")
            tables.append({"table": table, "rows": rows, "svg": svg, "filter": _split(first)[0]})
        figures = [
            {
                "label": f.label,
                "shown": f.cell.shown,
                "href": _href(f.cell, base, lang),
                "filter": _readable(f.cell.link or {}),
            }
            for f in section.figures
        ]
        sections.append({"section": section, "figures": figures, "tables": tables})
    runs = [
        {
            "run": run,
            "href": _href(run.cases, base, lang),
            "filter": _readable(run.cases.link or {}),
        }
        for run in report.runs
    ]
    return {"report": report, "sections": sections, "runs": runs, "lang": lang}


def render_body(
    report: Report, *, base: str = LIST_URL, lang: str = "ru", charts: bool = True
) -> str:
    """The report's content, for a page that has its own frame."""
    template = _ENGINE.get_template("nadzor/reports/body.html")
    return template.render(Context(_context(report, base=base, lang=lang, charts=charts)))


def to_html(
    report: Report, *, base: str = LIST_URL, lang: str = "ru", print_filters: bool = False
) -> str:
    body = render_body(report, base=base, lang=lang)
    template = _ENGINE.get_template("nadzor/reports/document.html")
    context = {"report": report, "body": body, "lang": lang, "print_filters": print_filters}
    return template.render(Context(context))


def to_pdf(report: Report, *, lang: str = "ru") -> bytes:
    """A4, DejaVu fonts (Debian's fonts-dejavu), each figure's filter printed beside it."""
    import weasyprint

    document = to_html(report, lang=lang, print_filters=True)
    return weasyprint.HTML(string=document, base_url=".").write_pdf()  # type: ignore[no-any-return]


def _lines(report: Report) -> list[list[str]]:
    opts = report.options
    lines = [
        ["report", pgettext("report", "public") if opts.public else pgettext("report", "staff")],
        ["from", opts.start.isoformat()],
        ["to", opts.end.isoformat()],
        ["region", opts.region],
        ["k", str(opts.k) if opts.public else ""],
        ["audit_seq", str(report.audit_seq)],
        ["audit_head", report.audit_head],
        ["rulebooks", ";".join(report.rulebooks)],
        [],
        ["section", "table", "row", "column", "count", "filter"],
    ]
    for section in report.sections:
        for figure in section.figures:
            lines.append(
                [section.title, "", figure.label, "", figure.cell.shown, filter_text(figure.cell)]
            )
        for table in section.tables:
            for row in table.rows:
                for column, cell in zip(table.columns, row.cells, strict=True):
                    lines.append(
                        [
                            section.title,
                            table.title,
                            row.label,
                            column,
                            cell.shown,
                            filter_text(cell),
                        ]
                    )
    for run in report.runs:
        label = f"{run.finished_at} {run.source} {run.rulebooks}".strip()
        lines.append(
            [pgettext("report", "Imports"), "", label, "", run.cases.shown, filter_text(run.cases)]
        )
    return lines


def to_csv(report: Report) -> bytes:
    """UTF-8 CSV; the same store and options give the same bytes (no time of making)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows(_lines(report))
    return out.getvalue().encode("utf-8")


def to_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "report"
    for line in _lines(report):
        sheet.append([int(v) if v.isdigit() and len(v) < 16 else v for v in line])
    sheet.append([])
    sheet.append(["made_at", report.made_at.isoformat()])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render(report: Report, fmt: str, *, lang: str = "ru", base: str = LIST_URL) -> bytes:
    if fmt == "html":
        return to_html(report, base=base, lang=lang).encode("utf-8")
    if fmt == "pdf":
        return to_pdf(report, lang=lang)
    if fmt == "xlsx":
        return to_xlsx(report)
    if fmt == "csv":
        return to_csv(report)
    raise ValueError(f"unknown format {fmt!r}")
