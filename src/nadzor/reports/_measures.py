"""What each figure counts, as one database filter used both to count and to list.

A figure is a measure (e.g. cases resolved in the period) and at most one dimension value
(e.g. remedy `sent_home`). `case_filter`/`complaint_filter` give the Q that selects exactly
the items counted; `count_by` counts them grouped in the database. The list behind a
figure applies the same Q, so its count equals the figure by construction (and by test).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek

from nadzor.cases._errors import BadInput
from nadzor.cases.domain import Status
from nadzor.reports._options import ReportOptions
from nadzor.reports.runs import runs_between
from nadzor.store.models import Case, Complaint, ComplaintMessage, Finding, ScreeningRun

__all__ = [
    "CASE_MEASURES",
    "COMPLAINT_MEASURES",
    "Measure",
    "count_by",
    "count_total",
    "items",
    "measure",
    "measured_findings",
    "sum_of",
]

_OPEN = [s.value for s in Status if s.is_open]


@dataclass(frozen=True)
class Measure:
    key: str
    subject: str  # "case" or "complaint"
    dims: tuple[str, ...]
    date_field: str = "created_at"  # what a week is a week of


CASE_MEASURES = {
    m.key: m
    for m in (
        Measure("opened", "case", ("kind", "region", "week")),
        Measure("with_findings", "case", ("outcome", "rule", "region")),
        Measure("resolved", "case", ("remedy", "kind", "region", "week"), "resolved_at"),
        Measure("open_end", "case", ("kind", "region")),
        Measure("overdue_end", "case", ("kind", "region")),
        Measure("provision", "case", ("rule", "facility")),
        Measure("provision_resolved", "case", ("remedy",), "resolved_at"),
        Measure("conditions", "case", ("rule", "facility")),
        # cases with findings that concern a sum (the rulebooks' reporting measure)
        Measure("owed", "case", ("rule", "facility", "region")),
        Measure("run", "case", ("run",)),
    )
}
COMPLAINT_MEASURES = {
    m.key: m
    for m in (
        Measure("received", "complaint", ("category", "region", "week")),
        Measure("answered_30", "complaint", ("category", "region")),
        Measure("answered_60", "complaint", ("category", "region")),
        Measure("unanswered_overdue", "complaint", ("category", "region")),
    )
}


def measure(key: str) -> Measure:
    found = CASE_MEASURES.get(key) or COMPLAINT_MEASURES.get(key)
    if found is None:
        raise BadInput(f"unknown figure {key!r}")
    return found


_MEASURED = {"amount__gt": 0}
"""The findings a sum is made of: those of the period whose rulebook measured an amount."""


def _findings_in(opts: ReportOptions, **extra: object) -> Exists:
    return Exists(
        Finding.objects.filter(
            case=OuterRef("pk"),
            imported_at__gte=opts.start_at,
            imported_at__lt=opts.end_at,
            **extra,
        )
    )


def _extra(m: Measure) -> dict[str, object]:
    """What a measure asks of the findings besides their period."""
    return dict(_MEASURED) if m.key == "owed" else {}


def _scope(opts: ReportOptions, m: Measure) -> Q:
    """The case filter without the findings condition: region and the measure's kind."""
    q = Q(region__iexact=opts.region) if opts.region else Q()
    if m.key.startswith("provision"):
        q &= Q(kind="provision")
    elif m.key == "conditions":
        q &= Q(kind="conditions")
    return q


