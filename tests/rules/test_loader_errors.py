"""Every kind of rulebook error names its file and line, with a message an author recognises.

Each test copies the built-in ru-2022 into `tmp_path`, breaks one file with a small string
replacement and checks the problems that `load_rulebook` (and `nadzor rulebook check`)
reports. Line numbers are found in the edited file by a marker, so they are exact without
being hard-coded against the current layout of ru-2022.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nadzor.cli import main
from nadzor.rules import Problem, RulebookError, load_rulebook

VALID_TESTS = """\
defaults:
  callup_date: 2022-10-01
  birth_date: 1990-01-01
  sex: M
  ru_citizen: true
  in_reserve: true
  rank_group: soldier
  health_category: A
cases:
  - name: a clear record
    record: {record_id: t1}
    expect: []
  - name: a woman
    record: {sex: F}
    expect: [RU22-WOMAN]
"""

AGE_LIMIT_SECOND_PERIOD = "      - from: 2024-01-01\n        basis: 53-FZ art. 53 as amended"
MAX_AGE_SECOND_PERIOD = "      - from: 2024-01-01\n        basis: 53-FZ art. 53(1) as amended"
NOT_RESERVE_PERIOD = "{from: 2022-09-21, basis: 31-FZ art. 17(2), confidence: MEDIUM}"
MINIMUM_AGE_PERIOD = "{from: 2022-09-21, value: 18, basis: 53-FZ art. 22, confidence: MEDIUM}"


def assert_one(ru_copy, file: str, marker: str, *fragments: str) -> Problem:
    """The only problem: on the line of `file` holding `marker`, its message has `fragments`."""
    problem = ru_copy.only_problem()
    assert problem.file == ru_copy.name(file)
    assert problem.line == ru_copy.line_of(file, marker)
    for fragment in fragments:
        assert fragment in problem.message, problem.message
    return problem


def test_the_unbroken_copy_loads(ru_copy) -> None:
    book = ru_copy.load()
    assert book.id == "ru-2022"
    assert len(book.rules) == 25


def test_the_unbroken_copy_loads_with_a_valid_tests_file(ru_copy) -> None:
    ru_copy.write("tests/basic.yaml", VALID_TESTS)
    book = ru_copy.load()
    assert [t.name for t in book.tests] == ["a clear record", "a woman"]
    assert book.tests[1].file == "ru-2022/tests/basic.yaml"
    assert book.tests[1].line == ru_copy.line_of("tests/basic.yaml", "- name: a woman")


# --- YAML -----------------------------------------------------------------------------


def test_invalid_yaml(ru_copy) -> None:
    ru_copy.replace("rulebook.yaml", "jurisdiction: RU\n", "jurisdiction: RU\n  broken: here\n")
    problem = assert_one(ru_copy, "rulebook.yaml", "broken: here", "invalid YAML")
    assert problem.message == "invalid YAML: mapping values are not allowed here"


def test_invalid_yaml_unclosed_bracket(ru_copy) -> None:
    ru_copy.replace("rules.yaml", "    title: Not a citizen\n", "    title: [Not a citizen\n")
    problem = ru_copy.only_problem()
    assert problem.file == "ru-2022/rules.yaml"
    # the parser notices on the next line, where the mapping goes on
    assert problem.line == ru_copy.line_of("rules.yaml", "[Not a citizen") + 1
    assert problem.message.startswith("invalid YAML: ")


@pytest.mark.parametrize(
    ("file", "old", "new", "marker", "key"),
    [
        (
            "rules.yaml",
            "    title: Not a citizen\n    outcome: not_subject\n",
            "    title: Not a citizen\n    outcome: not_subject\n    outcome: review  # again\n",
            "# again",
            "outcome",
        ),
        (
            "parameters.yaml",
            "  children_with_pregnancy:\n",
            "  children_min:  # again\n    title: x\n    type: int\n"
            "    periods: [{from: 2022-09-21, value: 1, basis: b, confidence: HIGH}]\n"
            "  children_with_pregnancy:\n",
            "# again",
            "children_min",
        ),
        (
            "record.yaml",
            "  - {name: legislator, type: bool}",
            "  - {name: legislator, type: bool, type: int}",
            "type: int}",
            "type",
        ),
    ],
)
def test_duplicate_yaml_key(ru_copy, file: str, old: str, new: str, marker: str, key: str) -> None:
    ru_copy.replace(file, old, new)
    problem = assert_one(ru_copy, file, marker)
    assert problem.message == f"duplicate key {key!r}"


def test_file_that_is_not_a_mapping(ru_copy) -> None:
    ru_copy.write("parameters.yaml", "- just\n- a list\n")
    problem = ru_copy.only_problem()
    assert str(problem) == "ru-2022/parameters.yaml:1: expected a mapping at the top of the file"


def test_empty_file(ru_copy) -> None:
    ru_copy.write("rules.yaml", "")
    problem = ru_copy.only_problem()
    assert (problem.file, problem.line) == ("ru-2022/rules.yaml", 1)
    assert "expected a mapping" in problem.message


def test_file_that_is_not_utf8(ru_copy) -> None:
    ru_copy.path("record.yaml").write_bytes("name: реестр\n".encode("cp1251"))
    problem = ru_copy.only_problem()
    assert problem.file == "ru-2022/record.yaml"
    assert problem.message.startswith("not UTF-8 text")


# --- schema: unknown fields, wrong types, missing fields --------------------------------


@pytest.mark.parametrize(
    ("file", "old", "new", "marker", "message"),
    [
        (
            "rulebook.yaml",
            "language: en\n",
            "language: en\nlanguag: en\n",
            "languag: en",
            "languag: unknown field",
        ),
        (
            "rulebook.yaml",
            "  - id: 53-FZ\n",
            "  - id: 53-FZ\n    link: http://example.org\n",
            "link:",
            "sources[1].link: unknown field",
        ),
        (
            "record.yaml",
            "key: record_id\n",
            "key: record_id\nprimary: record_id\n",
            "primary:",
            "primary: unknown field",
        ),
        (
            "record.yaml",
            "  - {name: legislator, type: bool}",
            "  - {name: legislator, type: bool, requird: true}",
            "requird",
            ".requird: unknown field",
        ),
        (
            "record.yaml",
            "  - column: birth_date\n    error_when: birth_date > eval_date",
            "  - column: birth_date\n    severity: high\n    error_when: birth_date > eval_date",
            "severity: high",
            "checks[1].severity: unknown field",
        ),
        (
            "parameters.yaml",
            "    title: Age from which a person may be called up\n",
            "    title: Age from which a person may be called up\n    unit: years\n",
            "unit: years",
            "parameters.minimum_age.unit: unknown field",
        ),
        (
            "parameters.yaml",
            MINIMUM_AGE_PERIOD,
            MINIMUM_AGE_PERIOD[:-1] + ", valid: yes}",
            "valid: yes",
            "parameters.minimum_age.periods[0].valid: unknown field",
        ),
        (
            "rules.yaml",
            "    title: Not a citizen\n",
            "    title: Not a citizen\n    severity: high\n",
            "severity: high",
            "rules[0].severity: unknown field",
        ),
        (
            "rules.yaml",
            NOT_RESERVE_PERIOD,
            NOT_RESERVE_PERIOD[:-1] + ", source: x}",
            "source: x",
            "rules[1].periods[0].source: unknown field",
        ),
        ("rules.yaml", "\nrules:\n", "\nlets: {}\nrules:\n", "lets: {}", "lets: unknown field"),
    ],
)
def test_unknown_field(ru_copy, file: str, old: str, new: str, marker: str, message: str) -> None:
    ru_copy.replace(file, old, new)
    problem = assert_one(ru_copy, file, marker)
    assert problem.message.endswith(message), problem.message


def test_unknown_field_in_a_test_file(ru_copy) -> None:
    ru_copy.write(
        "tests/basic.yaml",
        VALID_TESTS.replace("    expect: [RU22-WOMAN]", "    expect: [RU22-WOMAN]\n    explain: x"),
    )
    problem = assert_one(ru_copy, "tests/basic.yaml", "explain: x")
    assert problem.message == "cases[1].explain: unknown field"


def test_unknown_field_in_an_expected_finding(ru_copy) -> None:
    ru_copy.write(
        "tests/basic.yaml",
        VALID_TESTS.replace(
            "expect: [RU22-WOMAN]", "expect: [{rule: RU22-WOMAN, until_day: 2022-10-01}]"
        ),
    )
    line = ru_copy.line_of("tests/basic.yaml", "until_day")
    problems = ru_copy.problems()
    assert {(p.file, p.line) for p in problems} == {("ru-2022/tests/basic.yaml", line)}
    assert any(p.message.endswith("until_day: unknown field") for p in problems)


@pytest.mark.parametrize(
    ("expect", "message"),
    [
        (
            "{rule: RU22-WOMAN, until_day: 2022-10-01}",
            "cases[1].expect[0].until_day: unknown field",
        ),
        (
            "{rule: RU22-WOMAN, outcome: maybe}",
            "cases[1].expect[0].outcome: Input should be 'not_subject', 'deferment' or 'review'",
        ),
    ],
)
def test_error_in_an_expected_finding_is_one_plain_problem(
    ru_copy, expect: str, message: str
) -> None:
    ru_copy.write(
        "tests/basic.yaml", VALID_TESTS.replace("expect: [RU22-WOMAN]", f"expect: [{expect}]")
    )
    problem = assert_one(ru_copy, "tests/basic.yaml", expect)
    assert problem.message == message


@pytest.mark.parametrize(
    ("expect", "message"),
    [
        ("[RU22-WOMAN]", "cases[1].expect[0]: Input should be a valid string"),
        ("{outcome: review}", "cases[1].expect[0].rule: Field required"),
    ],
    ids=["list-for-a-rule-id", "finding-without-rule"],
)
def test_expected_finding_of_the_wrong_shape_is_one_plain_problem(
    ru_copy, expect: str, message: str
) -> None:
    ru_copy.write(
        "tests/basic.yaml", VALID_TESTS.replace("expect: [RU22-WOMAN]", f"expect: [{expect}]")
    )
    problem = assert_one(ru_copy, "tests/basic.yaml", expect)
    assert problem.message == message


@pytest.mark.parametrize(
    ("file", "old", "new", "marker", "message"),
    [
        (
            "rulebook.yaml",
            "version: 1.0.0",
            "version: 1",
            "version:",
            "version: Input should be a valid string",
        ),
        (
            "rulebook.yaml",
            "version: 1.0.0",
            "version: '1.0'",
            "version:",
            "version: String should match pattern",
        ),
        (
            "rulebook.yaml",
            "verified_through: 2023-12-31",
            "verified_through: soon",
            "verified_through",
            "verified_through: Input should be a valid date",
        ),
        (
            "rules.yaml",
            NOT_RESERVE_PERIOD,
            NOT_RESERVE_PERIOD.replace("MEDIUM", "SURE"),
            "SURE",
            "rules[1].periods[0].confidence: Input should be 'HIGH', 'MEDIUM' or 'LOW'",
        ),
        (
            "rules.yaml",
            "    title: Not a citizen\n    outcome: not_subject\n",
            "    title: Not a citizen\n    outcome: exempt\n",
            "outcome: exempt",
            "rules[0].outcome: Input should be 'not_subject', 'deferment' or 'review'",
        ),
        (
            "rules.yaml",
            "  - id: RU22-NOT-RESERVE\n",
            "  - id: ru22-not-reserve\n",
            "ru22-not-reserve",
            "rules[1].id: String should match pattern",
        ),
        (
            "rules.yaml",
            NOT_RESERVE_PERIOD,
            NOT_RESERVE_PERIOD.replace("from: 2022-09-21", "from: 21.09.2022"),
            "21.09.2022",
            "rules[1].periods[0].from: Input should be a valid date",
        ),
        (
            "record.yaml",
            "  - {name: legislator, type: bool}",
            "  - {name: legislator, type: boolean}",
            "type: boolean",
            ".type: Input should be 'text', 'int', 'decimal', 'bool', 'date', 'enum', 'list<date>'"
            " or 'list<text>'",
        ),
        (
            "record.yaml",
            "  - {name: legislator, type: bool}",
            "  - {name: legislator, type: bool, required: maybe}",
            "required: maybe",
            ".required: Input should be a valid boolean",
        ),
        (
            "parameters.yaml",
            "    title: Age from which a person may be called up\n    type: int\n",
            "    title: Age from which a person may be called up\n    type: float\n",
            "type: float",
            "parameters.minimum_age.type: Input should be 'int', 'text', 'date', 'bool'",
        ),
    ],
)
def test_wrong_type_of_a_field(
    ru_copy, file: str, old: str, new: str, marker: str, message: str
) -> None:
    ru_copy.replace(file, old, new)
    problem = assert_one(ru_copy, file, marker)
    assert message in problem.message, problem.message


def test_wrong_type_in_a_test_file(ru_copy) -> None:
    ru_copy.write(
        "tests/basic.yaml",
        VALID_TESTS.replace("expect: [RU22-WOMAN]", "expect: [{rule: RU22-WOMAN, outcome: maybe}]"),
    )
    line = ru_copy.line_of("tests/basic.yaml", "outcome: maybe")
    problems = ru_copy.problems()
    assert {(p.file, p.line) for p in problems} == {("ru-2022/tests/basic.yaml", line)}
    assert any(
        "outcome: Input should be 'not_subject', 'deferment' or 'review'" in p.message
        for p in problems
    )


def test_wrong_type_of_a_test_case_field(ru_copy) -> None:
    ru_copy.write(
        "tests/basic.yaml",
        VALID_TESTS.replace("  - name: a woman\n", "  - name: a woman\n    as_of: someday\n"),
    )
    problem = assert_one(ru_copy, "tests/basic.yaml", "as_of: someday")
    assert problem.message.startswith("cases[1].as_of: Input should be a valid date")


def test_rule_period_without_basis_is_a_rule_without_a_citation(ru_copy) -> None:
    ru_copy.replace("rules.yaml", NOT_RESERVE_PERIOD, "{from: 2022-09-21, confidence: MEDIUM}")
    problem = assert_one(ru_copy, "rules.yaml", "{from: 2022-09-21, confidence: MEDIUM}")
    assert problem.message == "rules[1].periods[0].basis: Field required"


def test_rule_period_with_empty_basis(ru_copy) -> None:
    ru_copy.replace(
        "rules.yaml", NOT_RESERVE_PERIOD, "{from: 2022-09-21, basis: '', confidence: MEDIUM}"
    )
    problem = assert_one(ru_copy, "rules.yaml", "basis: ''")
    assert problem.message.startswith(
        "rules[1].periods[0].basis: String should have at least 1 character"
    )


def test_rule_period_with_blank_basis(ru_copy) -> None:
    ru_copy.replace(
        "rules.yaml", NOT_RESERVE_PERIOD, "{from: 2022-09-21, basis: '   ', confidence: MEDIUM}"
    )
    problem = assert_one(ru_copy, "rules.yaml", "basis: '   '")
    assert "basis" in problem.message


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "parameters.yaml",
            MINIMUM_AGE_PERIOD,
            "{from: 2022-09-21, value: 18, basis: '  ', confidence: MEDIUM}",
            "parameters.minimum_age.periods[0].basis: String should have at least 1 character",
        ),
        (
            "rulebook.yaml",
            '  basis: Decree 647 of 21.09.2022 "On announcing partial mobilization"\n',
            "  basis: '  '\n",
            "in_force.basis: String should have at least 1 character",
        ),
        (
            "rules.yaml",
            "    title: Not a citizen\n",
            "    title: ' '\n",
            "rules[0].title: String should have at least 1 character",
        ),
        (
            "parameters.yaml",
            "    title: Age from which a person may be called up\n",
            "    title: '  '\n",
            "parameters.minimum_age.title: String should have at least 1 character",
        ),
        (
            "rulebook.yaml",
            "title: Russian mobilization law, from the partial mobilization of 2022\n",
            "title: ' '\n",
            "title: String should have at least 1 character",
        ),
        (
            "rules.yaml",
            "    when: not ru_citizen\n",
            "    when: '   '\n",
            "rules[0].when: String should have at least 1 character other than spaces",
        ),
        (
            "rules.yaml",
            '    explain: "not a citizen of the Russian Federation (',
            '    explain: "  "\n    description: "not a citizen of the Russian Federation (',
            "rules[0].explain: String should have at least 1 character other than spaces",
        ),
    ],
    ids=["parameter-basis", "in-force-basis", "rule-title", "parameter-title", "rulebook-title",
         "when", "explain"],
)  # fmt: skip
def test_blank_text_is_as_empty_as_no_text(
    ru_copy, file: str, old: str, new: str, message: str
) -> None:
    ru_copy.replace(file, old, new)
    marker = new.split("\n")[0].strip()
    problem = assert_one(ru_copy, file, marker)
    assert problem.message.startswith(message), problem.message


def test_a_citation_is_kept_without_surrounding_spaces(ru_copy) -> None:
    ru_copy.replace(
        "parameters.yaml",
        MINIMUM_AGE_PERIOD,
        "{from: 2022-09-21, value: 18, basis: '  53-FZ art. 22 ', confidence: MEDIUM}",
    )
    ru_copy.replace("rules.yaml", NOT_RESERVE_PERIOD, NOT_RESERVE_PERIOD.replace(
        "basis: 31-FZ art. 17(2)", "basis: ' 31-FZ art. 17(2)  '"
    ))  # fmt: skip
    book = ru_copy.load()
    (minimum_age,) = [p for p in book.parameters if p.name == "minimum_age"]
    assert minimum_age.periods[0].basis == "53-FZ art. 22"
    (not_reserve,) = [r for r in book.rules if r.id == "RU22-NOT-RESERVE"]
    assert not_reserve.periods[0].basis == "31-FZ art. 17(2)"


def test_rule_without_periods(ru_copy) -> None:
    ru_copy.replace("rules.yaml", "    periods:\n      - " + NOT_RESERVE_PERIOD + "\n", "")
    problem = assert_one(ru_copy, "rules.yaml", "- id: RU22-NOT-RESERVE")
    assert problem.message == "rules[1].periods: Field required"


def test_rule_without_when(ru_copy) -> None:
    ru_copy.replace("rules.yaml", "    when: not ru_citizen\n", "")
    problem = assert_one(ru_copy, "rules.yaml", "- id: RU22-NOT-CITIZEN")
    assert problem.message == "rules[0].when: Field required"


def test_parameter_period_without_basis(ru_copy) -> None:
    ru_copy.replace(
        "parameters.yaml", MINIMUM_AGE_PERIOD, "{from: 2022-09-21, value: 18, confidence: MEDIUM}"
    )
    problem = assert_one(ru_copy, "parameters.yaml", "{from: 2022-09-21, value: 18, confidence")
    assert problem.message == "parameters.minimum_age.periods[0].basis: Field required"


# --- expressions in rules -------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "rule", "unknown", "suggestion"),
    [
        (
            "when: not ru_citizen",
            "when: not ru_citizn",
            "RU22-NOT-CITIZEN",
            "ru_citizn",
            "ru_citizen",
        ),
        (
            "when: age_years < minimum_age",
            "when: age_years < minimal_age",
            "RU22-MINOR",
            "minimal_age",
            "minimum_age",
        ),
        ("when: n16 >= children_min", "when: n61 >= children_min", "RU22-CHILDREN-4", "n61", "n16"),
    ],
    ids=["field", "parameter", "let"],
)
def test_unknown_name_in_when(
    ru_copy, old: str, new: str, rule: str, unknown: str, suggestion: str
) -> None:
    ru_copy.replace("rules.yaml", old, new)
    problem = assert_one(ru_copy, "rules.yaml", new)
    assert problem.message.startswith(f"rule {rule} when: unknown name {unknown!r}")
    assert f"(did you mean {suggestion!r}?)" in problem.message


def test_type_error_in_when(ru_copy) -> None:
    ru_copy.replace("rules.yaml", "when: reserved_until >= eval_date", "when: reserved_until >= 18")
    problem = assert_one(ru_copy, "rules.yaml", "reserved_until >= 18")
    assert problem.message == (
        "rule RU22-RESERVATION when: cannot compare date with int"
        " (at column 16 of 'reserved_until >= 18')"
    )


def test_when_that_is_not_bool(ru_copy) -> None:
    ru_copy.replace("rules.yaml", "    when: not ru_citizen\n", "    when: age_years  # int\n")
    problem = assert_one(ru_copy, "rules.yaml", "# int")
    assert problem.message == "rule RU22-NOT-CITIZEN when: must be bool, but 'age_years' is int"


def test_enum_value_in_when_that_the_column_does_not_have(ru_copy) -> None:
    ru_copy.replace("rules.yaml", "when: health_category == 'D'", "when: health_category == 'Д'")
    problem = assert_one(ru_copy, "rules.yaml", "health_category == 'Д'")
    assert "'Д' is not a value of health_category (allowed: A, B, D, G, V)" in problem.message


def test_syntax_error_in_when(ru_copy) -> None:
    ru_copy.replace("rules.yaml", "when: not ru_citizen", "when: not ru_citizen and")
    problem = assert_one(ru_copy, "rules.yaml", "not ru_citizen and")
    assert problem.message == (
        "rule RU22-NOT-CITIZEN when: expected a value, found end of expression"
        " (at column 19 of 'not ru_citizen and')"
    )


def test_until_that_is_not_a_date(ru_copy) -> None:
    ru_copy.replace(
        "rules.yaml", "    until: reserved_until\n", "    until: reserved_until >= eval_date\n"
    )
    problem = assert_one(ru_copy, "rules.yaml", "until: reserved_until >=")
    assert problem.message == (
        "rule RU22-RESERVATION until: must be date, but 'reserved_until >= eval_date' is bool"
    )


def test_until_on_a_rule_that_is_not_a_deferment(ru_copy) -> None:
    ru_copy.replace(
        "rules.yaml",
        "    when: not ru_citizen\n",
        "    when: not ru_citizen\n    until: eval_date\n",
    )
    problem = assert_one(ru_copy, "rules.yaml", "until: eval_date")
    assert problem.message == "rule RU22-NOT-CITIZEN: `until` is only for deferments"


def test_unknown_name_in_until(ru_copy) -> None:
    ru_copy.replace("rules.yaml", "    until: reserved_until\n", "    until: reserved_untl\n")
    problem = assert_one(ru_copy, "rules.yaml", "until: reserved_untl")
    assert "rule RU22-RESERVATION until: unknown name 'reserved_untl'" in problem.message


def test_let_errors(ru_copy) -> None:
    ru_copy.replace(
        "rules.yaml",
        "  n16: count(children_under_16)\n",
        "  n16: count(children_under_16)\n  six: 6 months\n  Bad: n16\n  sex: n16\n",
    )
    problems = ru_copy.problems()
    assert [(p.line, p.message) for p in problems] == [
        (
            ru_copy.line_of("rules.yaml", "six: 6 months"),
            "let six: a duration must be added to a date",
        ),
        (
            ru_copy.line_of("rules.yaml", "Bad: n16"),
            "let Bad: names are lower_case_with_underscores",
        ),
        (ru_copy.line_of("rules.yaml", "sex: n16"), "let sex: the name is already a field"),
    ]


# --- explain templates ----------------------------------------------------------------

CITIZEN_EXPLAIN = "(ru_citizen = {ru_citizen})"


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("(ru_citizen = {ru_citizn})", "unknown name 'ru_citizn' (did you mean 'ru_citizen'?)"),
        ("(ru_citizen = {ru_citizen)", "unclosed '{' in template"),
        ("(ru_citizen = ru_citizen})", "unmatched '}' (write '}}' for a brace)"),
        ("(ru_citizen = {ru_citizen +})", "expected a value, found end of expression"),
        ("(ru_citizen = {until})", "unknown name 'until'"),  # no `until` on this rule
        ("(ru_citizen = {eval_date + 6 months - eval_date})", "cannot apply '-' to date and date"),
    ],
    ids=["unknown-name", "unclosed", "unmatched", "syntax", "until-without-until", "type"],
)
def test_explain_template_errors(ru_copy, new: str, message: str) -> None:
    ru_copy.replace("rules.yaml", CITIZEN_EXPLAIN, new)
    problem = assert_one(ru_copy, "rules.yaml", new)
    assert problem.message.startswith(f"rule RU22-NOT-CITIZEN explain: {message}")
    assert problem.message.endswith("of the template)")


def test_explain_may_not_show_a_duration(ru_copy) -> None:
    ru_copy.replace("rules.yaml", "in force on {eval_date}", "in force on {6 months}")
    problem = assert_one(ru_copy, "rules.yaml", "in force on {6 months}")
    template = re.search(
        r'explain: "(.*)"', ru_copy.text("rules.yaml").splitlines()[problem.line - 1]
    )
    assert template is not None
    column = template.group(1).index("{6 months}") + 2
    assert problem.message == (
        "rule RU22-RESERVATION explain: a duration cannot be shown; add it to a date"
        f" (at column {column} of the template)"
    )


def test_explain_syntax_error_column_is_counted_in_the_template(ru_copy) -> None:
    ru_copy.replace("rules.yaml", CITIZEN_EXPLAIN, "(ru_citizen = {ru_citizen +})")
    problem = ru_copy.only_problem()
    line = ru_copy.text("rules.yaml").splitlines()[problem.line - 1]
    template = line.split('explain: "', 1)[1].rsplit('"', 1)[0]
    column = template.index("+}") + 2  # 1-based column of the closing brace
    assert f"(at column {column} of the template)" in problem.message


def test_explain_unknown_name_column_is_counted_in_the_template(ru_copy) -> None:
    ru_copy.replace("rules.yaml", CITIZEN_EXPLAIN, "(ru_citizen = {ru_citizn})")
    problem = ru_copy.only_problem()
    line = ru_copy.text("rules.yaml").splitlines()[problem.line - 1]
    template = line.split('explain: "', 1)[1].rsplit('"', 1)[0]
    column = template.index("{ru_citizn}") + 2  # 1-based column where the name starts
    assert f"(at column {column} of the template)" in problem.message


@pytest.mark.parametrize(
    ("new", "name"),
    [
        ("(ru_citizen = {not ru_citizn})", "ru_citizn})"),
        ("(ru_citizen = {ru_citizen} {  age(ru_citizn)})", "ru_citizn)}"),
        ("(ru_citizen = {ru_citizen}, {  6 months})", "6 months}"),
    ],
    ids=["inside-not", "second-expression", "duration-after-spaces"],
)
def test_explain_type_error_column_points_into_the_expression(ru_copy, new: str, name: str) -> None:
    ru_copy.replace("rules.yaml", CITIZEN_EXPLAIN, new)
    problem = assert_one(ru_copy, "rules.yaml", new)
    line = ru_copy.text("rules.yaml").splitlines()[problem.line - 1]
    template = line.split('explain: "', 1)[1].rsplit('"', 1)[0]
    column = template.index(name) + 1
    assert problem.message.endswith(f"(at column {column} of the template)"), problem.message


def test_explain_column_counts_leading_spaces_of_the_template(ru_copy) -> None:
    explain = '    explain: "not a citizen of the Russian Federation'
    ru_copy.replace("rules.yaml", explain, '    explain: "  {ru_citizn} not a citizen')
    problem = assert_one(ru_copy, "rules.yaml", "{ru_citizn} not a citizen")
    assert problem.message.endswith("(at column 4 of the template)"), problem.message


# --- validity periods -----------------------------------------------------------------


def test_overlapping_rule_periods(ru_copy) -> None:
    ru_copy.replace(
        "rules.yaml",
        AGE_LIMIT_SECOND_PERIOD,
        AGE_LIMIT_SECOND_PERIOD.replace("2024-01-01", "2023-12-01", 1),
    )
    problem = assert_one(ru_copy, "rules.yaml", "- from: 2023-12-01")
    assert problem.message == (
        "rule RU22-AGE-LIMIT: period from 2023-12-01 overlaps the one from 2022-09-21 (2023-12-31)"
    )


def test_rule_period_after_an_open_ended_one_overlaps(ru_copy) -> None:
    ru_copy.replace(
        "rules.yaml",
        "{from: 2022-09-21, to: 2023-12-31, basis: 53-FZ art. 53, confidence: MEDIUM}",
        "{from: 2022-09-21, basis: 53-FZ art. 53, confidence: MEDIUM}",
    )
    problem = assert_one(ru_copy, "rules.yaml", "- from: 2024-01-01")
    assert problem.message == (
        "rule RU22-AGE-LIMIT: period from 2024-01-01 overlaps the one from 2022-09-21 (open end)"
    )


def test_gapped_rule_periods(ru_copy) -> None:
    ru_copy.replace(
        "rules.yaml",
        AGE_LIMIT_SECOND_PERIOD,
        AGE_LIMIT_SECOND_PERIOD.replace("2024-01-01", "2024-02-01", 1),
    )
    problem = assert_one(ru_copy, "rules.yaml", "- from: 2024-02-01")
    assert problem.message == (
        "rule RU22-AGE-LIMIT: gap between periods: no period covers 2024-01-01 to 2024-01-31"
    )


def test_rule_periods_out_of_order(ru_copy) -> None:
    ru_copy.replace(
        "rules.yaml",
        "{from: 2022-09-21, to: 2023-12-31, basis: 53-FZ art. 53, confidence: MEDIUM}",
        "{from: 2024-03-01, to: 2024-12-31, basis: 53-FZ art. 53, confidence: MEDIUM}",
    )
    problem = assert_one(ru_copy, "rules.yaml", "- from: 2024-01-01")
    assert (
        problem.message
        == "rule RU22-AGE-LIMIT: periods must be in date order (2024-01-01 after 2024-03-01)"
    )


def test_rule_period_ending_before_it_starts(ru_copy) -> None:
    ru_copy.replace(
        "rules.yaml",
        '{from: 2022-09-21, to: 2022-11-14, basis: "31-FZ art. 17(4), original wording"',
        '{from: 2022-11-14, to: 2022-09-30, basis: "31-FZ art. 17(4), original wording"',
    )
    problem = assert_one(ru_copy, "rules.yaml", "to: 2022-09-30")
    assert problem.message == (
        "rule RU22-CONVICTION-GRAVE: period ends (2022-09-30) before it starts (2022-11-14)"
    )


def test_rule_ending_before_the_rulebook_is_in_force(ru_copy) -> None:
    ru_copy.replace(
        "rules.yaml",
        '{from: 2022-09-21, to: 2022-11-14, basis: "31-FZ art. 17(4), original wording"',
        '{from: 2022-01-01, to: 2022-09-20, basis: "31-FZ art. 17(4), original wording"',
    )
    problem = assert_one(ru_copy, "rules.yaml", "- id: RU22-CONVICTION-GRAVE")
    assert (
        problem.message
        == "rule RU22-CONVICTION-GRAVE ends before the rulebook is in force (2022-09-21)"
    )


def test_overlapping_parameter_periods(ru_copy) -> None:
    ru_copy.replace(
        "parameters.yaml",
        MAX_AGE_SECOND_PERIOD,
        MAX_AGE_SECOND_PERIOD.replace("2024-01-01", "2023-06-01", 1),
    )
    problem = assert_one(ru_copy, "parameters.yaml", "- from: 2023-06-01")
    assert problem.message == (
        "parameter max_reserve_age: period from 2023-06-01 overlaps the one from 2022-09-21"
        " (2023-12-31)"
    )


def test_gapped_parameter_periods(ru_copy) -> None:
    ru_copy.replace(
        "parameters.yaml",
        MAX_AGE_SECOND_PERIOD,
        MAX_AGE_SECOND_PERIOD.replace("2024-01-01", "2024-03-01", 1),
    )
    problem = assert_one(ru_copy, "parameters.yaml", "- from: 2024-03-01")
    assert problem.message == (
        "parameter max_reserve_age: gap between periods: no period covers 2024-01-01 to 2024-02-29"
    )


def test_parameter_period_ending_before_it_starts(ru_copy) -> None:
    ru_copy.replace("parameters.yaml", "        to: 2023-12-31\n", "        to: 2022-01-01\n")
    problems = ru_copy.problems()
    first_period = ru_copy.line_of("parameters.yaml", "to: 2022-01-01") - 1
    assert (
        Problem(
            "ru-2022/parameters.yaml",
            first_period,
            "parameter max_reserve_age: period ends (2022-01-01) before it starts (2022-09-21)",
        )
        in problems
    )
    assert all(p.file == "ru-2022/parameters.yaml" for p in problems)


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("rulebook.yaml", "  from: 2022-09-21\n", "  from: 2022-09-21\n  to: 2022-01-01\n"),
        (
            "record.yaml",
            "date_range: {min: 1900-01-01, max: 2100-12-31}",
            "date_range: {min: 2100-12-31, max: 1900-01-01}",
        ),
        ("record.yaml", "type: int, min: 0, max: 45}", "type: int, min: 45, max: 0}"),
    ],
    ids=["in_force", "date_range", "min-max"],
)
def test_inverted_range_is_reported(ru_copy, file: str, old: str, new: str) -> None:
    ru_copy.replace(file, old, new)
    problem = ru_copy.only_problem()
    assert problem.file == f"ru-2022/{file}"
    assert problem.line > 0


@pytest.mark.parametrize(
    ("file", "old", "new", "marker", "message"),
    [
        (
            "rulebook.yaml",
            "  from: 2022-09-21\n",
            "  from: 2022-09-21\n  to: 2022-01-01\n",
            "to: 2022-01-01",
            "in_force: `to` (2022-01-01) is before `from` (2022-09-21)",
        ),
        (
            "record.yaml",
            "date_range: {min: 1900-01-01, max: 2100-12-31}",
            "date_range: {min: 2100-12-31, max: 1900-01-01}",
            "date_range:",
            "date_range: `max` (1900-01-01) is before `min` (2100-12-31)",
        ),
        (
            "record.yaml",
            "date_range: {min: 1900-01-01, max: 2100-12-31}",
            "date_range:\n  min: 2100-12-31\n  max: 1900-01-01",
            "max: 1900-01-01",
            "date_range: `max` (1900-01-01) is before `min` (2100-12-31)",
        ),
        (
            "record.yaml",
            "type: int, min: 0, max: 45}",
            "type: int, min: 45, max: 0}",
            "wife_pregnancy_weeks",
            "column wife_pregnancy_weeks: `min` (45) is greater than `max` (0)",
        ),
        (
            "record.yaml",
            "  - {name: wife_pregnancy_weeks, type: int, min: 0, max: 45}",
            "  - name: wife_pregnancy_weeks\n    type: int\n    min: 45\n    max: 0",
            "max: 0",
            "column wife_pregnancy_weeks: `min` (45) is greater than `max` (0)",
        ),
    ],
    ids=["in_force", "date_range", "date_range-block", "min-max", "min-max-block"],
)
def test_inverted_range_names_its_line(
    ru_copy, file: str, old: str, new: str, marker: str, message: str
) -> None:
    ru_copy.replace(file, old, new)
    problem = assert_one(ru_copy, file, marker)
    assert problem.message == message


def test_a_range_of_one_value_is_not_inverted(ru_copy) -> None:
    ru_copy.replace("record.yaml", "type: int, min: 0, max: 45}", "type: int, min: 7, max: 7}")
    ru_copy.replace(
        "rulebook.yaml", "  from: 2022-09-21\n", "  from: 2022-09-21\n  to: 2022-09-21\n"
    )
    assert ru_copy.load().in_force_to == dt.date(2022, 9, 21)


# --- parameter values and tables -------------------------------------------------------


def test_unquoted_decimal_in_a_list_of_text(ru_copy) -> None:
    ru_copy.replace("parameters.yaml", "'205', '205.1', '205.2'", "'205', 205.1, '205.2'")
    problem = assert_one(ru_copy, "parameters.yaml", "'205', 205.1,")
    assert problem.message == (
        "parameter listed_conviction_articles: value list item 205.1: 205.1 reads as a number:"
        " quote it ('205.1') to keep it as text"
    )


@pytest.mark.parametrize(
    ("old", "new", "marker", "message"),
    [
        (
            "value: 18, basis",
            "value: '18', basis",
            "value: '18'",
            "parameter minimum_age: value expected int, got '18'",
        ),
        (
            "value: 18, basis",
            "value: 18.5, basis",
            "value: 18.5",
            "parameter minimum_age: value expected int, got 18.5",
        ),
        (
            "value: 18, basis",
            "value: true, basis",
            "value: true",
            "parameter minimum_age: value expected int, got True",
        ),
        (
            "        value: 3\n",
            "        value: three\n",
            "value: three",
            "parameter children_directive: value expected int, got 'three'",
        ),
        (
            "value: ['131', '132', '133']",
            "value: '131'",
            "value: '131'",
            "parameter check_conviction_articles: value expected a list of text",
        ),
    ],
)
def test_parameter_value_of_the_wrong_type(
    ru_copy, old: str, new: str, marker: str, message: str
) -> None:
    ru_copy.replace("parameters.yaml", old, new)
    problem = assert_one(ru_copy, "parameters.yaml", marker)
    assert problem.message == message


def test_parameter_period_with_neither_value_nor_table(ru_copy) -> None:
    ru_copy.replace(
        "parameters.yaml",
        MINIMUM_AGE_PERIOD,
        "{from: 2022-09-21, basis: 53-FZ art. 22, confidence: MEDIUM}",
    )
    problem = assert_one(ru_copy, "parameters.yaml", "{from: 2022-09-21, basis: 53-FZ art. 22,")
    assert problem.message == "parameter minimum_age: each period has either `value` or `table`"


def test_table_row_with_an_unknown_key(ru_copy) -> None:
    ru_copy.replace(
        "parameters.yaml",
        "          - {rank_group: soldier, sex: M, value: 50}",
        "          - {rank_group: soldier, gender: M, value: 50}",
    )
    problem = assert_one(ru_copy, "parameters.yaml", "gender: M")
    assert problem.message == (
        "parameter max_reserve_age: unknown key 'gender' (keys: rank_group, sex, birth_year)"
    )


def test_table_row_without_a_value(ru_copy) -> None:
    ru_copy.replace(
        "parameters.yaml",
        "          - {rank_group: soldier, sex: M, value: 50}",
        "          - {rank_group: soldier, sex: M}",
    )
    problem = assert_one(ru_copy, "parameters.yaml", "{rank_group: soldier, sex: M}")
    assert problem.message == "parameter max_reserve_age: table row without `value`"


def test_table_row_with_a_key_value_the_enum_lacks(ru_copy) -> None:
    ru_copy.replace(
        "parameters.yaml",
        "          - {rank_group: soldier, sex: M, value: 50}",
        "          - {rank_group: soldier, sex: X, value: 50}",
    )
    problem = assert_one(ru_copy, "parameters.yaml", "sex: X")
    assert problem.message == "parameter max_reserve_age: key sex: 'X' is not one of F, M"


def test_table_row_with_a_range_on_a_text_key(ru_copy) -> None:
    ru_copy.replace(
        "parameters.yaml",
        "          - {rank_group: general, sex: F, value: 50}\n      - from: 2024-01-01",
        "          - {rank_group: {min: general}, sex: F, value: 50}\n      - from: 2024-01-01",
    )
    problem = assert_one(ru_copy, "parameters.yaml", "{min: general}")
    assert (
        problem.message
        == "parameter max_reserve_age: key rank_group: ranges are for int or date keys, not text"
    )


def test_table_without_keys(ru_copy) -> None:
    ru_copy.replace(
        "parameters.yaml",
        "    keys: {rank_group: rank_group, sex: sex, birth_year: year(birth_date)}\n",
        "",
    )
    first_period = ru_copy.line_of("parameters.yaml", "to: 2023-12-31") - 1
    second_period = ru_copy.line_of("parameters.yaml", "basis: 53-FZ art. 53(1) as amended") - 1
    problems = ru_copy.problems()
    message = "parameter max_reserve_age: a `table` needs `keys` on the parameter"
    assert [p for p in problems if "needs `keys`" in p.message] == [
        Problem("ru-2022/parameters.yaml", first_period, message),
        Problem("ru-2022/parameters.yaml", second_period, message),
    ]
    assert problems[0] == Problem("ru-2022/parameters.yaml", first_period, message)


def test_table_without_keys_reports_nothing_else(ru_copy) -> None:
    ru_copy.replace(
        "parameters.yaml",
        "    keys: {rank_group: rank_group, sex: sex, birth_year: year(birth_date)}\n",
        "",
    )
    problems = ru_copy.problems()
    assert [p.message for p in problems] == [
        "parameter max_reserve_age: a `table` needs `keys` on the parameter"
    ] * 2


def test_key_expression_error_is_not_repeated_on_every_row(ru_copy) -> None:
    ru_copy.replace(
        "parameters.yaml", "birth_year: year(birth_date)}", "birth_year: year(birth_dat)}"
    )
    problems = ru_copy.problems()
    assert len(problems) == 1, "\n".join(str(p) for p in problems)


def test_key_expression_with_an_unknown_name(ru_copy) -> None:
    ru_copy.replace(
        "parameters.yaml", "birth_year: year(birth_date)}", "birth_year: year(birth_dat)}"
    )
    problems = ru_copy.problems()
    key_line = ru_copy.line_of("parameters.yaml", "keys: {")
    assert problems[0] == Problem(
        "ru-2022/parameters.yaml",
        key_line,
        "parameter max_reserve_age key birth_year: unknown name 'birth_dat' (did you mean"
        " 'birth_date'?) (at column 6 of 'year(birth_dat)')",
    )


def test_rule_using_a_parameter_before_its_first_period(ru_copy) -> None:
    ru_copy.replace(
        "rules.yaml",
        "{from: 2022-11-15, basis: 31-FZ art. 17(4) as amended by 421-FZ",
        "{from: 2022-09-21, basis: 31-FZ art. 17(4) as amended by 421-FZ",
    )
    problem = assert_one(ru_copy, "rules.yaml", "- id: RU22-CONVICTION-LISTED")
    assert problem.message == (
        "rule RU22-CONVICTION-LISTED: parameter listed_conviction_articles has no value for part"
        " of 2022-09-21 to open end"
    )


def test_rule_using_a_parameter_after_its_last_period_through_a_let(ru_copy) -> None:
    # child_age_limit is used only through the lets children_under_16 and n16
    ru_copy.replace(
        "parameters.yaml",
        "      - {from: 2022-09-21, value: 16, basis",
        "      - {from: 2022-09-21, to: 2023-12-31, value: 16, basis",
    )
    problems = ru_copy.problems()
    assert {p.file for p in problems} == {"ru-2022/rules.yaml"}
    found = {(p.line, p.message) for p in problems}
    expected = {
        (
            ru_copy.line_equal("rules.yaml", f"  - id: {rule}"),
            f"rule {rule}: parameter child_age_limit has no value for part of {start} to open end",
        )
        for rule, start in [
            ("RU22-CHILDREN-4", "2022-09-21"),
            ("RU22-SINGLE-PARENT", "2022-09-21"),
            ("RU22-PREGNANCY", "2022-09-21"),
            ("RU22-CHILDREN-3", "2022-10-04"),
        ]
    }
    assert found == expected  # RU22-CHILDREN-3-RETRO ends in 2022 and is covered


# --- rules and the record type ---------------------------------------------------------


def test_duplicate_rule_id(ru_copy) -> None:
    ru_copy.replace(
        "rules.yaml", "  - id: RU22-NOT-RESERVE\n", "  - id: RU22-NOT-CITIZEN  # twice\n"
    )
    problem = assert_one(ru_copy, "rules.yaml", "# twice")
    lines = ru_copy.text("rules.yaml").splitlines()
    first = lines.index("  - id: RU22-NOT-CITIZEN") + 1
    assert problem.message == f"rule RU22-NOT-CITIZEN is defined twice (first on line {first})"


@pytest.mark.parametrize(
    ("old", "new", "column", "message"),
    [
        (
            "values: {M: [М], F: [Ж]}",
            "values: {M: [М], F: [Ж, M]}",
            "sex",
            "'M' is given for both M and F",
        ),
        (
            "values: {M: [М], F: [Ж]}",
            "values: {M: [М], F: [Ж, m]}",
            "sex",
            "'m' is given for both M and F",
        ),
        (
            "values: {A: [А], B: [Б], V: [В], G: [Г], D: [Д]}",
            "values: {A: [А], B: [Б], V: [В, Б], G: [Г], D: [Д]}",
            "health_category",
            "'Б' is given for both B and V",
        ),
    ],
)
def test_enum_value_given_twice(ru_copy, old: str, new: str, column: str, message: str) -> None:
    ru_copy.replace("record.yaml", old, new)
    problem = assert_one(ru_copy, "record.yaml", f"- name: {column}")
    assert problem.message == f"column {column}: {message}"


def test_enum_without_values(ru_copy) -> None:
    ru_copy.replace("record.yaml", "    values: {M: [М], F: [Ж]}\n", "")
    problems = ru_copy.problems()
    assert problems[0] == Problem(
        "ru-2022/record.yaml",
        ru_copy.line_of("record.yaml", "- name: sex"),
        "column sex: an enum needs `values`",
    )


def test_column_declared_twice(ru_copy) -> None:
    ru_copy.replace(
        "record.yaml",
        "  - {name: commissariat, type: text, reporting_only: true}",
        "  - {name: region, type: text}",
    )
    problem = assert_one(ru_copy, "record.yaml", "{name: region, type: text}")
    assert problem.message == "column region is declared twice"


@pytest.mark.parametrize(
    ("old", "new", "marker", "message"),
    [
        (
            "key: record_id\n",
            "key: record_no\n",
            "key: record_no",
            "key: unknown column 'record_no'",
        ),
        (
            "evaluation_date: callup_date\n",
            "evaluation_date: call_date\n",
            "evaluation_date: call_date",
            "evaluation_date: unknown column 'call_date'",
        ),
        (
            "evaluation_date: callup_date\n",
            "evaluation_date: health_exam_date\n",
            "evaluation_date: health_exam_date",
            "evaluation_date: column health_exam_date must be required",
        ),
        ("key: record_id\n", "key: region\n", "key: region", "key: column region must be required"),
    ],
)
def test_key_and_evaluation_date_columns(
    ru_copy, old: str, new: str, marker: str, message: str
) -> None:
    ru_copy.replace("record.yaml", old, new)
    problem = assert_one(ru_copy, "record.yaml", marker)
    assert problem.message == message


def test_evaluation_date_that_is_not_a_date(ru_copy) -> None:
    ru_copy.replace("record.yaml", "evaluation_date: callup_date\n", "evaluation_date: record_id\n")
    problem = assert_one(ru_copy, "record.yaml", "evaluation_date: record_id")
    assert problem.message == "evaluation_date: column record_id is not a date"


def test_check_on_an_unknown_column(ru_copy) -> None:
    ru_copy.replace(
        "record.yaml",
        "  - column: birth_date\n    error_when: birth_date > eval_date",
        "  - column: birth_day\n    error_when: birth_date > eval_date",
    )
    problem = assert_one(ru_copy, "record.yaml", "- column: birth_day")
    assert problem.message == "check: unknown column 'birth_day'"


def test_check_message_with_an_unknown_name(ru_copy) -> None:
    ru_copy.replace(
        "record.yaml", "is after the evaluation date {eval_date}", "is after {eval_dat}"
    )
    problem = ru_copy.only_problem()
    assert problem.file == "ru-2022/record.yaml"
    assert problem.message.startswith(
        "check message: unknown name 'eval_dat' (did you mean 'eval_date'?)"
    )


def test_check_condition_error_is_on_its_own_line(ru_copy) -> None:
    ru_copy.replace(
        "record.yaml", "    error_when: birth_date > eval_date", "    error_when: birth_date > 5"
    )
    problem = assert_one(ru_copy, "record.yaml", "error_when: birth_date > 5")
    assert problem.message.startswith("check error_when: cannot compare date with int")


def test_check_message_error_is_on_its_own_line(ru_copy) -> None:
    ru_copy.replace(
        "record.yaml", "is after the evaluation date {eval_date}", "is after {eval_dat}"
    )
    problem = assert_one(ru_copy, "record.yaml", "is after {eval_dat}")
    line = ru_copy.text("record.yaml").splitlines()[problem.line - 1]
    template = line.split('message: "', 1)[1].rsplit('"', 1)[0]
    column = template.index("eval_dat") + 1
    assert problem.message.endswith(f"(at column {column} of the template)"), problem.message


def test_check_on_an_unknown_column_stays_on_the_check_line(ru_copy) -> None:
    ru_copy.replace(
        "record.yaml",
        "  - column: birth_date\n    error_when: birth_date > eval_date",
        "  - column: birth_day\n    error_when: birth_date > 5",
    )
    problems = ru_copy.problems()
    assert [(p.line, p.message.split(" (")[0]) for p in problems] == [
        (
            ru_copy.line_of("record.yaml", "- column: birth_day"),
            "check: unknown column 'birth_day'",
        ),
        (
            ru_copy.line_of("record.yaml", "error_when: birth_date > 5"),
            "check error_when: cannot compare date with int",
        ),
    ]


def test_check_condition_error(ru_copy) -> None:
    ru_copy.replace(
        "record.yaml", "    error_when: birth_date > eval_date", "    error_when: birth_date > 5"
    )
    problem = ru_copy.only_problem()
    assert problem.file == "ru-2022/record.yaml"
    check_start = ru_copy.line_of("record.yaml", "error_when: birth_date > 5") - 1
    assert problem.line in (check_start, check_start + 1)
    assert (
        problem.message
        == "check error_when: cannot compare date with int (at column 12 of 'birth_date > 5')"
    )


def test_column_named_like_the_builtin_eval_date(ru_copy) -> None:
    ru_copy.replace(
        "record.yaml",
        "  - {name: legislator, type: bool}\n",
        "  - {name: legislator, type: bool}\n  - {name: eval_date, type: text}\n",
    )
    problem = assert_one(ru_copy, "record.yaml", "name: eval_date")
    assert "eval_date" in problem.message

    assert problem.message == "column eval_date: the name is reserved for the evaluation date"


def _until_lines(ru_copy) -> list[int]:
    lines = ru_copy.text("rules.yaml").splitlines()
    return [n for n, line in enumerate(lines, start=1) if "explain:" in line and "{until}" in line]


@pytest.mark.parametrize(
    ("file", "old", "new", "kind"),
    [
        (
            "record.yaml",
            "  - {name: legislator, type: bool}\n",
            "  - {name: legislator, type: bool}\n  - {name: until, type: date}\n",
            "field",
        ),
        ("rules.yaml", "  n16: count(children_under_16)\n", "  n16: count(children_under_16)\n"
         "  until: eval_date\n", "let"),
    ],
    ids=["field", "let"],
)  # fmt: skip
def test_until_in_a_deferment_explain_may_not_hide_another_name(
    ru_copy, file: str, old: str, new: str, kind: str
) -> None:
    ru_copy.replace(file, old, new)
    problems = ru_copy.problems()
    assert _until_lines(ru_copy), "ru-2022 shows {until} in some explain"
    assert [(p.file, p.line) for p in problems] == [
        ("ru-2022/rules.yaml", line) for line in _until_lines(ru_copy)
    ]
    for problem in problems:
        assert problem.message.endswith(
            f"explain: `until` is the deferment's end here, which hides the {kind} named until;"
            f" rename the {kind}"
        ), problem.message


def test_a_field_named_until_is_fine_where_no_explain_shows_until(ru_copy) -> None:
    ru_copy.replace(
        "record.yaml",
        "  - {name: legislator, type: bool}\n",
        "  - {name: legislator, type: bool}\n  - {name: until, type: date}\n",
    )
    text = ru_copy.text("rules.yaml").replace(", until {until}", "")
    ru_copy.write("rules.yaml", text)
    book = ru_copy.load()
    assert book.record_type.column("until").type == "date"


EXTRA_PARAMETER = """
  legislator:
    title: A parameter that takes the name of a field
    type: int
    periods:
      - {from: 2022-09-21, value: 1, basis: nowhere, confidence: LOW}
