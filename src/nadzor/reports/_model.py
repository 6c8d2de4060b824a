"""A report as plain data: sections of headline figures and tables, each cell with its link.

Renderers (HTML, PDF, XLSX, CSV, JSON) only lay this out; nothing here is computed twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from nadzor.reports._options import ReportOptions

__all__ = ["Cell", "Figure", "Report", "Row", "Run", "Section", "Table"]


@dataclass(frozen=True)
class Cell:
    """One count: `value` None when suppressed; `shown` as printed; `link` the list's filter."""

    value: int | None
    shown: str
    link: dict[str, str] | None = None


@dataclass(frozen=True)
class Row:
    value: str  # the dimension value ("" for the total row)
    label: str
    cells: list[Cell]


@dataclass(frozen=True)
class Table:
    key: str  # measure.dimension, or measure.dim_a.dim_b for the public cross tables
    title: str
    header: str  # what the rows are
    columns: list[str]  # what the cells are
    rows: list[Row]
    chart: bool = False  # drawn as a chart beside the numbers


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    cell: Cell


@dataclass(frozen=True)
class Run:
    """One findings import in the period (its `cases` is a linked figure)."""

    finished_at: str
    source: str
    file_name: str
    rulebooks: str
    judged_on: str
    findings_added: int
    records_with_findings: int
    cases: Cell


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: list[Figure] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    options: ReportOptions
    made_at: dt.datetime
    audit_seq: int
    audit_head: str
    rulebooks: list[str]
    sections: list[Section]
    runs: list[Run] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """Everything but the time it was made, as JSON values (dates as ISO text)."""
        data = asdict(self)
        data["options"] = {
            "from": self.options.start.isoformat(),
            "to": self.options.end.isoformat(),
            "region": self.options.region,
            "public": self.options.public,
            "k": self.options.k,
        }
        data["made_at"] = self.made_at.isoformat()
        return data
