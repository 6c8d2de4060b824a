"""All the report's counts in a few grouped queries, instead of one query per table.

Each query groups by the dimensions several tables need and counts every measure at once
with conditional aggregates (`COUNT(...) FILTER (WHERE ...)`); a table's rows are then the
sums of a few grouped rows (a case has one kind, one region, one facility, so counts of
distinct cases add up across those). Every count is of exactly the items that
`_measures.items()` lists for the same figure: the tests check each figure against its list.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator

from django.db import connection, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek

from nadzor.reports._measures import (
    CASE_MEASURES,
    COMPLAINT_MEASURES,
    _day,
    case_filter,
    complaint_filter,
    count_by,
    items,
    measure,
)
from nadzor.reports._options import ReportOptions
from nadzor.store.models import Case, Complaint, Finding

__all__ = ["Tally", "one_snapshot"]


@contextlib.contextmanager
def one_snapshot() -> Iterator[None]:
    """The report's queries in one transaction; on PostgreSQL without JIT compilation,
    which costs more processor time than it saves on these one-off aggregates."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


_PLAIN = ("opened", "resolved", "open_end", "overdue_end", "provision_resolved")
_FOUND = {"with_findings": None, "provision": "provision", "conditions": "conditions"}
_COMPLAINTS = ("received", "answered_30", "answered_60", "unanswered_overdue")

Counts = dict[str, int]


def _add(target: dict[str, int], value: str, n: int) -> None:
    if n:
        target[value] = target.get(value, 0) + n


