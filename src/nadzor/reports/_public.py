"""The public report: cross tables of counts with margins, small counts suppressed.

No personal data and no free text: rows and columns are kinds, remedies, complaint
categories and weeks, and regions named by at least `k` items of a table (the others are
grouped as "other regions"). Facilities and rules are not published.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import pgettext

from nadzor.reports._build import Progress, provenance, sum_header
from nadzor.reports._labels import DIMENSION, FIGURE, value_label
from nadzor.reports._measures import count_2d, measure, sum_2d
from nadzor.reports._model import Cell, Report, Row, Section, Table
from nadzor.reports._options import ReportOptions
from nadzor.reports._tally import one_snapshot
from nadzor.reports.suppression import Mark, add_margins, suppress

__all__ = ["OTHER", "public_report"]

OTHER = "*other*"
_TABLES = {
    "cases": [("opened", "region", "kind"), ("resolved", "region", "remedy")],
    "owed": [("owed", "region", "kind")],
    "complaints": [("received", "region", "category")],
    "trends": [("opened", "week", "kind"), ("received", "week", "category")],
}


def _shown(value: int, mark: Mark, k: int) -> Cell:
    if mark is Mark.PRIMARY:
        return Cell(None, f"<{k}")
    if mark is Mark.SECONDARY:
        return Cell(None, "x")
    return Cell(value, str(value))


Cells = dict[tuple[str, str], int]


def _group_regions(counts: Cells, k: int, like: Cells | None = None) -> Cells:
    """Regions with fewer than `k` items (counted in `like`, default `counts`) as one row."""
    per_region: dict[str, int] = {}
    for (region, _), n in (like if like is not None else counts).items():
        per_region[region] = per_region.get(region, 0) + n
    grouped: Cells = {}
    for (region, col), n in counts.items():
        name = region if region and per_region.get(region, 0) >= k else OTHER
        grouped[(name, col)] = grouped.get((name, col), 0) + n
    return grouped


def _tables(opts: ReportOptions, key: str, row_dim: str, col_dim: str) -> list[Table]:
    """The cross table of counts; for cases with sums owed, also the table of their sums,
    with every cell hidden whose count is hidden (so no hidden sum follows from totals)."""
    m = measure(key)
    counts = count_2d(opts, m, row_dim, col_dim)
    sums = sum_2d(opts, m, row_dim, col_dim) if key == "owed" else None
    if row_dim == "region":
        if sums is not None:
            sums = _group_regions(sums, opts.k, like=counts)
        counts = _group_regions(counts, opts.k)
    rows = sorted({r for r, _ in counts}, key=lambda r: (r == OTHER, r))
    cols = sorted({c for _, c in counts})
    grid = add_margins([[counts.get((r, c), 0) for c in cols] for r in rows]) if rows else [[0]]
    marks = suppress(grid, opts.k)
    labels = [value_label(row_dim, r) for r in rows] + [pgettext("report", "Total")]
    columns = [value_label(col_dim, c) for c in cols] + [pgettext("report", "Total")]
    dims = f"{str(DIMENSION[row_dim]).lower()} × {str(DIMENSION[col_dim]).lower()}"

    def laid_out(values: list[list[int]], shown: Callable[[int, Mark], Cell]) -> list[Row]:
        return [
            Row(value, label, [shown(values[i][j], marks[i][j]) for j in range(len(values[i]))])
            for i, (value, label) in enumerate(zip([*rows, ""], labels, strict=True))
        ]

    header = str(DIMENSION[row_dim])
    out = [
        Table(
            f"{key}.{row_dim}.{col_dim}",
            f"{FIGURE[key]}: {dims}",
            header,
            columns,
            laid_out(grid, lambda n, mark: _shown(n, mark, opts.k)),
        )
    ]
    if sums is not None:
        money = add_margins([[sums.get((r, c), 0) for c in cols] for r in rows]) if rows else [[0]]
        out.append(
            Table(
                f"{key}_sum.{row_dim}.{col_dim}",
                f"{sum_header(provenance(opts)[2])}: {dims}",
                header,
                columns,
                laid_out(money, _hidden_sum),
            )
        )
    return out


def _hidden_sum(value: int, mark: Mark) -> Cell:
    return Cell(value, str(value)) if mark is Mark.SHOWN else Cell(None, "x")


def public_report(opts: ReportOptions, progress: Progress | None = None) -> Report:
    with one_snapshot():
        return _public(opts, progress)


def _public(opts: ReportOptions, progress: Progress | None) -> Report:
    step = progress or (lambda _name: None)
    step("provenance")
    seq, head, rulebooks = provenance(opts)
    titles = {
        "cases": pgettext("report", "Cases"),
        "owed": pgettext("report", "Sums owed"),
        "complaints": pgettext("report", "Complaints"),
        "trends": pgettext("report", "Trends by week"),
    }
    sections = []
    for key, specs in _TABLES.items():
        step(key)
        tables = [table for spec in specs for table in _tables(opts, *spec)]
        sections.append(Section(key, titles[key], [], tables))
    return Report(opts, timezone.now(), seq, head, rulebooks, sections)
