"""A finding on the case page: the rule's title, the outcome in words and the law cited in
full from the rulebook's sources; a finding of a rulebook not installed keeps its text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from nadzor.cases.domain import Role
from tests.web.stored_findings import add_club_finding

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


def test_a_rulebook_without_ukrainian_shows_its_russian_text_on_a_ukrainian_page(
    browser: Callable[..., Any], case: Any
) -> None:
    add_finding(case, "ru-2022@1.0.0", "RU22-NOT-CITIZEN", "31-FZ art. 17")
    page = browser(Role.SUPERVISOR).get(f"/staff/cases/{case.reference}/?lang=uk")
    html = page.content.decode()
    assert '<html lang="uk">' in html and "Виявлені порушення" in html
    assert "не подлежит призыву по мобилизации" in html
    assert "Отсутствие гражданства Российской Федерации" in html
    assert "may not be called up at all" not in html
    assert "26 лютого 1997" in html


def test_a_finding_reads_in_the_pages_language_with_its_evaluation_date(
    browser: Callable[..., Any], case: Any
) -> None:
    add_club_finding(case)
    russian = browser(Role.SUPERVISOR).get(f"/staff/cases/{case.reference}/?lang=ru")
    html = russian.content.decode()
    assert "по состоянию на 12.10.2022" in html
    assert "(вид помещения по реестру: клуб)" in html
    assert "Устав внутренней службы Вооружённых Сил РФ: проживание" in html
    assert "people sleeping" not in html and "living there is prohibited" not in html
    english = browser(Role.SUPERVISOR).get(f"/staff/cases/{case.reference}/?lang=en")
    assert "40 people sleeping in a club on 2022-10-12" in english.content.decode()
    assert "as of 2022-10-12" in english.content.decode()


def test_a_finding_without_its_day_shows_none(browser: Callable[..., Any], case: Any) -> None:
    add_finding(case, "ru-2022@1.0.0", "RU22-NOT-CITIZEN", "31-FZ art. 17; 53-FZ art. 1")
    html = browser(Role.SUPERVISOR).get(f"/staff/cases/{case.reference}/?lang=ru").content
    assert "по состоянию на" not in html.decode()
    # the stored sentence, since no facts were kept with it
    assert "not a citizen of the Russian Federation" in html.decode()
