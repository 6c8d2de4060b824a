"""The public report: no count from 1 to k-1, no free text, no personal data, and no
suppressed cell can be recovered from the published totals of its row and column."""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest

from nadzor.reports.suppression import Mark, add_margins, suppress

K = 5


def _recoverable(grid: list[list[int | None]]) -> list[tuple[int, int]]:
    """The hidden cells (None) that the row and column equations determine.

    Every row says: its cells sum to its last cell; every column likewise. Known cells are
    constants; a hidden cell is determined when its unit vector lies in the row space of
    the equations restricted to the hidden cells (linear algebra over the rationals; the
    small integer matrices here are exact in floating point).
    """
    height, width = len(grid), len(grid[0])
    hidden = [(i, j) for i in range(height) for j in range(width) if grid[i][j] is None]
    if not hidden:
        return []
    index = {cell: n for n, cell in enumerate(hidden)}
    equations = []
    for i in range(height):
        equations.append([(i, j, -1 if j == width - 1 else 1) for j in range(width)])
    for j in range(width):
        equations.append([(i, j, -1 if i == height - 1 else 1) for i in range(height)])
    matrix = np.zeros((len(equations), len(hidden)))
    for e, terms in enumerate(equations):
        for i, j, sign in terms:
            if (i, j) in index:
                matrix[e, index[(i, j)]] = sign
    rank = np.linalg.matrix_rank(matrix)
    found = []
    for cell, n in index.items():
        unit = np.zeros(len(hidden))
        unit[n] = 1
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.append(cell)
    return found


def _published(cells: list[list[str]]) -> list[list[int | None]]:
    return [[int(c) if c.isdigit() else None for c in row] for row in cells]


def test_lone_small_cells_are_protected_by_complements() -> None:
    table = [[3, 10, 12], [20, 30, 40], [15, 0, 9]]
    grid = add_margins(table)
    marks = suppress(grid, K)
    assert marks[0][0] is Mark.PRIMARY
    assert sum(m is Mark.SECONDARY for row in marks for m in row) >= 3
    shown = [
        [None if marks[i][j] is not Mark.SHOWN else grid[i][j] for j in range(4)] for i in range(4)
    ]
    assert _recoverable(shown) == []
    # without the complements, the small cell would be read off its row
    naive = [[None if 1 <= grid[i][j] < K else grid[i][j] for j in range(4)] for i in range(4)]
    assert _recoverable(naive) == [(0, 0)]


@pytest.mark.parametrize("seed", range(40))
def test_no_suppressed_cell_of_a_random_table_can_be_recovered(seed: int) -> None:
    rng = random.Random(seed)
    rows, cols = rng.randint(1, 9), rng.randint(1, 6)
    table = [
        [rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 30]) for _ in range(cols)] for _ in range(rows)
    ]
    grid = add_margins(table)
    marks = suppress(grid, K)
    shown = [
        [None if marks[i][j] is not Mark.SHOWN else grid[i][j] for j in range(cols + 1)]
        for i in range(rows + 1)
    ]
    assert _recoverable(shown) == []
    assert not any(v is not None and 1 <= v < K for row in shown for v in row)


@pytest.mark.django_db
def test_the_public_report_of_a_seeded_store(seeded: dict[str, Any]) -> None:
    from nadzor.reports.services import measure, parse_options, public_report, sum_of, to_csv

    opts = parse_options(*seeded["period"], public=True)
    report = public_report(opts)
    tables = [t for s in report.sections for t in s.tables]
    assert len(tables) == 7
    hidden = 0
    for table in tables:
        cells = [[c.shown for c in row.cells] for row in table.rows]
        for row in table.rows:
            for cell in row.cells:
                assert cell.link is None
                assert cell.shown in (f"<{K}", "x") or int(cell.shown) == 0 or int(cell.shown) >= K
                hidden += cell.value is None
        assert _recoverable(_published(cells)) == [], table.title
    assert hidden > 0
    # the sums owed hide exactly the cells whose counts are hidden, and add up
    counts, sums = (
        next(t for t in tables if t.key == key)
        for key in ("owed.region.kind", "owed_sum.region.kind")
    )
    for count_row, sum_row in zip(counts.rows, sums.rows, strict=True):
        for count, money in zip(count_row.cells, sum_row.cells, strict=True):
            assert (count.value is None) == (money.value is None)
            assert money.value is None or (money.value > 0) == (count.value != 0)
    assert sums.rows[-1].cells[-1].value == sum_of(opts, measure("owed")) > 0
    text = to_csv(report).decode()
    # no free text: no complaint text, no facility, no rule, no case reference
    for words in ("Текст жалобы", "в/ч", "Прудбой", "NZ-2026", "R-HEALTH", "Ответ"):
        assert words not in text


@pytest.mark.django_db
def test_a_rare_region_is_grouped_not_named(seeded: dict[str, Any]) -> None:
    import datetime as dt

    from nadzor.reports.services import parse_options, public_report, to_csv
    from nadzor.store.models import Case

    Case.objects.filter(pk=Case.objects.order_by("pk").first().pk).update(  # type: ignore[union-attr]
        region="Иванов Иван Иванович", created_at=dt.datetime(2026, 3, 5, tzinfo=dt.UTC)
    )
    text = to_csv(public_report(parse_options(*seeded["period"], public=True))).decode()
    assert "Иванов" not in text


@pytest.mark.django_db
def test_publishing_is_for_supervisors_audited_and_shown_on_the_transparency_page(
    seeded: dict[str, Any], staff: dict[Any, Any], client_as: Any
) -> None:
    from nadzor.cases.domain import Denied, Role
    from nadzor.reports.services import parse_options, publish_report
    from nadzor.store.models import AuditEntry, PublishedReport

    start, end = seeded["period"]
    empty = client_as(None).get("/transparency", {"lang": "ru"})
    assert empty.status_code == 200
    assert "Пока не опубликовано ни одного отчёта" in empty.content.decode()
    refused = client_as(Role.ANALYST).post("/staff/reports/publish", {"from": start, "to": end})
    assert refused.status_code == 403
    analyst_page = client_as(Role.ANALYST).get("/staff/reports", {"lang": "ru"}).content.decode()
    assert "Опубликовать публичную форму" not in analyst_page
    # the service asks the same domain table, whoever calls it
    with pytest.raises(Denied, match="may not publish a public report"):
        publish_report(staff[Role.ANALYST], parse_options(start, end, "", public=True))
    assert not PublishedReport.objects.exists()
    done = client_as(Role.SUPERVISOR).post("/staff/reports/publish", {"from": start, "to": end})
    assert done.status_code == 302
    published = PublishedReport.objects.get()
    entry = AuditEntry.objects.filter(action="report.publish").get()
    assert entry.actor == staff[Role.SUPERVISOR].name
    assert published.content["publish_seq"] == entry.seq
    page = client_as(None).get("/transparency", {"lang": "ru"}).content.decode()
    assert "Показатели за 2026-03-01 — 2026-04-30" in page
    assert "Текст жалобы" not in page and "NZ-2026" not in page and "/staff/" not in page
    assert f"&lt;{K}" in page
    assert client_as(None).get(f"/transparency/{published.pk}").status_code == 200
    assert client_as(None).get(f"/transparency/{published.pk + 1}").status_code == 404
