"""Finding work: a case by its reference, by the reference of a person's record, or by
words of the case and its complaints; regions folded to the federal subject they name."""

from __future__ import annotations

import pytest

from nadzor.cases.domain import Actor, Kind, Role

pytestmark = pytest.mark.django_db

Staff = dict[Role, Actor]


def found(actor: Actor, **filters: object) -> list[str]:
    from nadzor.cases.services import CaseFilters, list_cases

    return sorted(c.reference for c in list_cases(actor, CaseFilters(**filters)))  # type: ignore[arg-type]


@pytest.fixture
def cases(staff: Staff) -> dict[str, str]:
    from nadzor.cases.services import NewCase, create_case
    from nadzor.complaints.services import open_case, submit
    from nadzor.store.models import Case

    boss = staff[Role.SUPERVISOR]
    ural = create_case(boss, NewCase(kind=Kind.CONDITIONS, region="Sverdlovsk Oblast"))
    kursk = create_case(boss, NewCase(kind=Kind.PROVISION, region="Курская обл."))
    lost = create_case(boss, NewCase(kind=Kind.OTHER, region="посёлок Лесной", facility="Полигон"))
    sent = submit(
        {
            "category": "unlawful_callup",
            "region": "Свердловская область",
            "text": "Сына так и не отпустили домой, хотя у него категория годности Д.",
        }
    )
    mother = open_case(boss, sent.complaint_id)
    Case.objects.filter(pk=kursk.pk).update(source="register-2024", record_id="P-000731")
    return {
        "ural": ural.reference,
        "kursk": kursk.reference,
        "lost": lost.reference,
        "mother": mother.reference,
    }


def test_regions_are_stored_by_their_russian_name(cases: dict[str, str]) -> None:
    from nadzor.store.models import Case

    regions = dict(Case.objects.values_list("reference", "region"))
    assert regions[cases["ural"]] == regions[cases["mother"]] == "Свердловская область"
    assert regions[cases["kursk"]] == "Курская область"
    assert regions[cases["lost"]] == "посёлок Лесной"


def test_a_region_filter_finds_every_spelling_and_other_the_rest(
    staff: Staff, cases: dict[str, str]
) -> None:
    from nadzor.store.models import Case

    boss = staff[Role.SUPERVISOR]
    ural = sorted([cases["ural"], cases["mother"]])
    assert found(boss, region="Sverdlovsk Oblast") == ural
    assert found(boss, region="свердловская обл") == ural
    # a register may spell a region its own way: the filter still finds it
    Case.objects.filter(reference=cases["ural"]).update(region="Sverdlovsk")
    assert found(boss, region="Свердловская область") == ural
    assert found(boss, region="other") == [cases["lost"]]


@pytest.mark.parametrize("typed", ["{ref}", "{ref_lower}", "{ref_compact}"])
def test_a_case_is_found_by_its_reference(staff: Staff, cases: dict[str, str], typed: str) -> None:
    ref = cases["kursk"]
    text = typed.format(ref=ref, ref_lower=ref.lower(), ref_compact=ref.replace("-", ""))
    assert found(staff[Role.SUPERVISOR], q=text) == [ref]


def test_a_case_is_found_by_a_persons_record_reference(staff: Staff, cases: dict[str, str]) -> None:
    assert found(staff[Role.SUPERVISOR], q=" P-000731 ") == [cases["kursk"]]


@pytest.mark.parametrize("words", ["так и не отпустили", "Сына", "категория годности", "Полигон"])
def test_a_case_is_found_by_words_of_its_complaints_and_facts(
    staff: Staff, cases: dict[str, str], words: str
) -> None:
    wanted = cases["lost"] if words == "Полигон" else cases["mother"]
    assert found(staff[Role.SUPERVISOR], q=words) == [wanted]


def test_a_search_stays_within_what_the_actor_may_see(staff: Staff, cases: dict[str, str]) -> None:
    from nadzor.store.models import Case, User

    olga = Actor("olga", Role.INVESTIGATOR)
    assert found(olga, q="отпустили") == [cases["mother"]]  # unassigned and new: takeable
    ivan = User.objects.get(username=staff[Role.INVESTIGATOR].name)
    Case.objects.filter(reference=cases["mother"]).update(assignee=ivan, status="investigating")
    assert found(olga, q="отпустили") == []
    assert found(olga, q=cases["mother"]) == []
    assert found(staff[Role.INVESTIGATOR], q="отпустили") == [cases["mother"]]


def test_a_ukrainian_complaint_is_found_by_its_words_and_on_postgresql_their_forms(
    staff: Staff,
) -> None:
    from django.db import connection

    from nadzor.complaints.services import open_case, submit

    boss = staff[Role.SUPERVISOR]
    sent = submit(
        {"category": "conditions", "text": "Сина так і не відпустили, зимової форми немає."}
    )
    wanted = open_case(boss, sent.complaint_id).reference
    assert found(boss, q="відпустили") == [wanted]
    assert found(boss, q="зимової форми") == [wanted]
    if connection.vendor == "postgresql":
        # other forms of the same words: PostgreSQL has no Ukrainian stemmer, the prefixes do
        assert found(boss, q="відпустити") == [wanted]
        assert found(boss, q="зимова форма") == [wanted]
        assert found(boss, q="літня форма") == []


@pytest.mark.parametrize(
    ("typed", "query"),
    [
        ("Сина не відпустили", "сина:* & не:* & відпуст:*"),
        ("зимової форми, зимової", "зимо:* & форм:*"),
        ("a'b | !(x) & y:*", "a:* & b:* & x:* & y:*"),
        ("...", ""),
    ],
)
def test_the_prefix_query_keeps_only_words(typed: str, query: str) -> None:
    from nadzor.cases._search import prefix_query

    assert prefix_query(typed) == query
