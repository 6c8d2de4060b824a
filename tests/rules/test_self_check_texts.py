"""The optional self-check texts of a rulebook: questions per column, documents per rule."""

from __future__ import annotations

import pytest

from nadzor.rules import RulebookError, load_rulebook, resolve_rulebook


def test_ru_2022_asks_every_column_a_person_can_answer() -> None:
    record = resolve_rulebook("ru-2022").record_type
    asked = {c.name for c in record.columns if c.ask is not None}
    answerable = {c.name for c in record.columns if not c.reporting_only} - {record.key}
    assert asked == answerable
    for column in record.columns:
        if column.ask is not None:
            assert set(column.ask.question) == {"en", "ru", "uk"}
            if column.values is not None:
                assert column.ask.choices is not None
                assert set(column.ask.choices) == set(column.values)


def test_ru_2022_names_documents_for_every_rule() -> None:
    for rule in resolve_rulebook("ru-2022").rules:
        assert rule.documents, rule.id
        assert all(set(doc) == {"en", "ru", "uk"} for doc in rule.documents)


def test_an_ask_for_an_unknown_column_names_its_line(ru_copy) -> None:
    ru_copy.replace("record.yaml", "\nask:\n", "\nask:\n  shoe_size:\n    question: {en: Size}\n")
    problem = ru_copy.only_problem()
    assert problem.message == "ask: unknown column 'shoe_size'"
    assert problem.line == ru_copy.line_of("record.yaml", "shoe_size:")


def test_a_choice_that_is_no_value_is_reported(ru_copy) -> None:
    ru_copy.replace("record.yaml", "      M: {en: Male,", "      X: {en: Male,")
    problem = ru_copy.only_problem()
    assert problem.message == "ask: sex: no such value(s) of the column: X"


@pytest.mark.parametrize("file", ["record.yaml", "rules.yaml"])
def test_a_text_without_english_is_refused(ru_copy, file: str) -> None:
    old = {
        "record.yaml": '{en: "Sex", ',
        "rules.yaml": '{en: "Passport or other proof of citizenship", ',
    }[file]
    ru_copy.replace(file, old, "{")
    with pytest.raises(RulebookError, match="English"):
        load_rulebook(ru_copy.root)
