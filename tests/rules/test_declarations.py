"""What a rulebook declares beyond its rules: outcomes, verdicts, texts, case, law date.

A rulebook written before these declarations existed gets the call-up words, so it
checks, tests and screens unchanged.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nadzor.rules import (
    DEFAULT_OUTCOMES,
    DEFAULT_VERDICTS,
    CaseSpec,
    Texts,
    load_rulebook,
    resolve_rulebook,
)
from tests.rules.conftest import FIXTURES, RulebookCopy


def test_texts_fall_back_to_english_and_read_as_a_mapping() -> None:
    title = Texts({"en": "Unfit", "ru": "Не годен"})
    assert title == "Unfit" and str(title) == "Unfit"
    assert title.get("ru") == "Не годен"
    assert title.get("uk") == "Unfit"
    assert title["ru"] == "Не годен"
    assert dict(title) == {"en": "Unfit", "ru": "Не годен"}
    assert Texts("Plain").get("ru") == "Plain"
    with pytest.raises(ValueError, match="en"):
        Texts({"ru": "только по-русски"})


def test_an_old_format_rulebook_gets_the_call_up_defaults() -> None:
    book = load_rulebook(FIXTURES / "facility-2023")
    assert book.outcomes == DEFAULT_OUTCOMES
    assert book.verdicts == DEFAULT_VERDICTS
    assert [o.id for o in book.outcomes] == ["not_subject", "deferment", "review"]
    assert [(o.verdict, o.has_end, o.severity) for o in book.outcomes] == [
        ("unlawful", False, 0),
        ("unlawful", True, 1),
        ("review", False, 2),
    ]
    assert [v.id for v in book.verdicts] == ["unlawful", "review", "clear"]
    assert book.clear_verdict == "clear"
    assert book.case == CaseSpec(("inspection_id",), "person", "unlawful_callup", ("inspector",))
    assert book.judgment == "law_date"
    assert book.languages == ("en",)
    assert book.record_type.law_date == book.record_type.evaluation_date == "inspected_on"


def test_ru_2022_declares_the_same_words_explicitly() -> None:
    book = resolve_rulebook("ru-2022")
    assert [(o.id, o.verdict, o.has_end, o.severity) for o in book.outcomes] == [
        (o.id, o.verdict, o.has_end, o.severity) for o in DEFAULT_OUTCOMES
    ]
    assert [v.id for v in book.verdicts] == [v.id for v in DEFAULT_VERDICTS]
    assert book.outcome("deferment").has_end
    assert book.outcome("review").meaning.get("ru")
    assert book.case == CaseSpec(
        ("record_id",), "person", "unlawful_callup", ("region", "commissariat")
    )
    assert book.languages == ("en", "ru")


DECLARED = """
outcomes:
  - {id: breach, meaning: {en: a legal norm is broken, ru: нарушена норма права}, verdict: breach}
  - {id: concern, meaning: a commitment is not met, verdict: concern}
verdicts:
  - {id: breach, meaning: breach}
  - {id: concern, meaning: concern}
  - {id: clear, meaning: nothing found}