class Tally:
    """The counts of one report, computed on first use, each grouped query once."""

    def __init__(self, opts: ReportOptions) -> None:
        self.opts = opts
        self._by: dict[tuple[str, str], Counts] = {}
        self._total: dict[str, int] = {}
        self._done: set[str] = set()
        self._sums: dict[str, Counts] = {}  # dimension ("" for all) -> value -> sum owed

    def total(self, key: str) -> int:
        self._load_for(key, "")
        if key not in self._total:
            self._total[key] = items(self.opts, measure(key)).count()
        return self._total[key]

    def by(self, key: str, dim: str) -> list[tuple[str, int]]:
        self._load_for(key, dim)
        if (key, dim) not in self._by:
            return count_by(self.opts, measure(key), dim)
        return list(self._by[(key, dim)].items())

    def sum_by(self, dim: str) -> dict[str, int]:
        """The sums beside the `owed` figures: by `dim`, or {"": total} for dim ""."""
        self._once("owed", self._owed)
        return self._sums.get(dim, {})

    # --- the grouped queries ------------------------------------------------------------

    def _load_for(self, key: str, dim: str) -> None:
        if key in _PLAIN:
            self._once("cases", self._cases)
            if dim in ("remedy", "week") and key in ("resolved", "provision_resolved"):
                self._once("resolved", self._resolved)
            if dim == "week" and key == "opened":
                self._once("opened_weeks", self._opened_weeks)
        elif key in _FOUND:
            self._once("found", self._found)
            if dim in ("rule", "outcome", "facility") and connection.vendor == "postgresql":
                self._once("finding_sets", self._finding_sets)
            if dim == "rule":
                self._once("rules", self._rules)
            elif dim == "outcome":
                self._once("outcomes", self._outcomes)
            elif dim == "facility":
                self._once("facilities", self._facilities)
        elif key == "owed":
            self._once("owed", self._owed)
        elif key in _COMPLAINTS:
            self._once("complaints", self._complaints)
            if dim == "week":
                self._once("complaint_weeks", self._complaint_weeks)

    def _once(self, name: str, load: Callable[[], None]) -> None:
        if name not in self._done:
            self._done.add(name)
            load()

    def _slot(self, key: str, dim: str) -> Counts:
        return self._by.setdefault((key, dim), {})

    def _cases(self) -> None:
        opts = self.opts
        filters = {key: case_filter(opts, CASE_MEASURES[key]) for key in _PLAIN}
        anyone = Q()
        for q in filters.values():
            anyone |= q
        counts = {key: Count("pk", filter=q) for key, q in filters.items()}
        rows = Case.objects.filter(anyone).values("region", "kind").annotate(**counts).order_by()
        for key in _PLAIN:
            self._total[key] = 0
            for dim in ("region", "kind"):
                self._slot(key, dim)
        for row in rows:
            for key in _PLAIN:
                n = row[key]
                self._total[key] += n
                _add(self._slot(key, "region"), str(row["region"]), n)
                _add(self._slot(key, "kind"), str(row["kind"]), n)

    def _resolved(self) -> None:
        m = CASE_MEASURES["resolved"]
        rows = (
            items(self.opts, m)
            .annotate(w=TruncWeek(F("resolved_at")))
            .values_list("remedy", "kind", "w")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for key in ("resolved", "provision_resolved"):
            self._slot(key, "remedy")
        self._slot("resolved", "week")
        for remedy, kind, week, n in rows:
            _add(self._slot("resolved", "remedy"), str(remedy), n)
            _add(self._slot("resolved", "week"), _day(week).isoformat(), n)
            if kind == "provision":
                _add(self._slot("provision_resolved", "remedy"), str(remedy), n)

    def _opened_weeks(self) -> None:
        self._by[("opened", "week")] = dict(count_by(self.opts, CASE_MEASURES["opened"], "week"))

    def _findings(self) -> QuerySet[Finding]:
        found = Finding.objects.filter(
            imported_at__gte=self.opts.start_at, imported_at__lt=self.opts.end_at
        )
        if self.opts.region:
            found = found.filter(case__region__iexact=self.opts.region)
        return found

    def _kinds(self, rows: Iterable[tuple[str, str, int]], dim: str) -> None:
        """Rows of (value, kind, distinct cases): the three findings measures by `dim`."""
        for key in _FOUND:
            self._slot(key, dim)
        for value, kind, n in rows:
            _add(self._slot("with_findings", dim), str(value), n)
            if kind in ("provision", "conditions"):
                _add(self._slot(kind, dim), str(value), n)

    def _found(self) -> None:
        # A semi-join from the cases (EXISTS) costs about half a distinct count of findings.
        rows = (
            items(self.opts, CASE_MEASURES["with_findings"])
            .values_list("region", "kind")
            .annotate(n=Count("pk"))
            .order_by()
        )
        self._kinds(rows, "region")
        for key in _FOUND:
            self._total[key] = sum(self._slot(key, "region").values())

    def _finding_sets(self) -> None:
        """PostgreSQL: cases with findings by rule, by outcome and by facility (each with
        the case kind) in one pass over the findings and their cases (GROUPING SETS),
        instead of three; the three loaders below then have nothing left to do."""
        found = self._findings().values("pk")
        sql, params = found.query.sql_with_params()
        where = sql.partition(" WHERE ")[2]
        query = (
            'SELECT "nadzor_finding"."rule_id", "nadzor_finding"."outcome",'
            ' "nadzor_case"."facility", "nadzor_case"."kind",'
            ' GROUPING("nadzor_finding"."rule_id"), GROUPING("nadzor_finding"."outcome"),'
            ' COUNT(DISTINCT "nadzor_finding"."case_id")'
            ' FROM "nadzor_finding" INNER JOIN "nadzor_case"'
            ' ON ("nadzor_finding"."case_id" = "nadzor_case"."id")'
            f" WHERE {where}"
            ' GROUP BY GROUPING SETS (("nadzor_finding"."rule_id", "nadzor_case"."kind"),'
            ' ("nadzor_finding"."outcome", "nadzor_case"."kind"),'
            ' ("nadzor_case"."facility", "nadzor_case"."kind"))'
        )
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            rows = cursor.fetchall()
        by_rule = [(r, kind, n) for r, _o, _f, kind, g_rule, _g, n in rows if not g_rule]
        by_outcome = [
            (o, kind, n) for _r, o, _f, kind, g_rule, g_out, n in rows if g_rule and not g_out
        ]
        by_facility = [
            (f, kind, n)
            for _r, _o, f, kind, g_rule, g_out, n in rows
            if g_rule and g_out and kind in ("provision", "conditions")
        ]
        self._kinds(by_rule, "rule")
        self._kinds(by_outcome, "outcome")
        self._kinds(by_facility, "facility")
        self._done.update(("rules", "outcomes", "facilities"))

    def _rules(self) -> None:
        rows = (
            self._findings()
            .values_list("rule_id", "case__kind")
            .annotate(n=Count("case", distinct=True))
            .order_by()
        )
        self._kinds(rows, "rule")

    def _outcomes(self) -> None:
        rows = (
            self._findings()
            .values_list("outcome", "case__kind")
            .annotate(n=Count("case", distinct=True))
            .order_by()
        )
        self._kinds(rows, "outcome")

    def _facilities(self) -> None:
        rows = (
            self._findings()
            .filter(case__kind__in=["provision", "conditions"])
            .values_list("case__facility", "case__kind")
            .annotate(n=Count("case", distinct=True))
            .order_by()
        )
        self._kinds(rows, "facility")

    def _owed(self) -> None:
        """Cases with measured findings and their sums, by rule and by facility and region.

        A case has one facility and one region, so those rows add up to the totals; by rule
        a case with findings of two measured rules counts under each.
        """
        found = self._findings().filter(amount__gt=0)
        per_rule = (
            found.values_list("rule_id")
            .annotate(n=Count("case", distinct=True), s=Sum("amount"))
            .order_by()
        )
        per_place = (
            found.values_list("case__facility", "case__region")
            .annotate(n=Count("case", distinct=True), s=Sum("amount"))
            .order_by()
        )
        for dim in ("rule", "facility", "region", ""):
            self._slot("owed", dim)
            self._sums[dim] = {}
        for rule, n, total in per_rule:
            _add(self._slot("owed", "rule"), str(rule), n)
            _add(self._sums["rule"], str(rule), int(total or 0))
        for facility, region, n, total in per_place:
            for dim, value in (("facility", facility), ("region", region), ("", "")):
                _add(self._slot("owed", dim), str(value), n)
                _add(self._sums[dim], str(value), int(total or 0))
        self._total["owed"] = self._by.pop(("owed", "")).get("", 0)

    def _complaints(self) -> None:
        filters = {key: complaint_filter(self.opts, COMPLAINT_MEASURES[key]) for key in _COMPLAINTS}
        anyone = filters["received"] | filters["unanswered_overdue"]
        counts = {key: Count("pk", filter=q) for key, q in filters.items()}
        rows = Complaint.objects.filter(anyone).values("category", "region").annotate(**counts)
        for key in _COMPLAINTS:
            self._total[key] = 0
            for dim in ("category", "region"):
                self._slot(key, dim)
        for row in rows.order_by():
            for key in _COMPLAINTS:
                n = row[key]
                self._total[key] += n
                _add(self._slot(key, "category"), str(row["category"]), n)
                _add(self._slot(key, "region"), str(row["region"]), n)

    def _complaint_weeks(self) -> None:
        m = COMPLAINT_MEASURES["received"]
        self._by[("received", "week")] = dict(count_by(self.opts, m, "week"))
