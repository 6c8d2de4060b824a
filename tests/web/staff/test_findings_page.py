"""A finding on the case page: the rule's title, the outcome in words and the law cited in
full from the rulebook's sources; a finding of a rulebook not installed keeps its text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from nadzor.cases.domain import Role

pytestmark = pytest.mark.django_db


def add_finding(case: Any, rulebook: str, rule_id: str, basis: str) -> None:
    from nadzor.store.models import Finding

    Finding.objects.create(
        case=case,
        source="register-2022",
        record_id="P-1",
        rule_id=rule_id,
        rulebook=rulebook,
        outcome="not_subject",
        basis=basis,
        explanation="not a citizen of the Russian Federation",
        imported_at=timezone.now(),
    )


def test_the_law_is_cited_in_full(browser: Callable[..., Any], case: Any) -> None:
    add_finding(case, "ru-2022@1.0.0", "RU22-NOT-CITIZEN", "31-FZ art. 17; 53-FZ art. 1")
    page = browser(Role.SUPERVISOR).get(f"/staff/cases/{case.reference}/?lang=ru")
    html = page.content.decode()
    assert "не подлежит призыву" in html
    assert "№ 31-ФЗ" in html and "26 февраля 1997" in html
    assert 'href="http://pravo.gov.ru/proxy/ips/?docbody=&amp;nd=102045413"' in html
    assert "№ 53-ФЗ" in html and "28 марта 1998" in html
    assert "421-ФЗ" not in html  # only the sources the basis names


def test_a_finding_of_an_unknown_rulebook_keeps_what_it_recorded(
    browser: Callable[..., Any], case: Any
) -> None:
    add_finding(case, "../../etc@1", "X-1", "somewhere art. 1")
    html = browser(Role.SUPERVISOR).get(f"/staff/cases/{case.reference}/?lang=en").content
    page = html.decode()
    assert "X-1" in page and "somewhere art. 1" in page and "may not be called up at all" in page