"""


def test_parameter_named_like_a_field_is_reported(ru_copy) -> None:
    ru_copy.write("parameters.yaml", ru_copy.text("parameters.yaml") + EXTRA_PARAMETER)
    problems = ru_copy.problems()
    assert [p.message for p in problems if p.file == "ru-2022/parameters.yaml"] == [
        "parameter legislator: the name is already a field"
    ]


def test_parameter_named_like_a_field_names_its_line(ru_copy) -> None:
    ru_copy.write("parameters.yaml", ru_copy.text("parameters.yaml") + EXTRA_PARAMETER)
    problem = assert_one(ru_copy, "parameters.yaml", "  legislator:")
    assert problem.message == "parameter legislator: the name is already a field"


def test_parameter_named_like_a_field_leaves_the_field_to_the_rules(ru_copy) -> None:
    # RU22-LEGISLATOR uses `legislator` as a bool; the int parameter must not replace it
    ru_copy.write("parameters.yaml", ru_copy.text("parameters.yaml") + EXTRA_PARAMETER)
    assert "when: legislator" in ru_copy.text("rules.yaml")
    assert [p.file for p in ru_copy.problems()] == ["ru-2022/parameters.yaml"]


def test_parameter_named_like_the_evaluation_date(ru_copy) -> None:
    extra = EXTRA_PARAMETER.replace("  legislator:", "  eval_date:")
    ru_copy.write("parameters.yaml", ru_copy.text("parameters.yaml") + extra)
    problem = assert_one(ru_copy, "parameters.yaml", "  eval_date:")
    assert problem.message == "parameter eval_date: the name is already a builtin"


# --- the rulebook's own tests ------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "marker", "message"),
    [
        (
            "expect: [RU22-WOMAN]",
            "expect: [RU22-WOMEN]",
            "- name: a woman",
            "test 'a woman': unknown rule 'RU22-WOMEN'",
        ),
        (
            "record: {sex: F}",
            "record: {sex: F, gender: F}",
            "- name: a woman",
            "test 'a woman': unknown column 'gender'",
        ),
        ("  sex: M\n", "  sx: M\n", "sx: M", "defaults: unknown column 'sx'"),
        (
            "expect: [RU22-WOMAN]",
            "reject: [sexx]",
            "- name: a woman",
            "test 'a woman': reject names unknown column 'sexx'",
        ),
        (
            "expect: [RU22-WOMAN]",
            "expect: [{rule: RU22-WOMAN, outcome: deferment}]",
            "- name: a woman",
            "test 'a woman': rule RU22-WOMAN gives review, not deferment",
        ),
        (
            "    expect: [RU22-WOMAN]\n",
            "",
            "- name: a woman",
            "test 'a woman': give `expect` (findings) or `reject` (columns)",
        ),
    ],
)
def test_errors_in_test_files(ru_copy, old: str, new: str, marker: str, message: str) -> None:
    text = VALID_TESTS
    assert text.count(old) == 1
    ru_copy.write("tests/basic.yaml", text.replace(old, new))
    problem = assert_one(ru_copy, "tests/basic.yaml", marker)
    assert problem.message == message


def test_test_file_without_cases(ru_copy) -> None:
    ru_copy.write("tests/empty.yaml", "cases: []\n")
    problem = ru_copy.only_problem()
    assert (problem.file, problem.line) == ("ru-2022/tests/empty.yaml", 1)
    assert problem.message.startswith("cases: List should have at least 1 item")


def test_test_files_are_not_read_when_tests_are_not_wanted(ru_copy) -> None:
    ru_copy.write("tests/broken.yaml", "cases: []\n")
    book = load_rulebook(ru_copy.root, with_tests=False)
    assert book.tests == ()


# --- missing files and paths -----------------------------------------------------------


@pytest.mark.parametrize("file", ["rulebook.yaml", "record.yaml", "parameters.yaml", "rules.yaml"])
def test_missing_file(ru_copy, file: str) -> None:
    ru_copy.path(file).unlink()
    problem = ru_copy.only_problem()
    assert problem == Problem(f"ru-2022/{file}", 0, "file is missing")
    assert str(problem) == f"ru-2022/{file}: file is missing"


def test_path_that_is_not_a_rulebook(tmp_path: Path) -> None:
    with pytest.raises(RulebookError) as caught:
        load_rulebook(tmp_path / "nowhere")
    assert [p.message for p in caught.value.problems] == [
        "not a rulebook directory (no rulebook.yaml)"
    ]


def test_rulebook_yaml_path_is_accepted(ru_copy) -> None:
    assert load_rulebook(ru_copy.path("rulebook.yaml")).id == "ru-2022"


# --- several problems at once ------------------------------------------------------------


def test_several_problems_are_all_reported_sorted_by_file_and_line(ru_copy) -> None:
    ru_copy.replace(
        "rules.yaml", "  - id: RU22-NOT-RESERVE\n", "  - id: RU22-NOT-CITIZEN  # twice\n"
    )
    ru_copy.replace("rules.yaml", "when: not ru_citizen", "when: not ru_citizn")
    ru_copy.replace("parameters.yaml", "'205', '205.1', '205.2'", "'205', 205.1, '205.2'")
    ru_copy.replace(
        "record.yaml",
        "  - column: birth_date\n    error_when: birth_date > eval_date",
        "  - column: birth_day\n    error_when: birth_date > eval_date",
    )
    ru_copy.write(
        "tests/basic.yaml", VALID_TESTS.replace("expect: [RU22-WOMAN]", "expect: [RU22-WOMEN]")
    )
    problems = ru_copy.problems()
    where = [(p.file, p.line) for p in problems]
    assert where == [
        ("ru-2022/parameters.yaml", ru_copy.line_of("parameters.yaml", "'205', 205.1")),
        ("ru-2022/record.yaml", ru_copy.line_of("record.yaml", "column: birth_day")),
        ("ru-2022/rules.yaml", ru_copy.line_of("rules.yaml", "not ru_citizn")),
        ("ru-2022/rules.yaml", ru_copy.line_of("rules.yaml", "# twice")),
        ("ru-2022/tests/basic.yaml", ru_copy.line_of("tests/basic.yaml", "- name: a woman")),
    ]
    assert where == sorted(where)


def test_schema_problems_in_several_files_are_all_reported(ru_copy) -> None:
    ru_copy.replace("rulebook.yaml", "language: en\n", "language: en\nlanguag: en\n")
    ru_copy.replace(
        "rules.yaml", "    title: Not a citizen\n", "    title: Not a citizen\n    severity: high\n"
    )
    ru_copy.replace("record.yaml", "key: record_id\n", "key: record_id\nprimary: record_id\n")
    record_line = ru_copy.line_of("record.yaml", "primary:")
    meta_line = ru_copy.line_of("rulebook.yaml", "languag:")
    rules_line = ru_copy.line_of("rules.yaml", "severity:")
    problems = ru_copy.problems()
    assert [str(p) for p in problems] == [
        f"ru-2022/record.yaml:{record_line}: primary: unknown field",
        f"ru-2022/rulebook.yaml:{meta_line}: languag: unknown field",
        f"ru-2022/rules.yaml:{rules_line}: rules[0].severity: unknown field",
    ]


def test_rulebook_error_message_names_the_first_problem_and_counts_the_rest(ru_copy) -> None:
    ru_copy.replace("rulebook.yaml", "language: en\n", "language: en\nlanguag: en\n")
    ru_copy.replace(
        "rules.yaml", "    title: Not a citizen\n", "    title: Not a citizen\n    severity: high\n"
    )
    with pytest.raises(RulebookError) as caught:
        ru_copy.load()
    line = ru_copy.line_of("rulebook.yaml", "languag:")
    assert str(caught.value) == f"ru-2022/rulebook.yaml:{line}: languag: unknown field (and 1 more)"


# --- the command line ------------------------------------------------------------------

PROBLEM_LINE = re.compile(r"^ru-2022/[\w/.-]+\.yaml:\d+: \S.*$")


def test_cli_check_prints_file_line_message_and_exits_2(ru_copy) -> None:
    ru_copy.replace("rules.yaml", "when: not ru_citizen", "when: not ru_citizn")
    ru_copy.replace("parameters.yaml", "'205', '205.1', '205.2'", "'205', 205.1, '205.2'")
    result = subprocess.run(
        [sys.executable, "-m", "nadzor", "rulebook", "check", "ru-2022"],
        cwd=ru_copy.root.parent,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[:2] == [
        f"ru-2022/parameters.yaml:{ru_copy.line_of('parameters.yaml', '205.1,')}: parameter"
        " listed_conviction_articles: value list item 205.1: 205.1 reads as a number: quote it"
        " ('205.1') to keep it as text",
        f"ru-2022/rules.yaml:{ru_copy.line_of('rules.yaml', 'ru_citizn')}: rule RU22-NOT-CITIZEN"
        " when: unknown name 'ru_citizn' (did you mean 'ru_citizen'?)"
        " (at column 5 of 'not ru_citizn')",
    ]
    assert all(PROBLEM_LINE.match(line) for line in lines[:2])
    assert lines[2] == "nadzor: error: 2 problem(s) in rulebook ru-2022"
    assert result.stdout == ""


def test_cli_check_of_a_missing_file(ru_copy, capsys: pytest.CaptureFixture[str]) -> None:
    ru_copy.path("rules.yaml").unlink()
    with pytest.raises(SystemExit) as exit_info:
        main(["rulebook", "check", str(ru_copy.root)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "ru-2022/rules.yaml: file is missing"
    assert err[1].startswith("nadzor: error: 1 problem(s) in rulebook ")


def test_cli_check_of_a_good_rulebook(ru_copy, capsys: pytest.CaptureFixture[str]) -> None:
    ru_copy.write("tests/basic.yaml", VALID_TESTS)
    main(["rulebook", "check", str(ru_copy.root)])
    out = capsys.readouterr().out
    assert re.fullmatch(r"ok: ru-2022@\d+\.\d+\.\d+: 25 rules, \d+ parameters, 2 tests\n", out)
