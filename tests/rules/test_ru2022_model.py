"""The built-in ru-2022 says what ru-2022.md says: rules, periods, confidence and parameters."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from nadzor.rules import (
    KeyCondition,
    Parameter,
    Rulebook,
    builtin_rulebooks,
    load_rulebook,
    resolve_rulebook,
)

RU2022 = Path(__file__).resolve().parents[2] / "src" / "nadzor" / "rulebooks" / "ru-2022"
D = dt.date
OPEN = None

# rule id -> (outcome, first day, last day or None, confidence, has deferment_until,
#             a citation its basis must contain) -- the rules table of ru-2022.md
SPEC_RULES: dict[str, tuple[str, dt.date, dt.date | None, str, bool, str]] = {
    "RU22-NOT-CITIZEN": ("not_subject", D(2022, 9, 21), OPEN, "MEDIUM", False, "31-FZ art. 17"),
    "RU22-NOT-RESERVE": ("not_subject", D(2022, 9, 21), OPEN, "MEDIUM", False, "31-FZ art. 17(2)"),
    "RU22-MINOR": ("not_subject", D(2022, 9, 21), OPEN, "MEDIUM", False, "53-FZ art. 22"),
    "RU22-AGE-LIMIT": ("not_subject", D(2022, 9, 21), OPEN, "MEDIUM", False, "53-FZ art. 53"),
    "RU22-HEALTH-D": ("not_subject", D(2022, 9, 21), OPEN, "HIGH", False, "53-FZ art. 53(3)"),
    "RU22-HEALTH-G": ("deferment", D(2022, 9, 21), OPEN, "HIGH", True, "31-FZ art. 18(1)(2)"),
    "RU22-HEALTH-G-EXPIRED": ("review", D(2022, 9, 21), OPEN, "HIGH", False, "31-FZ art. 18(1)(2)"),
    "RU22-HEALTH-G-UNDATED": ("review", D(2022, 9, 21), OPEN, "HIGH", False, "31-FZ art. 18(1)(2)"),
    "RU22-HEALTH-UNKNOWN": ("review", D(2022, 9, 21), OPEN, "MEDIUM", False, "Decree 565"),
    "RU22-CONVICTION-GRAVE": (
        "not_subject",
        D(2022, 9, 21),
        D(2022, 11, 14),
        "MEDIUM",
        False,
        "31-FZ art. 17(4)",
    ),
    "RU22-CONVICTION-LISTED": ("not_subject", D(2022, 11, 15), OPEN, "HIGH", False, "421-FZ"),
    "RU22-CONVICTION-CHECK": ("review", D(2022, 11, 15), OPEN, "HIGH", False, "421-FZ"),
    "RU22-RESERVATION": ("deferment", D(2022, 9, 21), OPEN, "HIGH", True, "31-FZ art. 18(1)(1)"),
    "RU22-DEFENCE-INDUSTRY": (
        "deferment",
        D(2022, 9, 21),
        OPEN,
        "HIGH",
        False,
        "Decree 647 para 9",
    ),
    "RU22-IT-SECTOR": ("review", D(2022, 9, 23), OPEN, "HIGH", False, "23.09.2022"),
    "RU22-CARE": ("deferment", D(2022, 9, 21), OPEN, "HIGH", False, "31-FZ art. 18(1)(3)"),
    "RU22-GUARDIAN": ("deferment", D(2022, 9, 21), OPEN, "HIGH", False, "31-FZ art. 18(1)(3.1)"),
    "RU22-CHILDREN-4": ("deferment", D(2022, 9, 21), OPEN, "MEDIUM", True, "31-FZ art. 18(1)(4)"),
    "RU22-SINGLE-PARENT": (
        "deferment",
        D(2022, 9, 21),
        OPEN,
        "MEDIUM",
        True,
        "31-FZ art. 18(1)(4)",
    ),
    "RU22-PREGNANCY": ("deferment", D(2022, 9, 21), OPEN, "MEDIUM", False, "31-FZ art. 18(1)(5)"),
    "RU22-CHILDREN-3-RETRO": (
        "review",
        D(2022, 9, 21),
        D(2022, 10, 3),
        "MEDIUM",
        False,
        "General Staff directive of 04.10.2022",
    ),
    "RU22-CHILDREN-3": (
        "deferment",
        D(2022, 10, 4),
        OPEN,
        "MEDIUM",
        True,
        "General Staff directive of 04.10.2022",
    ),
    "RU22-STUDENT": ("deferment", D(2022, 9, 21), OPEN, "HIGH", True, "Decrees 664 and 712"),
    "RU22-LEGISLATOR": ("deferment", D(2022, 9, 21), OPEN, "MEDIUM", False, "31-FZ art. 18(1)(6)"),
    "RU22-WOMAN": ("review", D(2022, 9, 21), OPEN, "MEDIUM", False, "MoD statements"),
}

LISTED_ARTICLES = (
    "134", "135", "205", "205.1", "205.2", "205.3", "205.4", "205.5", "206", "208", "211",
    "220", "221", "275", "275.1", "276", "277", "278", "279", "280", "282.1", "282.2", "282.3",
    "360", "361",
)  # fmt: skip
CHECK_ARTICLES = ("131", "132", "133")
RANK_GROUPS = ("soldier", "junior_officer", "field_officer", "colonel", "general")


@pytest.fixture(scope="module")
def book() -> Rulebook:
    # The model is checked without the rulebook's own tests, which are written elsewhere.
    return load_rulebook(RU2022, with_tests=False)


def test_the_builtin_rulebook_is_found_and_loads() -> None:
    assert builtin_rulebooks()["ru-2022"].resolve() == RU2022
    assert resolve_rulebook("ru-2022").id == "ru-2022"


def test_the_builtin_rulebook_loads_with_its_own_tests() -> None:
    book = load_rulebook(RU2022)
    assert all(case.file.startswith("ru-2022/tests/") for case in book.tests)


def test_metadata(book: Rulebook) -> None:
    assert book.id == "ru-2022"
    assert book.jurisdiction == "RU"
    assert book.in_force_from == D(2022, 9, 21)
    assert book.in_force_to is None
    assert "647" in book.in_force_basis
    assert book.verified_through == D(2023, 12, 31)
    assert book.ref == f"ru-2022@{book.version}"
    assert not book.in_force_on(D(2022, 9, 20))
    assert book.in_force_on(D(2022, 9, 21))


def test_sources_cite_every_act_of_the_spec(book: Rulebook) -> None:
    numbers = " ".join(f"{s.id} {s.name} {s.number or ''}" for s in book.sources)
    for act in ("31-FZ", "53-FZ", "421-FZ", "326-FZ", "647", "664", "712", "565", "315/2/3658"):
        assert act in numbers, act
    dates = {s.date for s in book.sources}
    assert {D(1997, 2, 26), D(1998, 3, 28), D(2022, 11, 4), D(2023, 7, 24), D(2022, 9, 21)} <= dates
    assert len({s.id for s in book.sources}) == len(book.sources)


def test_exactly_the_rules_of_the_spec(book: Rulebook) -> None:
    ids = [rule.id for rule in book.rules]
    assert len(ids) == 25
    assert len(set(ids)) == 25
    assert set(ids) == set(SPEC_RULES)


@pytest.mark.parametrize("rule_id", sorted(SPEC_RULES))
def test_rule_outcome_periods_and_confidence(book: Rulebook, rule_id: str) -> None:
    outcome, start, end, confidence, has_until, citation = SPEC_RULES[rule_id]
    rule = next(r for r in book.rules if r.id == rule_id)
    assert rule.outcome == outcome
    periods = rule.periods
    assert periods[0].start == start
    assert periods[-1].end == end
    for before, after in itertools.pairwise(periods):
        assert before.end is not None
        assert after.start == before.end + dt.timedelta(days=1)  # contiguous: one span in force
    for period in periods:
        assert period.basis.strip(), f"{rule_id}: a period without a citation"
        assert period.confidence == confidence
    assert citation in periods[-1].basis
    assert (rule.until is not None) == has_until
    assert rule.title.strip()
    assert rule.explain.parts, f"{rule_id}: an empty explanation"


def test_rule_period_boundaries(book: Rulebook) -> None:
    by_id = {r.id: r for r in book.rules}
    grave, listed = by_id["RU22-CONVICTION-GRAVE"], by_id["RU22-CONVICTION-LISTED"]
    assert grave.period_on(D(2022, 11, 14)) is not None
    assert grave.period_on(D(2022, 11, 15)) is None
    assert listed.period_on(D(2022, 11, 14)) is None
    assert listed.period_on(D(2022, 11, 15)) is not None
    retro, three = by_id["RU22-CHILDREN-3-RETRO"], by_id["RU22-CHILDREN-3"]
    assert retro.period_on(D(2022, 10, 3)) is not None
    assert three.period_on(D(2022, 10, 3)) is None
    assert retro.period_on(D(2022, 10, 4)) is None
    assert three.period_on(D(2022, 10, 4)) is not None
    it = by_id["RU22-IT-SECTOR"]
    assert it.period_on(D(2022, 9, 22)) is None
    assert it.period_on(D(2022, 9, 23)) is not None
    age_limit = by_id["RU22-AGE-LIMIT"]
    assert "326-FZ" in age_limit.period_on(D(2024, 1, 1)).basis  # type: ignore[union-attr]
    assert "326-FZ" not in age_limit.period_on(D(2023, 12, 31)).basis  # type: ignore[union-attr]


def test_rules_with_an_end_date_in_the_record_use_it(book: Rulebook) -> None:
    by_id = {r.id: r for r in book.rules}
    assert by_id["RU22-RESERVATION"].until.source.strip() == "reserved_until"  # type: ignore[union-attr]
    assert by_id["RU22-STUDENT"].until.source.strip() == "full_time_student_until"  # type: ignore[union-attr]
    assert "1 day" in by_id["RU22-CHILDREN-4"].until.source  # type: ignore[union-attr]


# --- parameters -----------------------------------------------------------------------


def value_on(book: Rulebook, name: str, day: dt.date) -> object:
    period = book.parameter(name).period_on(day)
    assert period is not None, f"{name} has no value on {day}"
    assert period.basis.strip()
    return period.value


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("children_min", 4),
        ("children_with_pregnancy", 3),
        ("pregnancy_weeks_min", 22),
        ("children_directive", 3),
        ("temp_unfit_months", 6),
        ("minimum_age", 18),
        ("child_age_limit", 16),
    ],
)
def test_plain_parameter_values(book: Rulebook, name: str, value: int) -> None:
    param = book.parameter(name)
    assert param.type == "int"
    for day in (D(2022, 9, 21), D(2022, 11, 15), D(2023, 12, 31), D(2024, 1, 1), D(2030, 1, 1)):
        assert value_on(book, name, day) == value


@pytest.mark.parametrize(
    ("name", "articles"),
    [
        ("listed_conviction_articles", LISTED_ARTICLES),
        ("check_conviction_articles", CHECK_ARTICLES),
    ],
)
def test_conviction_articles_are_exactly_those_of_the_spec(
    book: Rulebook, name: str, articles: tuple[str, ...]
) -> None:
    param = book.parameter(name)
    assert param.type == "list<text>"
    assert len(param.periods) == 1
    period = param.periods[0]
    assert period.start == D(2022, 11, 15)
    assert period.end is None
    assert "421-FZ" in period.basis
    assert period.confidence == "HIGH"
    assert period.value == articles
    assert all(isinstance(a, str) for a in period.value)  # 205.1 is text, not a float


def test_no_conviction_list_before_421_fz(book: Rulebook) -> None:
    assert book.parameter("listed_conviction_articles").period_on(D(2022, 11, 14)) is None


def matches(cond: KeyCondition, value: object) -> bool:
    if cond.equals is not None:
        return cond.equals == value
    return (cond.min is None or cond.min <= value) and (cond.max is None or value <= cond.max)  # type: ignore[operator]


def max_reserve_age(param: Parameter, rank: str, sex: str, birth_year: int, day: dt.date) -> int:
    period = param.period_on(day)
    assert period is not None
    assert period.table is not None
    facts = {"rank_group": rank, "sex": sex, "birth_year": birth_year}
    found = [
        row.value for row in period.table if all(matches(c, facts[c.key]) for c in row.conditions)
    ]
    assert len(found) == 1, f"{rank} {sex} {birth_year} on {day}: {found}"
    return found[0]  # type: ignore[return-value]


def spec_max_reserve_age(rank: str, sex: str, birth_year: int, day: dt.date) -> int:
    if sex == "F":
        return 45 if rank == "soldier" else 50
    if rank != "soldier":
        return {"junior_officer": 60, "field_officer": 65, "colonel": 65, "general": 70}[rank]
    if day <= D(2023, 12, 31):
        return 50
    return {1974: 51, 1975: 52, 1976: 53, 1977: 54}.get(
        birth_year, 50 if birth_year <= 1973 else 55
    )


def test_max_reserve_age_keys(book: Rulebook) -> None:
    param = book.parameter("max_reserve_age")
    assert param.type == "int"
    assert {name: expr.source.strip() for name, expr in param.keys} == {
        "rank_group": "rank_group",
        "sex": "sex",
        "birth_year": "year(birth_date)",
    }
    assert [(p.start, p.end) for p in param.periods] == [
        (D(2022, 9, 21), D(2023, 12, 31)),
        (D(2024, 1, 1), None),
    ]
    assert "326-FZ" in param.periods[1].basis


@pytest.mark.parametrize("day", [D(2022, 9, 21), D(2023, 12, 31), D(2024, 1, 1), D(2028, 6, 1)])
@pytest.mark.parametrize("sex", ["M", "F"])
@pytest.mark.parametrize("rank", RANK_GROUPS)
def test_max_reserve_age_table_matches_the_spec(
    book: Rulebook, rank: str, sex: str, day: dt.date
) -> None:
    param = book.parameter("max_reserve_age")
    for birth_year in (1960, 1972, 1973, 1974, 1975, 1976, 1977, 1978, 1979, 1990, 2004):
        assert max_reserve_age(param, rank, sex, birth_year, day) == spec_max_reserve_age(
            rank, sex, birth_year, day
        ), (rank, sex, birth_year, day)


def test_every_parameter_covers_the_rulebook_from_its_start(book: Rulebook) -> None:
    for param in book.parameters:
        if param.name in ("listed_conviction_articles", "check_conviction_articles"):
            continue
        assert param.period_on(book.in_force_from) is not None, param.name
        assert param.periods[-1].end is None, param.name
        for period in param.periods:
            assert period.basis.strip(), param.name
            assert period.confidence in ("HIGH", "MEDIUM", "LOW")


def test_record_type_is_the_call_up_register(book: Rulebook) -> None:
    record = book.record_type
    assert record.key == "record_id"
    assert record.evaluation_date == "callup_date"
    assert set(record.required) == {
        "record_id", "callup_date", "birth_date", "sex", "ru_citizen", "in_reserve", "rank_group"
    }  # fmt: skip
    assert record.column("sex").values == {"M": ("M", "М"), "F": ("F", "Ж")}
    assert set(record.column("health_category").values or {}) == {"A", "B", "V", "G", "D"}
    assert record.column("children_birth_dates").type == "list<date>"
    assert record.column("conviction_articles").type == "list<text>"