def case_filter(opts: ReportOptions, m: Measure, dim: str = "", value: str = "") -> Q:
    q = _scope(opts, m)
    in_period = Q(created_at__gte=opts.start_at, created_at__lt=opts.end_at)
    resolved = Q(status=Status.RESOLVED.value, resolved_at__gte=opts.start_at) & Q(
        resolved_at__lt=opts.end_at
    )
    if m.key == "opened":
        q &= in_period
    elif m.key in ("with_findings", "provision", "conditions", "owed"):
        q &= Q(_findings_in(opts, **_extra(m)))
    elif m.key in ("resolved", "provision_resolved"):
        q &= resolved
    elif m.key in ("open_end", "overdue_end"):
        q &= Q(status__in=_OPEN, created_at__lt=opts.end_at)
        if m.key == "overdue_end":
            q &= Q(due_on__lt=opts.end)
    if dim:
        q &= _dim_filter(opts, m, dim, value)
    return q


def complaint_filter(opts: ReportOptions, m: Measure, dim: str = "", value: str = "") -> Q:
    q = Q(region__iexact=opts.region) if opts.region else Q()
    if m.key == "unanswered_overdue":
        answered = Exists(
            ComplaintMessage.objects.filter(
                complaint=OuterRef("pk"), sender="staff", at__lt=opts.end_at
            )
        )
        q &= Q(created_at__lt=opts.end_at, due_on__lt=opts.end) & ~Q(status="closed") & ~answered
    else:
        q &= Q(created_at__gte=opts.start_at, created_at__lt=opts.end_at)
    if m.key in ("answered_30", "answered_60"):
        days = 30 if m.key == "answered_30" else 60
        q &= Exists(
            ComplaintMessage.objects.filter(
                complaint=OuterRef("pk"),
                sender="staff",
                at__lte=OuterRef("created_at") + dt.timedelta(days=days),
            )
        )
    if dim:
        q &= _dim_filter(opts, m, dim, value)
    return q


def _dim_filter(opts: ReportOptions, m: Measure, dim: str, value: str) -> Q:
    if dim not in m.dims:
        raise BadInput(f"figure {m.key!r} has no breakdown by {dim!r}")
    if dim in ("kind", "region", "remedy", "facility", "category"):
        return Q(**{dim: value})
    if dim == "week":
        try:
            monday = dt.date.fromisoformat(value)
        except ValueError:
            raise BadInput(f"week {value!r} is not a date YYYY-MM-DD") from None
        first = dt.datetime.combine(monday, dt.time(), tzinfo=dt.UTC)
        return Q(**{f"{m.date_field}__gte": first}) & Q(
            **{f"{m.date_field}__lt": first + dt.timedelta(days=7)}
        )
    if dim == "rule":
        return Q(_findings_in(opts, rule_id=value, **_extra(m)))
    if dim == "outcome":
        return Q(_findings_in(opts, outcome=value))
    if dim == "run":
        run = ScreeningRun.objects.filter(pk=int(value) if value.isdigit() else 0).first()
        if run is None:
            raise BadInput(f"no screening run {value!r}")
        return Q(
            Exists(
                Finding.objects.filter(
                    case=OuterRef("pk"),
                    source=run.source,
                    imported_at__gte=run.started_at,
                    imported_at__lte=run.finished_at,
                )
            )
        )
    raise BadInput(f"unknown breakdown {dim!r}")


def items(
    opts: ReportOptions, m: Measure, dim: str = "", value: str = ""
) -> QuerySet[Case] | QuerySet[Complaint]:
    """The cases or complaints a figure counts."""
    if m.subject == "case":
        return Case.objects.filter(case_filter(opts, m, dim, value))
    return Complaint.objects.filter(complaint_filter(opts, m, dim, value))


def measured_findings(
    opts: ReportOptions, m: Measure, dim: str = "", value: str = ""
) -> QuerySet[Finding]:
    """The findings whose amounts make the sum beside a figure: the measured findings of
    the period of the cases the figure counts (of the row's rule, for a row by rule)."""
    found = Finding.objects.filter(
        imported_at__gte=opts.start_at, imported_at__lt=opts.end_at, **_MEASURED
    )
    if dim == "rule":
        found = found.filter(rule_id=value)
    cases = case_filter(opts, m, dim, value)
    return found.filter(case__in=Case.objects.filter(cases).values("pk"))


