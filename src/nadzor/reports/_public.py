"""The public report: cross tables of counts with margins, small counts suppressed.

No personal data and no free text: rows and columns are kinds, remedies, complaint
categories and weeks, and regions named by at least `k` items of a table (the others are
grouped as "other regions"). Facilities and rules are not published.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import pgettext

from nadzor.reports._build import Progress, provenance
from nadzor.reports._labels import DIMENSION, FIGURE, value_label
from nadzor.reports._measures import count_2d, measure
from nadzor.reports._model import Cell, Report, Row, Section, Table
from nadzor.reports._options import ReportOptions
from nadzor.reports.suppression import Mark, add_margins, suppress

__all__ = ["OTHER", "public_report"]

OTHER = "*other*"
_TABLES = {
    "cases": [("opened", "region", "kind"), ("resolved", "region", "remedy")],
    "complaints": [("received", "region", "category")],
    "trends": [("opened", "week", "kind"), ("received", "week", "category")],
}


def _shown(value: int, mark: Mark, k: int) -> Cell:
    if mark is Mark.PRIMARY:
        return Cell(None, f"<{k}")
    if mark is Mark.SECONDARY:
        return Cell(None, "x")
    return Cell(value, str(value))


def _table(opts: ReportOptions, key: str, row_dim: str, col_dim: str) -> Table:
    counts = count_2d(opts, measure(key), row_dim, col_dim)
    if row_dim == "region":
        per_region: dict[str, int] = {}
        for (region, _), n in counts.items():
            per_region[region] = per_region.get(region, 0) + n
        grouped: dict[tuple[str, str], int] = {}
        for (region, col), n in counts.items():
            name = region if region and per_region[region] >= opts.k else OTHER
            grouped[(name, col)] = grouped.get((name, col), 0) + n
        counts = grouped
    rows = sorted({r for r, _ in counts}, key=lambda r: (r == OTHER, r))
    cols = sorted({c for _, c in counts})
    if not rows:
        rows, cols = [], []
    grid = add_margins([[counts.get((r, c), 0) for c in cols] for r in rows]) if rows else [[0]]
    marks = suppress(grid, opts.k)
    labels = [value_label(row_dim, r) for r in rows] + [pgettext("report", "Total")]
    out_rows = [
        Row(
            value,
            label,
            [_shown(grid[i][j], marks[i][j], opts.k) for j in range(len(grid[i]))],
        )
        for i, (value, label) in enumerate(zip([*rows, ""], labels, strict=True))
    ]
    columns = [value_label(col_dim, c) for c in cols] + [pgettext("report", "Total")]
    title = f"{FIGURE[key]}: {str(DIMENSION[row_dim]).lower()} × {str(DIMENSION[col_dim]).lower()}"
    return Table(f"{key}.{row_dim}.{col_dim}", title, str(DIMENSION[row_dim]), columns, out_rows)


def public_report(opts: ReportOptions, progress: Progress | None = None) -> Report:
    step = progress or (lambda _name: None)
    step("provenance")
    seq, head, rulebooks = provenance(opts)
    titles = {
        "cases": pgettext("report", "Cases"),
        "complaints": pgettext("report", "Complaints"),
        "trends": pgettext("report", "Trends by week"),
    }
    sections = []
    for key, specs in _TABLES.items():
        step(key)
        sections.append(Section(key, titles[key], [], [_table(opts, *spec) for spec in specs]))
    return Report(opts, timezone.now(), seq, head, rulebooks, sections)
