"""The case list: filters as GET parameters, overdue first then by deadline, pages, HTMX."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from nadzor.cases.domain import Actor, Kind, Remedy, Role, Status, TransitionRequest

pytestmark = pytest.mark.django_db

S, V, IT = Role.SUPERVISOR, Role.INVESTIGATOR, Role.INTAKE


def refs(response: Any) -> list[str]:
    """The case references in the table, in order (each is linked once per row)."""
    table = response.content.decode().split('id="case-table"', 1)[1]
    return re.findall(r'href="/staff/cases/(NZ-\d{4}-\d{6})/', table)


@pytest.fixture
def cases(staff: dict[Role, Actor]) -> dict[str, str]:
    """Five cases: due in various days (negative: overdue), with kinds, regions, assignees."""
    from nadzor.cases.services import NewCase, create_case, transition
    from nadzor.store.models import Case

    boss = staff[S]
    today = timezone.now().date()
    made = {}
    plan = [
        ("late", Kind.PROVISION, "Kursk", -3, None),
        ("very_late", Kind.ABUSE, "Belgorod", -10, "ivan"),
        ("soon", Kind.CONDITIONS, "Kursk", 2, "olga"),
        ("later", Kind.PROVISION, "Voronezh", 20, None),
        ("done", Kind.TRAINING, "Kursk", -30, "ivan"),
    ]
    for name, kind, region, days, assignee in plan:
        case = create_case(boss, NewCase(kind=kind, title=name, region=region))
        if assignee:
            transition(boss, case.reference, TransitionRequest(Status.TRIAGE, "seen"))
            transition(
                boss,
                case.reference,
                TransitionRequest(Status.INVESTIGATING, "go", assignee=assignee),
            )
        Case.objects.filter(pk=case.pk).update(due_on=today + dt.timedelta(days=days))
        made[name] = case.reference
    done = made["done"]
    transition(boss, done, TransitionRequest(Status.REMEDY_REQUESTED, "asked"))
    transition(boss, done, TransitionRequest(Status.RESOLVED, "issued", remedy=Remedy.KIT_ISSUED))
    return made


def test_overdue_first_then_by_deadline_closed_last(
    browser: Callable[..., Any], cases: dict[str, str]
) -> None:
    response = browser(S).get("/staff/cases/?lang=en")
    assert response.status_code == 200
    order = ["very_late", "late", "soon", "later", "done"]
    assert refs(response) == [cases[n] for n in order]
    html = response.content.decode()
    rows = html.split('id="case-table"', 1)[1].split("<tr>")[2:]
    assert "badge overdue" in rows[0] and "badge overdue" in rows[1]
    assert "badge near" in rows[2]
    assert "badge overdue" not in rows[4]  # a resolved case is never overdue


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=investigating", ["very_late", "soon"]),
        ("kind=provision", ["late", "later"]),
        ("region=kursk", ["late", "soon", "done"]),
        ("assignee=ivan", ["very_late", "done"]),
        ("overdue=1", ["very_late", "late"]),
        ("overdue=1&region=Kursk", ["late"]),
        ("status=resolved&kind=training", ["done"]),
        ("kind=abuse&region=Kursk", []),
    ],
)
def test_filters(
    browser: Callable[..., Any], cases: dict[str, str], query: str, expected: list[str]
) -> None:
    response = browser(S).get(f"/staff/cases/?lang=en&{query}")
    assert response.status_code == 200
    assert refs(response) == [cases[n] for n in expected]


def test_the_form_shows_the_filters_in_force(
    browser: Callable[..., Any], cases: dict[str, str]
) -> None:
    html = browser(S).get("/staff/cases/?lang=en&status=triage&overdue=1&region=Kursk").content
    page = html.decode()
    assert '<option value="triage" selected>' in page
    assert 'name="overdue" value="1" checked' in page
    # the region named in the address is chosen in the list of federal subjects
    assert '<option value="Курская область" selected>Kursk Oblast</option>' in page
    assert "Clear the filters" in page


def test_an_unknown_filter_value_is_named_and_ignored(
    browser: Callable[..., Any], cases: dict[str, str]
) -> None:
    response = browser(S).get("/staff/cases/?lang=en&status=lost&kind=nonsense")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose a status from the list." in page
    assert "Choose a kind from the list." in page
    assert len(refs(response)) == 5


def test_each_role_lists_only_the_cases_it_may_see(
    browser: Callable[..., Any], cases: dict[str, str]
) -> None:
    # an investigator lands on his own cases; the cases he may see are one tab away
    mine = refs(browser(V).get("/staff/cases/"))
    assert mine == [cases["very_late"]]  # open and his; "done" is resolved
    ivan = refs(browser(V).get("/staff/cases/?scope=all"))
    # his own cases, and unassigned ones in new or triage he could take
    assert sorted(ivan) == sorted(
        [cases["very_late"], cases["done"], cases["late"], cases["later"]]
    )
    intake = refs(browser(IT).get("/staff/cases/"))
    assert sorted(intake) == sorted([cases["late"], cases["later"]])  # new and triage only


def test_pages_keep_the_filters(browser: Callable[..., Any], staff: dict[Role, Actor]) -> None:
    from nadzor.cases.services import NewCase, create_case
    from nadzor.web.staff.cases import PER_PAGE

    for n in range(PER_PAGE + 3):
        create_case(staff[S], NewCase(kind=Kind.OTHER, title=f"case {n}", region="Tula"))
    client = browser(S)
    first = client.get("/staff/cases/?lang=en&region=Tula")
    assert len(refs(first)) == PER_PAGE
    page = first.content.decode()
    assert "page 1 of 2" in page
    link = re.search(r'href="(\?[^"]*page=2[^"]*)"', page)
    assert link is not None
    assert "region=Tula" in link.group(1) and "lang=en" in link.group(1)
    second = client.get("/staff/cases/" + link.group(1).replace("&amp;", "&"))
    assert len(refs(second)) == 3
    assert set(refs(first)).isdisjoint(refs(second))


def test_htmx_gets_the_table_alone(browser: Callable[..., Any], cases: dict[str, str]) -> None:
    client = browser(S)
    partial = client.get("/staff/cases/?lang=en&kind=abuse", headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert body.lstrip().startswith('<section id="case-table"')
    assert "<html" not in body
    assert refs(partial) == [cases["very_late"]]
    # restoring the browser's history asks for the whole page
    restore = client.get(
        "/staff/cases/?lang=en&kind=abuse",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restore.content.decode()
    # and without JavaScript the same address gives the whole page with the form
    full = client.get("/staff/cases/?lang=en&kind=abuse").content.decode()
    assert 'hx-get="/staff/cases/"' in full and 'method="get"' in full