"""


def test_declared_outcomes_replace_the_call_up_words(ru_copy: RulebookCopy) -> None:
    ru_copy.write("rulebook.yaml", _without_outcomes(ru_copy.text("rulebook.yaml")) + DECLARED)
    rules = ru_copy.text("rules.yaml")
    for word in ("not_subject", "deferment"):
        rules = rules.replace(f"outcome: {word}", "outcome: breach")
    rules = rules.replace("outcome: review", "outcome: concern")
    ru_copy.write("rules.yaml", rules)
    problems = ru_copy.problems()
    # `until` belongs to outcomes with an end date; breach has none
    assert problems and all(
        "`until` is only for outcomes with an end date" in p.message for p in problems
    )


def test_an_undeclared_outcome_is_named_with_the_declared_ones(ru_copy: RulebookCopy) -> None:
    ru_copy.replace(
        "rules.yaml",
        '    outcome: not_subject\n    documents:\n      - {en: "Passport or other proof of citizenship"',
        '    outcome: breach\n    documents:\n      - {en: "Passport or other proof of citizenship"',
    )
    problem = ru_copy.only_problem()
    assert (
        problem.message
        == "rules[0].outcome: Input should be 'not_subject', 'deferment' or 'review'"
    )


def test_a_rule_may_change_its_condition_and_outcome_by_period(ru_copy: RulebookCopy) -> None:
    ru_copy.replace(
        "rules.yaml",
        "      - {from: 2022-09-21, basis: 31-FZ art. 17; 53-FZ art. 1, confidence: MEDIUM}\n",
        "      - {from: 2022-09-21, to: 2022-12-31, basis: 31-FZ art. 17; 53-FZ art. 1, confidence: MEDIUM}\n"
        "      - {from: 2023-01-01, basis: later wording, confidence: LOW, outcome: review,"
        " when: not ru_citizen and not in_reserve, explain: {en: 'changed {ru_citizen}', ru: 'изменено {ru_citizen}'}}\n",
    )
    book = ru_copy.load()
    rule = next(r for r in book.rules if r.id == "RU22-NOT-CITIZEN")
    first, second = rule.periods
    assert (first.outcome, second.outcome) == ("not_subject", "review")
    assert rule.outcomes == ("not_subject", "review")
    assert second.when.source == "not ru_citizen and not in_reserve"
    assert second.explain_in("ru").source == "изменено {ru_citizen}"
    assert rule.changes_by_period


def test_a_text_in_an_undeclared_language_is_an_error(ru_copy: RulebookCopy) -> None:
    ru_copy.replace(
        "rules.yaml",
        "    title: Not a citizen\n",
        "    title: {en: Not a citizen, de: Kein Bürger}\n",
    )
    problem = ru_copy.only_problem()
    assert "language 'de' is not declared" in problem.message


def _without_outcomes(text: str) -> str:
    return text[: text.index("# What the rules find")]


@pytest.mark.parametrize("name", ["ru-2022", "ru-2022-provision", "ru-2022-facilities"])
def test_every_built_in_russian_rulebook_speaks_russian(name: str) -> None:
    book = resolve_rulebook(name)
    assert "ru" in book.languages
    assert book.title.get("ru") != book.title
    for outcome in book.outcomes:
        assert outcome.meaning.get("ru") != outcome.meaning, outcome.id
    for rule in book.rules:
        assert "ru" in rule.title.languages, rule.id
        for period in rule.periods:
            assert any(lang == "ru" for lang, _ in period.explains), rule.id


def test_the_ukrainian_rulebook_speaks_ukrainian_everywhere() -> None:
    """Every title, outcome, verdict and explanation of ua-2022, in every period, in Ukrainian."""
    book = resolve_rulebook("ua-2022")
    assert book.languages == ("en", "uk")
    assert book.title.get("uk") != book.title
    assert book.description is not None and book.description.get("uk") != book.description
    for word in (*book.outcomes, *book.verdicts):
        assert word.meaning.get("uk") != word.meaning, word.id
    for rule in book.rules:
        assert "uk" in rule.title.languages, rule.id
        for period in rule.periods:
            assert period.explain_in("uk") != period.explain, (rule.id, period.start)
        for document in rule.documents:
            assert "uk" in document, rule.id


def test_a_translation_file_in_an_undeclared_language_is_an_error(ru_copy: RulebookCopy) -> None:
    ru_copy.write("translations/uk.yaml", "rules: {}\n")
    problem = ru_copy.only_problem()
    assert problem.file == "ru-2022/translations/uk.yaml"
    assert problem.message == "language 'uk' is not declared (languages: en, ru)"


def test_a_translated_template_is_type_checked(ru_copy: RulebookCopy) -> None:
    ru_copy.write(
        "translations/ru.yaml",
        "rules:\n  RU22-MINOR:\n    explain: 'возраст {age_yeras}'\n",
    )
    problem = ru_copy.only_problem()
    assert problem.line == 2
    assert "unknown name 'age_yeras'" in problem.message


def test_a_measure_declares_the_sum_of_each_measured_rule(ru_copy: RulebookCopy) -> None:
    ru_copy.replace(
        "rulebook.yaml",
        "  kind: unlawful_callup\n",
        "  kind: unlawful_callup\n"
        "  measure:\n"
        "    unit: {en: weeks, ru: нед.}\n"
        "    amounts: {RU22-NOT-CITIZEN: 45 - wife_pregnancy_weeks, RU22-MINOR: minimum_age}\n",
    )
    measure = load_rulebook(ru_copy.root).case.measure
    assert measure is not None and measure.unit.get("ru") == "нед."
    assert measure.columns == ("wife_pregnancy_weeks", "callup_date")
    assert measure.amount("RU22-NOT-CITIZEN", {"wife_pregnancy_weeks": "30"}) == 15
    assert measure.amount("RU22-NOT-CITIZEN", {"wife_pregnancy_weeks": ""}) == 45
    assert measure.amount("RU22-NOT-CITIZEN", {"wife_pregnancy_weeks": "50"}) == 0
    assert measure.amount("RU22-MINOR", {"callup_date": "2022-10-01"}) == 18
    assert measure.amount("RU22-MINOR", {"callup_date": ""}) is None
    assert measure.amount("RU22-NOT-RESERVE", {}) is None


@pytest.mark.parametrize(
    ("amounts", "message"),
    [
        ("{RU22-NOPE: minimum_age}", "no rule 'RU22-NOPE'"),
        ("{RU22-MINOR: sex}", "'sex' is not an int column of the record or an int parameter"),
        ("{RU22-MINOR: minimum_age * 2}", "is not `a - b - ...`"),
    ],
)
def test_a_bad_measure_is_named(ru_copy: RulebookCopy, amounts: str, message: str) -> None:
    ru_copy.replace(
        "rulebook.yaml",
        "  kind: unlawful_callup\n",
        f"  kind: unlawful_callup\n  measure:\n    unit: RUB\n    amounts: {amounts}\n",
    )
    assert message in ru_copy.only_problem().message


@pytest.fixture
def ua_copy(tmp_path: Path) -> RulebookCopy:
    from nadzor.rules import builtin_rulebooks

    root = tmp_path / "ua-2022"
    shutil.copytree(builtin_rulebooks()["ua-2022"], root, ignore=shutil.ignore_patterns("tests"))
    return RulebookCopy(root)


def test_a_period_needs_values_only_for_the_parameters_it_uses(ua_copy: RulebookCopy) -> None:
    """UA22-CHILDREN-3 reads alimony_arrears_max_months (from 2024-05-18) only in its period
    from 2024-05-18: that loads. Reading it in the earlier period is a gap."""
    rules = {r.id: r for r in ua_copy.load().rules}
    assert rules["UA22-CHILDREN-3"].periods[1].when.source.endswith("alimony_arrears_max_months)")
    ua_copy.replace(
        "rules.yaml",
        "    when: n18 >= 3\n",
        "    when: n18 >= 3 and alimony_arrears_max_months > 0\n",
    )
    problem = ua_copy.only_problem()
    assert problem.message == (
        "rule UA22-CHILDREN-3: parameter alimony_arrears_max_months has no value for part of"
        " 2022-02-24 to 2024-05-17"
    )


def test_a_translation_gives_parameters_columns_sources_and_citations(
    ua_copy: RulebookCopy,
) -> None:
    book = ua_copy.load()
    period = next(r for r in book.rules if r.id == "UA22-RESERVED").periods[0]
    assert str(period.basis) == "LMob art. 23(1); CabMin Res. 76"  # as the rulebook writes it
    assert period.basis.get("uk").endswith(
        "постанова Кабінету Міністрів України від 27.01.2023 № 76"
    )  # type: ignore[attr-defined]
    assert book.parameter("min_age_no_service").title.get("uk").startswith("Вік, до досягнення")  # type: ignore[attr-defined]
    assert book.record_type.column("vlk_date").description.get("uk") == "дата цього висновку ВЛК"  # type: ignore[union-attr]
    assert (
        book.sources[0].name.get("uk")
        == "Закон України «Про мобілізаційну підготовку та мобілізацію»"
    )  # type: ignore[attr-defined]
    assert book.record_type.name.get("uk") == "реєстр призову (Україна)"  # type: ignore[attr-defined]


def test_a_translation_naming_what_the_rulebook_lacks_is_an_error(ua_copy: RulebookCopy) -> None:
    text = ua_copy.text("translations/uk.yaml")
    text = text.replace("  child_age_limit:\n", "  child_age_limt:\n")
    text = text.replace("  'LMD art. 28': ", "  'LMD art. 29': ")
    text = text.replace("  tcc: територіальний", "  tcс: територіальний")
    ua_copy.write("translations/uk.yaml", text)
    messages = sorted(p.message for p in ua_copy.problems())
    assert messages == [
        "citation 'LMD art. 29' is not the basis or note of any period",
        "unknown column 'tcс'",
        "unknown parameter 'child_age_limt'",
    ]