def sum_of(opts: ReportOptions, m: Measure, dim: str = "", value: str = "") -> int:
    """The sum beside a figure of cases (0 when nothing is measured)."""
    total = measured_findings(opts, m, dim, value).aggregate(s=Sum("amount"))["s"]
    return int(total or 0)


def count_total(opts: ReportOptions, m: Measure) -> int:
    return items(opts, m).count()


def count_by(opts: ReportOptions, m: Measure, dim: str) -> list[tuple[str, int]]:
    """(value, count) for every value of `dim` with a count, counted in the database."""
    if dim in ("rule", "outcome"):
        found = Finding.objects.filter(
            imported_at__gte=opts.start_at, imported_at__lt=opts.end_at, **_extra(m)
        )
        scope = _scope(opts, m)
        if scope:
            found = found.filter(case__in=Case.objects.filter(scope).values("pk"))
        field = "rule_id" if dim == "rule" else "outcome"
        rows = found.values_list(field).annotate(n=Count("case", distinct=True)).order_by()
        return [(str(value), n) for value, n in rows]
    if dim == "run":
        return _runs(opts)
    base = items(opts, m)
    if dim == "week":
        rows = (
            base.annotate(w=TruncWeek(F(m.date_field)))
            .values_list("w")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return [(_day(w).isoformat(), n) for w, n in rows]
    rows = base.values_list(dim).annotate(n=Count("pk")).order_by()
    return [(str(value), n) for value, n in rows]


def _day(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _runs(opts: ReportOptions) -> list[tuple[str, int]]:
    """Per import finished in the period: the cases its findings opened or joined."""
    scope = _scope(opts, CASE_MEASURES["run"])
    runs = list(runs_between(opts.start_at, opts.end_at))
    found = Finding.objects.all()
    if scope:
        found = found.filter(case__in=Case.objects.filter(scope).values("pk"))
    rows = []
    # one pass over the findings for several runs: a distinct count filtered to each run
    for start in range(0, len(runs), _RUNS_PER_QUERY):
        chunk = runs[start : start + _RUNS_PER_QUERY]
        windows = {
            f"run_{run.pk}": Q(
                source=run.source,
                imported_at__gte=run.started_at,
                imported_at__lte=run.finished_at,
            )
            for run in chunk
        }
        anyone = Q()
        for window in windows.values():
            anyone |= window
        counts = found.filter(anyone).aggregate(
            **{name: Count("case", distinct=True, filter=q) for name, q in windows.items()}
        )
        rows += [(str(run.pk), int(counts[f"run_{run.pk}"] or 0)) for run in chunk]
    return rows


_RUNS_PER_QUERY = 20


def count_2d(
    opts: ReportOptions, m: Measure, row_dim: str, col_dim: str
) -> dict[tuple[str, str], int]:
    """Counts by two plain dimensions (or week), in the database."""
    fields = []
    base = items(opts, m)
    for dim in (row_dim, col_dim):
        if dim == "week":
            base = base.annotate(w=TruncWeek(F(m.date_field)))
            fields.append("w")
        else:
            fields.append(dim)
    rows = base.values_list(*fields).annotate(n=Count("pk")).order_by()
    out: dict[tuple[str, str], int] = {}
    for a, b, n in rows:
        key = (_day(a).isoformat() if row_dim == "week" else str(a), str(b))
        out[key] = out.get(key, 0) + n
    return out


def sum_2d(
    opts: ReportOptions, m: Measure, row_dim: str, col_dim: str
) -> dict[tuple[str, str], int]:
    """The sums of the measured findings of `m`'s cases by two plain case dimensions."""
    fields = [f"case__{dim}" for dim in (row_dim, col_dim)]
    rows = measured_findings(opts, m).values_list(*fields).annotate(s=Sum("amount")).order_by()
    return {(str(a), str(b)): int(total or 0) for a, b, total in rows}
