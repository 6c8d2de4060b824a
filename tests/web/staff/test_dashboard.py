"""The dashboard: counts by status, kind and region with overdue first; the most urgent cases
for supervisors; figures only for analysts; no case content for administrators."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from nadzor.cases.domain import Actor, Kind, Role
from tests.web.staff.conftest import CONTACT, text_of

pytestmark = pytest.mark.django_db

S, A, D = Role.SUPERVISOR, Role.ANALYST, Role.ADMIN


@pytest.fixture
def cases(staff: dict[Role, Actor], submit: Callable[..., Any]) -> dict[str, str]:
    from nadzor.cases.services import NewCase, add_person, create_case
    from nadzor.store.models import Case

    today = timezone.now().date()
    made = {}
    for name, kind, region, days in [
        ("late", Kind.ABUSE, "Belgorod", -5),
        ("soon", Kind.PROVISION, "Kursk", 3),
        ("calm", Kind.PROVISION, "Kursk", 25),
    ]:
        case = create_case(staff[S], NewCase(kind=kind, title=f"title {name}", region=region))
        Case.objects.filter(pk=case.pk).update(due_on=today + dt.timedelta(days=days))
        made[name] = case.reference
    add_person(staff[S], made["late"], full_name="Сидоров Иван")
    submit(contact=CONTACT)
    return made


def figure(page: str, label: str) -> str:
    match = re.search(rf"{re.escape(label)}\s*</th>\s*<td>(.*?)</td>", page, re.S)
    assert match is not None, label
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_the_supervisor_dashboard(browser: Callable[..., Any], cases: dict[str, str]) -> None:
    response = browser(S).get("/staff/?lang=en")
    assert response.status_code == 200
    page = response.content.decode()
    assert figure(page, "Overdue") == "1"
    assert figure(page, "Due within a week or so") == "1"
    assert figure(page, "Open") == "3"
    assert figure(page, "New complaints awaiting triage") == "1"
    assert figure(page, "provision") == "2"
    assert figure(page, "abuse") == "1"
    urgent = page.split('id="h-urgent"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r"NZ-\d{4}-\d{6}(?=/)", urgent) == [
        cases["late"],
        cases["soon"],
        cases["calm"],
    ]
    regions = page.split('id="h-regions"', 1)[1]
    assert regions.index("Belgorod") < regions.index("Kursk")  # overdue first


def test_the_analyst_sees_figures_only(browser: Callable[..., Any], cases: dict[str, str]) -> None:
    response = browser(A).get("/staff/?lang=en")
    assert response.status_code == 200
    page = response.content.decode()
    assert figure(page, "Overdue") == "1"
    assert "Belgorod" in page  # counts by region
    assert "NZ-" not in page  # no case, no reference
    assert "title late" not in page
    assert "Сидоров" not in page and CONTACT["name"] not in page
    assert 'id="h-urgent"' not in page


def test_the_administrator_sees_users_not_cases(
    browser: Callable[..., Any], cases: dict[str, str]
) -> None:
    response = browser(D).get("/staff/?lang=en")
    assert response.status_code == 200
    page = text_of(response)
    for name in ("ira", "ivan", "sofia", "anna", "adam", "olga"):
        assert name in page
    assert "nadzor users add" in page
    assert "NZ-" not in page
    assert "Overdue" not in page


def test_an_account_locked_shows_on_the_users_page(
    browser: Callable[..., Any], staff: dict[Role, Actor]
) -> None:
    from nadzor.store.models import User

    User.objects.filter(username="ivan").update(
        locked_until=timezone.now() + dt.timedelta(minutes=10)
    )
    page = browser(D).get("/staff/?lang=en").content.decode()
    row = page.split("<td>ivan</td>", 1)[1].split("</tr>", 1)[0]
    assert "locked for a while" in row


def test_figures_link_to_their_lists_and_show_the_trend(
    browser: Callable[..., Any], cases: dict[str, str]
) -> None:
    from nadzor.store.models import Case

    # one case opened five weeks ago: the four weeks before the last
    old = timezone.now() - dt.timedelta(days=35)
    Case.objects.filter(reference=cases["calm"]).update(created_at=old)
    page = browser(S).get("/staff/?lang=ru").content.decode()
    assert "status=new" in page and "kind=provision" in page and "scope=all" in page
    opened = figure(page, "Открыто дел")
    assert opened.startswith("2") and "за предыдущие четыре недели: 1" in opened
    assert "на 1 больше" in opened
    received = figure(page, "Поступило жалоб")
    assert received.startswith("1") and "на 1 больше" in received
    # each linked figure is the count of the list it opens
    listed = browser(S).get("/staff/cases/?lang=ru&scope=all&kind=provision").content.decode()
    assert listed.count(cases["soon"]) and listed.count(cases["calm"])
    assert cases["late"] not in listed


def test_the_analyst_gets_the_trend_without_links(
    browser: Callable[..., Any], cases: dict[str, str]
) -> None:
    page = browser(A).get("/staff/?lang=en").content.decode()
    assert "(the four weeks before: 0)" in page and "3 more" in page
    assert "/staff/cases/" not in page
