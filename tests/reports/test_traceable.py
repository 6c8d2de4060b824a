"""Every figure of the report links to the list of exactly the items it counts."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from nadzor.cases.domain import Role

pytestmark = pytest.mark.django_db

_LINK = re.compile(r'<a href="(/staff/reports/list/\?[^"]+)">([^<]+)</a>')


def _count(page: str, url: str = "") -> int:
    """The count a list shows, or the sum owed it shows when the figure is a sum."""
    attribute = "data-sum" if "sum=1" in url else "data-count"
    found = re.search(attribute + r'="(\d+)"', page)
    assert found, page[:2000]
    return int(found.group(1))


def test_every_figure_of_the_staff_page_links_to_a_list_of_that_count(
    seeded: dict[str, Any], client_as: Any
) -> None:
    start, end = seeded["period"]
    client = client_as(Role.SUPERVISOR)
    page = client.get("/staff/reports/", {"from": start, "to": end, "lang": "ru"})
    assert page.status_code == 200
    text = page.content.decode()
    links = _LINK.findall(text)
    counts = [(url, shown) for url, shown in links if shown.isdigit()]
    assert len(counts) > 60  # headlines, every table row, the imports
    assert any(int(shown) > 0 for _, shown in counts)
    for url, shown in counts:
        listed = client.get(html.unescape(url))
        assert listed.status_code == 200, url
        assert _count(listed.content.decode(), url) == int(shown), url


def test_every_figure_of_the_html_report_links_to_a_list_of_that_count(
    seeded: dict[str, Any], client_as: Any
) -> None:
    from nadzor.reports.services import build_report, parse_options, render

    opts = parse_options(*seeded["period"], region="Курская область")
    document = render(build_report(opts), "html").decode()
    links = [(u, s) for u, s in _LINK.findall(document) if s.isdigit()]
    assert links
    client = client_as(Role.SUPERVISOR)
    for url, shown in links:
        assert _count(client.get(html.unescape(url)).content.decode(), url) == int(shown), url


def test_a_supervisor_sees_the_items_an_analyst_only_counts(
    seeded: dict[str, Any], client_as: Any
) -> None:
    start, end = seeded["period"]
    query = {"m": "received", "from": start, "to": end, "lang": "ru"}
    full = client_as(Role.SUPERVISOR).get("/staff/reports/list/", query).content.decode()
    n = _count(full)
    assert n > 0
    assert full.count('<tr class="item">') == min(n, 100)
    counted = client_as(Role.ANALYST).get("/staff/reports/list/", query)
    assert counted.status_code == 200
    text = counted.content.decode()
    assert _count(text) == n
    assert 'class="item"' not in text
    assert "/staff/complaints/" not in text and "Текст жалобы" not in text
    cases = client_as(Role.ANALYST).get("/staff/reports/list/", {**query, "m": "opened"})
    assert "NZ-2026-" not in cases.content.decode()


@pytest.mark.parametrize("role", [Role.INTAKE, Role.INVESTIGATOR, Role.ADMIN])
def test_other_roles_may_not_open_reports(
    seeded: dict[str, Any], client_as: Any, role: Role
) -> None:
    client = client_as(role)
    for path in (
        "/staff/reports/",
        "/staff/reports/list/?m=opened",
        "/staff/reports/download?format=csv",
    ):
        assert client.get(path).status_code == 403


def test_the_sent_home_figure_is_the_cases_resolved_sent_home_in_the_period(
    staff: dict[Role, Any],
) -> None:
    """Through the real workflow: resolving stamps the time the figure counts by."""
    import datetime as dt

    from django.utils import timezone

    from nadzor.cases.domain import Kind, Remedy, Status, TransitionRequest
    from nadzor.cases.services import NewCase, create_case, transition
    from nadzor.reports.services import build_report, parse_options
    from nadzor.store.models import Case

    boss = staff[Role.SUPERVISOR]

    def resolve(remedy: Remedy) -> str:
        case = create_case(boss, NewCase(kind=Kind.UNLAWFUL_CALLUP, region="Тыва"))
        ref = case.reference
        transition(boss, ref, TransitionRequest(Status.TRIAGE, "triage"))
        transition(boss, ref, TransitionRequest(Status.INVESTIGATING, "take", assignee=boss.name))
        transition(boss, ref, TransitionRequest(Status.REMEDY_REQUESTED, "ask"))
        transition(boss, ref, TransitionRequest(Status.RESOLVED, "done", remedy=remedy))
        return ref

    home = [resolve(Remedy.SENT_HOME) for _ in range(3)]
    resolve(Remedy.DEFERMENT_GRANTED)
    reopened = home.pop()
    transition(boss, reopened, TransitionRequest(Status.INVESTIGATING, "new facts"))
    today = timezone.now().date()
    report = build_report(parse_options(today - dt.timedelta(days=1), today))
    figure = next(f for s in report.sections for f in s.figures if f.key == "sent_home")
    expected = Case.objects.filter(status="resolved", remedy="sent_home").count()
    assert figure.cell.value == expected == len(home) == 2
    earlier = build_report(
        parse_options(today - dt.timedelta(days=30), today - dt.timedelta(days=2))
    )
    assert (
        next(f for s in earlier.sections for f in s.figures if f.key == "sent_home").cell.value == 0
    )


def test_a_wrong_period_is_refused_in_russian(seeded: dict[str, Any], client_as: Any) -> None:
    client = client_as(Role.SUPERVISOR)
    page = client.get("/staff/reports/", {"from": "2026-04-01", "to": "2026-03-01", "lang": "ru"})
    assert page.status_code == 400
    assert "вторая не раньше первой" in page.content.decode()
    listed = client.get("/staff/reports/list/", {"m": "nonsense", "lang": "ru"})
    assert listed.status_code == 400
    assert "В отчёте нет такого показателя." in listed.content.decode()


def test_the_sums_owed_link_to_lists_whose_cases_carry_those_sums(
    seeded: dict[str, Any], client_as: Any
) -> None:
    start, end = seeded["period"]
    client = client_as(Role.SUPERVISOR)
    text = client.get("/staff/reports/", {"from": start, "to": end, "lang": "ru"}).content.decode()
    sums = [(url, shown) for url, shown in _LINK.findall(text) if "sum=1" in html.unescape(url)]
    assert len(sums) > 3  # the headline, and a sum beside each count of cases with sums owed
    assert "Суммы задолженности" in text
    for url, shown in sums:
        listed = client.get(html.unescape(url)).content.decode()
        per_case = [int(n) for n in re.findall(r'<td class="num">(\d+)</td></tr>', listed)]
        assert _count(listed, url) == sum(per_case) == int(shown), url
