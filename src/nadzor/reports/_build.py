"""The staff report: every figure counted in the database, each with the filter of its list."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import DurationField, ExpressionWrapper, F
from django.utils import timezone
from django.utils.translation import get_language, pgettext

from nadzor.cases._terms import measure_unit
from nadzor.reports._labels import DIMENSION, FIGURE, value_label
from nadzor.reports._measures import count_by, items, measure
from nadzor.reports._model import Cell, Figure, Report, Row, Run, Section, Table
from nadzor.reports._options import ReportOptions
from nadzor.reports._tally import Tally, one_snapshot
from nadzor.reports.runs import runs_between
from nadzor.store.models import AuditEntry, Finding

__all__ = ["Progress", "build_report", "provenance"]

Progress = Callable[[str], None]
"""Told the name of each step as it starts."""

# (measure, dimension, chart?, top N or 0 for all)
_TABLES = {
    "cases": [
        ("with_findings", "outcome", False, 0),
        ("with_findings", "rule", True, 0),
        ("with_findings", "region", False, 0),
        ("opened", "kind", False, 0),
        ("opened", "region", False, 0),
        ("resolved", "remedy", True, 0),
        ("resolved", "region", False, 0),
        ("open_end", "region", False, 0),
        ("overdue_end", "region", False, 0),
    ],
    "provision": [
        ("owed", "rule", False, 0),
        ("owed", "facility", False, 0),
        ("owed", "region", False, 0),
        ("provision", "rule", True, 0),
        ("provision", "facility", False, 0),
        ("provision_resolved", "remedy", False, 0),
    ],
    "conditions": [("conditions", "rule", True, 0), ("conditions", "facility", False, 10)],
    "complaints": [
        ("received", "category", True, 0),
        ("received", "region", False, 0),
        ("answered_30", "category", False, 0),
        ("answered_60", "category", False, 0),
        ("unanswered_overdue", "region", False, 0),
    ],
    "trends": [
        ("opened", "week", True, 0),
        ("resolved", "week", True, 0),
        ("received", "week", True, 0),
    ],
}
_HEADLINES = {
    "cases": ["with_findings", "opened", "resolved", "sent_home", "open_end", "overdue_end"],
    "provision": ["provision", "provision_resolved", "owed", "owed_sum"],
    "conditions": ["conditions"],
    "complaints": ["received", "answered_30", "answered_60", "unanswered_overdue"],
    "trends": [],
}


def _section_title(key: str) -> str:
    return {
        "cases": pgettext("report", "Call-ups and cases"),
        "provision": pgettext("report", "Provision"),
        "conditions": pgettext("report", "Conditions"),
        "complaints": pgettext("report", "Complaints"),
        "trends": pgettext("report", "Trends by week"),
    }[key]


def provenance(opts: ReportOptions) -> tuple[int, str, list[str]]:
    """The audit log's last entry (seq, hash) and the rulebooks of the period's findings."""
    last = AuditEntry.objects.order_by("-seq").values_list("seq", "hash").first()
    seq, head = last if last else (0, "0" * 64)
    rulebooks = (
        Finding.objects.filter(imported_at__gte=opts.start_at, imported_at__lt=opts.end_at)
        .exclude(rulebook="")
        .values_list("rulebook", flat=True)
        .distinct()
        .order_by("rulebook")
    )
    return seq, head, list(rulebooks)


def _cell(opts: ReportOptions, key: str, value: int, dim: str = "", dim_value: str = "") -> Cell:
    link = {"m": key, **opts.query()}
    if dim:
        link |= {"dim": dim, "value": dim_value}
    return Cell(value, str(value), link)


def sum_header(rulebooks: list[str]) -> str:
    """The title of a column of sums owed, with their unit when the rulebooks agree on one."""
    lang = get_language() or "ru"
    units = {unit for ref in rulebooks if (unit := measure_unit(ref, lang))}
    title = str(FIGURE["owed_sum"])
    return f"{title}, {units.pop()}" if len(units) == 1 else title


def _sum_cell(opts: ReportOptions, value: int, dim: str = "", dim_value: str = "") -> Cell:
    """A sum beside a count: its link lists the same cases, with the sum shown there."""
    cell = _cell(opts, "owed", value, dim, dim_value)
    return Cell(cell.value, cell.shown, {**(cell.link or {}), "sum": "1"})


def _headline(opts: ReportOptions, tally: Tally, key: str, sums: str = "") -> Figure:
    if key == "owed_sum":
        total = tally.sum_by("").get("", 0)
        return Figure(key, sums or str(FIGURE[key]), _sum_cell(opts, total))
    if key == "sent_home":
        value = dict(tally.by("resolved", "remedy")).get("sent_home", 0)
        return Figure(key, str(FIGURE[key]), _cell(opts, "resolved", value, "remedy", "sent_home"))
    return Figure(key, str(FIGURE[key]), _cell(opts, key, tally.total(key)))


def _sort(dim: str, counts: list[tuple[str, int]]) -> list[tuple[str, int]]:
    if dim == "week" or dim == "run":
        return sorted(counts, key=lambda vc: vc[0] if dim == "week" else int(vc[0]))
    return sorted(counts, key=lambda vc: (-vc[1], vc[0]))


def _table(
    opts: ReportOptions,
    tally: Tally,
    key: str,
    dim: str,
    chart: bool,
    top: int,
    sums: str = "",
) -> Table:
    """One breakdown; `sums` the title of a column of sums owed beside the counts, if any."""
    counts = _sort(dim, [(v, n) for v, n in tally.by(key, dim) if n])
    if top:
        counts = counts[:top]
    owed = tally.sum_by(dim) if sums else {}
    rows = [
        Row(
            value,
            value_label(dim, value),
            [_cell(opts, key, n, dim, value)]
            + ([_sum_cell(opts, owed.get(value, 0), dim, value)] if sums else []),
        )
        for value, n in counts
    ]
    title = f"{FIGURE[key]}: {str(DIMENSION[dim]).lower()}"
    if top:
        title = pgettext("report", "%(figure)s: the %(n)d facilities with the most") % {
            "figure": FIGURE[key],
            "n": top,
        }
    columns = [pgettext("report", "Count")] + ([sums] if sums else [])
    return Table(f"{key}.{dim}", title, str(DIMENSION[dim]), columns, rows, chart)


def median_days(opts: ReportOptions, resolved_count: int | None = None) -> float | None:
    """The median time from a case's creation to its remedy, over cases resolved in the period
    (`resolved_count`: their number, when the caller has counted them already)."""
    resolved = items(opts, measure("resolved"))
    n = resolved.count() if resolved_count is None else resolved_count
    if not n:
        return None
    spans = (
        resolved.annotate(
            span=ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField())
        )
        .order_by("span", "pk")
        .values_list("span", flat=True)
    )
    middle = list(spans[(n - 1) // 2 : n // 2 + 1])
    seconds = sum(span.total_seconds() for span in middle) / len(middle)
    return round(seconds / 86400, 1)


def _runs(opts: ReportOptions) -> list[Run]:
    cases = dict(count_by(opts, measure("run"), "run"))
    return [
        Run(
            run.finished_at.strftime("%Y-%m-%d %H:%M UTC"),
            run.source,
            run.file_name,
            run.rulebooks,
            run.judged_on.isoformat() if run.judged_on else "",
            run.findings_added,
            run.records_with_findings,
            _cell(opts, "run", cases.get(str(run.pk), 0), "run", str(run.pk)),
        )
        for run in runs_between(opts.start_at, opts.end_at)
    ]


def build_report(opts: ReportOptions, progress: Progress | None = None) -> Report:
    """The staff report for `opts` (use `public_report` for the public one)."""
    with one_snapshot():
        return _build(opts, progress)


def _build(opts: ReportOptions, progress: Progress | None) -> Report:
    step = progress or (lambda _name: None)
    step("provenance")
    seq, head, rulebooks = provenance(opts)
    sections = []
    tally = Tally(opts)
    for key, specs in _TABLES.items():
        step(key)
        sums = sum_header(rulebooks)
        figures = [_headline(opts, tally, name, sums) for name in _HEADLINES[key]]
        if key == "cases":
            days = median_days(opts, tally.total("resolved"))
            link = {"m": "resolved", **opts.query()}
            shown = "—" if days is None else f"{days:.1f}"
            figures.append(
                Figure(
                    "median_days",
                    str(FIGURE["median_days"]),
                    Cell(None if days is None else round(days), shown, link),
                )
            )
        tables = [
            _table(opts, tally, *spec, sums=sums if spec[0] == "owed" else "") for spec in specs
        ]
        sections.append(Section(key, _section_title(key), figures, tables))
    step("runs")
    runs = _runs(opts)
    return Report(opts, timezone.now(), seq, head, rulebooks, sections, runs)
