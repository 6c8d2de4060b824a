"""The case page and the case list speak the words of the rulebook the findings came from,
in the page's language, and name the case's subject (a person, a facility)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from nadzor.cases.domain import Role
from nadzor.rules import builtin_rulebooks, resolve_rulebook
from tests.conftest import EXAMPLES, call_cli
from tests.web.staff.conftest import text_of

pytestmark = pytest.mark.django_db

S = Role.SUPERVISOR
RULEBOOK = Path(__file__).parents[2] / "cases" / "fixtures" / "inspect-2023"
REF = "inspect-2023@0.1.0"


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _findings_part(page: str) -> str:
    start = page.index("Выявленные нарушения")
    return page[start : page.index("Жалобы", start)]


@pytest.fixture
def facility_case(tmp_path: Path) -> Any:
    from nadzor.cases.services import import_findings
    from nadzor.store.models import Case

    register = _write(
        tmp_path / "inspections.csv",
        ["inspection_id", "inspected_on", "facility", "inspector"],
        [
            ["i1", "2023-02-01", "Учебный центр 1", "Орлов"],
            ["i2", "2023-03-01", "Учебный центр 1", "Орлов"],
        ],
    )
    findings = _write(
        tmp_path / "findings.csv",
        ["record_id", "rule_id", "outcome", "basis", "explanation", "rulebook"],
        [
            ["i1", "FAC-WINTER-KIT", "breach", "Regulation No. 1 para 7", "winter kit none", REF],
            ["i2", "FAC-OVERCROWDED", "concern", "Regulation No. 1 para 3", "40 for 30 beds", REF],
        ],
    )
    import_findings(findings, rulebook=str(RULEBOOK), register=register)
    return Case.objects.get()


def test_the_case_page_in_russian_shows_the_rulebooks_words(
    browser: Callable[..., Any], facility_case: Any
) -> None:
    page = text_of(browser(S).get(f"/staff/cases/{facility_case.reference}/?lang=ru"))
    assert "нарушена норма права" in page
    assert "не выполнено обязательство или норматив" in page
    # (the history below shows the audit entries' data as recorded)
    findings = _findings_part(page)
    assert "breach" not in findings and "concern" not in findings
    assert "объект Учебный центр 1" in page  # the subject: a facility
    assert "Учебный центр 1 · Орлов" in page  # its facility or unit, from reporting columns
    assert "условия содержания" in page  # the case kind


def test_the_case_page_in_english(browser: Callable[..., Any], facility_case: Any) -> None:
    page = text_of(browser(S).get(f"/staff/cases/{facility_case.reference}/?lang=en"))
    assert "a legal norm is broken" in page
    assert "facility Учебный центр 1" in page


def test_the_case_list_names_the_subject(browser: Callable[..., Any], facility_case: Any) -> None:
    page = text_of(browser(S).get("/staff/cases/?lang=ru&kind=conditions"))
    assert facility_case.reference in page and "объект Учебный центр 1" in page


def test_a_call_up_case_names_the_person(browser: Callable[..., Any], examples: Path) -> None:
    from nadzor.cases.services import import_findings
    from nadzor.store.models import Case

    import_findings(examples / "ru-2022-findings.csv")
    case = Case.objects.get(record_id="care")
    page = text_of(browser(S).get(f"/staff/cases/{case.reference}/?lang=ru"))
    assert "лицо care" in page
    assert "имеет право на отсрочку от призыва до её окончания" in page
    assert "deferment" not in _findings_part(page)


@pytest.mark.skipif(
    "ru-2022-facilities" not in builtin_rulebooks()
    or not (EXAMPLES / "ru-2022-facilities-register.csv").is_file(),
    reason="the facilities rulebook or the spec's examples are missing",
)
def test_a_facility_case_shows_breach_and_concern_in_russian(
    browser: Callable[..., Any], tmp_path: Path
) -> None:
    from nadzor.cases.services import import_findings
    from nadzor.store.models import Case

    register = EXAMPLES / "ru-2022-facilities-register.csv"
    findings = tmp_path / "findings.csv"
    code = call_cli(
        "screen", register, "--rulebook", "ru-2022-facilities", "--out", findings,
        "--rejects", tmp_path / "rejects.csv",
    )  # fmt: skip
    assert code == 3
    import_findings(findings, register=register)
    words = {o.id: o.meaning for o in resolve_rulebook("ru-2022-facilities").outcomes}
    shown: set[str] = set()
    for case in Case.objects.all():
        part = _findings_part(text_of(browser(S).get(f"/staff/cases/{case.reference}/?lang=ru")))
        assert "breach" not in part and "concern" not in part
        shown |= {word for word, meaning in words.items() if meaning.get("ru") in part}
    assert shown == {"breach", "concern"}
    assert all(meaning.get("ru") != str(meaning) for meaning in words.values())
