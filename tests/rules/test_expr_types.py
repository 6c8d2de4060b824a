"""Type rules of the expression language: operators, enums, names and function signatures."""

from __future__ import annotations

import pytest

from nadzor.rules import ExprTypeError, NameInfo, infer_type, parse_expression

NAMES: dict[str, NameInfo] = {
    "flag": NameInfo("bool", "field"),
    "n": NameInfo("int", "field"),
    "t": NameInfo("text", "field"),
    "d": NameInfo("date", "field"),
    "sex": NameInfo("text", "field", frozenset({"M", "F"})),
    "kids": NameInfo("list<date>", "field"),
    "arts": NameInfo("list<text>", "field"),
    "listed": NameInfo("list<text>", "parameter"),
    "nums": NameInfo("list<int>", "parameter"),
    "months_p": NameInfo("int", "parameter"),
    "a_let": NameInfo("int", "let"),
    "eval_date": NameInfo("date", "builtin"),
    "ru_citizen": NameInfo("bool", "field"),
}


def typ(text: str) -> str:
    return infer_type(parse_expression(text), NAMES)


def type_error(text: str) -> ExprTypeError:
    with pytest.raises(ExprTypeError) as err:
        infer_type(parse_expression(text), NAMES)
    return err.value


# --- literals, names and operators ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", "int"),
        ("'x'", "text"),
        ("2022-09-21", "date"),
        ("true", "bool"),
        ("flag", "bool"),
        ("n", "int"),
        ("t", "text"),
        ("d", "date"),
        ("kids", "list<date>"),
        ("eval_date", "date"),
        ("a_let", "int"),
        ("n + 1", "int"),
        ("n - a_let", "int"),
        ("-n", "int"),
        ("6 months", "duration"),
        ("months_p months", "duration"),
    ],
)
def test_types_of_simple_expressions(text: str, expected: str) -> None:
    assert typ(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "flag == true",
        "flag != false",
        "n < 3",
        "n >= a_let",
        "t == 'x'",
        "t != 'x'",
        "d <= eval_date",
        "d > 2022-01-01",
        "d == eval_date",
        "not flag",
        "flag and n > 1 or not ru_citizen",
    ],
)
def test_comparisons_and_logic_are_bool(text: str) -> None:
    assert typ(text) == "bool"


@pytest.mark.parametrize(
    ("text", "message", "pos"),
    [
        ("d < 3", "cannot compare date with int", 2),
        ("n == d", "cannot compare int with date", 2),
        ("flag == 1", "cannot compare bool with int", 5),
        ("t == 1", "cannot compare text with int", 2),
        ("kids == kids", "cannot compare list<date> with list<date>", 5),
        ("6 months == 6 months", "cannot compare duration with duration", 9),
        ("t < 'x'", "'<' compares numbers or dates, not text", 2),
        ("flag >= true", "'>=' compares numbers or dates, not bool", 5),
    ],
)
def test_comparison_type_errors(text: str, message: str, pos: int) -> None:
    err = type_error(text)
    assert str(err) == message
    assert err.pos == pos


@pytest.mark.parametrize(
    ("text", "message", "pos"),
    [
        ("not n", "'not' needs bool, got int", 4),
        ("flag and n", "'and' needs bool, got int", 9),
        ("n or flag", "'or' needs bool, got int", 0),
        ("-t", "'-' needs int, got text", 1),
        ("t months", "a duration's amount needs int, got text", 0),
        ("d months", "a duration's amount needs int, got date", 0),
    ],
)
def test_operand_type_errors(text: str, message: str, pos: int) -> None:
    err = type_error(text)
    assert str(err) == message
    assert err.pos == pos


# --- dates and durations --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "d + 6 months",
        "d - 1 day",
        "d + months_p months",
        "6 months + d",
        "eval_date - 16 years",
        "2022-08-31 + 6 months",
        "d + 1 year - 1 day",
    ],
)
def test_date_plus_or_minus_duration_is_a_date(text: str) -> None:
    assert typ(text) == "date"


@pytest.mark.parametrize(
    ("text", "left", "right", "op"),
    [
        ("d - 6", "date", "int", "-"),
        ("d + 1", "date", "int", "+"),
        ("d + d", "date", "date", "+"),
        ("d - eval_date", "date", "date", "-"),
        ("n - d", "int", "date", "-"),
        ("6 months - d", "duration", "date", "-"),
        ("n + 6 months", "int", "duration", "+"),
        ("t + 'x'", "text", "text", "+"),
    ],
)
def test_arithmetic_type_errors_suggest_durations(
    text: str, left: str, right: str, op: str
) -> None:
    err = type_error(text)
    assert str(err).startswith(f"cannot apply '{op}' to {left} and {right}")
    assert "'6 months' or '1 day'" in str(err)


# --- enums ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["sex == 'M'", "'F' == sex", "sex != 'F'", "sex in ['M', 'F']"])
def test_enum_literals_that_are_allowed(text: str) -> None:
    assert typ(text) == "bool"


@pytest.mark.parametrize(
    ("text", "bad", "pos"),
    [
        ("sex == 'X'", "X", 7),
        ("'X' == sex", "X", 0),
        ("sex != 'X'", "X", 7),
        ("sex in ['M', 'X']", "X", 13),
        ("sex not in ['X']", "X", 12),
        ("sex == 'm'", "m", 7),  # enum values are exact in expressions
    ],
)
def test_enum_literal_outside_the_allowed_values_names_them(text: str, bad: str, pos: int) -> None:
    err = type_error(text)
    assert str(err) == f"{bad!r} is not a value of sex (allowed: F, M)"
    assert err.pos == pos


def test_non_enum_text_accepts_any_literal() -> None:
    assert typ("t == 'anything'") == "bool"
    assert typ("t in ['a', 'b']") == "bool"


# --- names ----------------------------------------------------------------------------


def test_unknown_name_suggests_a_close_one() -> None:
    err = type_error("not ru_citizn")
    assert str(err) == "unknown name 'ru_citizn' (did you mean 'ru_citizen'?)"
    assert err.pos == 4


def test_unknown_parameter_suggests_the_parameter() -> None:
    err = type_error("arts == listd")
    assert str(err) == "unknown name 'listd' (did you mean 'listed'?)"
    assert err.pos == 8


def test_unknown_name_without_anything_close_has_no_suggestion() -> None:
    err = type_error("zzzzzz")
    assert str(err) == "unknown name 'zzzzzz'"
    assert "did you mean" not in str(err)


def test_names_are_only_those_given() -> None:
    with pytest.raises(ExprTypeError, match="unknown name 'n'"):
        infer_type(parse_expression("n > 1"), {})


# --- lists and membership -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[1, 2]", "list<int>"),
        ("['a', t]", "list<text>"),
        ("[d, 2022-01-01, d + 1 day]", "list<date>"),
        ("[]", "list<any>"),
    ],
)
def test_list_literal_types(text: str, expected: str) -> None:
    assert typ(text) == expected


@pytest.mark.parametrize(
    ("text", "message", "pos"),
    [
        ("[1, 'a']", "list items must all be int, got text", 4),
        ("[d, 1]", "list items must all be date, got int", 4),
        ("['a', 'b', 3]", "list items must all be text, got int", 11),
        ("[flag]", "list items must be int, text or date, got bool", 0),
        ("[[1]]", "list items must be int, text or date, got list<int>", 0),
        ("[6 months]", "list items must be int, text or date, got duration", 0),
    ],
)
def test_list_items_must_share_one_scalar_type(text: str, message: str, pos: int) -> None:
    err = type_error(text)
    assert str(err) == message
    assert err.pos == pos


@pytest.mark.parametrize(
    "text", ["n in [1, 2]", "n not in nums", "t in arts", "d in kids", "n in []", "'205' in listed"]
)
def test_membership(text: str) -> None:
    assert typ(text) == "bool"


@pytest.mark.parametrize(
    ("text", "left", "right"),
    [
        ("t in [1]", "text", "list<int>"),
        ("n in arts", "int", "list<text>"),
        ("n in n", "int", "int"),
    ],
)
def test_membership_needs_a_list_of_the_value_type(text: str, left: str, right: str) -> None:
    err = type_error(text)
    op = "not in" if "not in" in text else "in"
    assert str(err) == f"'{op}' needs a value and a list of its type, got {left} and {right}"


# --- functions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("count(kids)", "int"),
        ("count(arts)", "int"),
        ("count([])", "int"),
        ("under(kids, 16)", "list<date>"),
        ("count(under(kids, 16)) >= 4", "bool"),
        ("youngest(kids, 4)", "date"),
        ("youngest(under(kids, 16), months_p) - 1 day", "date"),
        ("any_in(arts, listed)", "bool"),
        ("any_in(arts, ['131', '132'])", "bool"),
        ("any_in(arts, [])", "bool"),
        ("common(arts, listed)", "list<text>"),
        ("common(kids, kids)", "list<date>"),
        ("common([], [])", "list<any>"),
        ("join(kids)", "text"),
        ("join(common(arts, listed))", "text"),
        ("join(nums)", "text"),
        ("age(d)", "int"),
        ("age(d, eval_date)", "int"),
        ("age(d, 2024-01-01) >= 50", "bool"),
        ("birthday(d, 16)", "date"),
        ("add_years(d, 1)", "date"),
        ("add_months(d, months_p)", "date"),
        ("add_days(d, -1)", "date"),
        ("year(d)", "int"),
        ("recorded(t)", "bool"),
        ("recorded(sex)", "bool"),
        ("recorded(kids)", "bool"),
        ("not recorded(d) or d > eval_date", "bool"),
    ],
)
def test_function_results(text: str, expected: str) -> None:
    assert typ(text) == expected


@pytest.mark.parametrize(
    ("text", "got", "expected"),
    [
        ("count(n)", "count(int)", "count(list<T>)"),
        ("count(kids, arts)", "count(list<date>, list<text>)", "count(list<T>)"),
        ("under(arts, 16)", "under(list<text>, int)", "under(list<date>, int)"),
        ("under(kids, '16')", "under(list<date>, text)", "under(list<date>, int)"),
        ("youngest(kids)", "youngest(list<date>)", "youngest(list<date>, int)"),
        ("youngest(kids, d)", "youngest(list<date>, date)", "youngest(list<date>, int)"),
        ("any_in(arts, kids)", "any_in(list<text>, list<date>)", "any_in(list<T>, list<T>)"),
        ("any_in(t, arts)", "any_in(text, list<text>)", "any_in(list<T>, list<T>)"),
        ("common(arts, nums)", "common(list<text>, list<int>)", "common(list<T>, list<T>)"),
        ("join(t)", "join(text)", "join(list<T>)"),
        ("age(n)", "age(int)", "age(date) or age(date, date)"),
        ("age()", "age()", "age(date) or age(date, date)"),
        ("age(d, d, d)", "age(date, date, date)", "age(date) or age(date, date)"),
        ("age(d, 2024)", "age(date, int)", "age(date) or age(date, date)"),
        ("year(n)", "year(int)", "year(date)"),
        ("birthday(d)", "birthday(date)", "birthday(date, int)"),
    ],
)
def test_function_signature_errors(text: str, got: str, expected: str) -> None:
    err = type_error(text)
    assert str(err) == f"wrong arguments: {got}; expected {expected}"
    assert err.pos == 0


def test_age_takes_one_or_two_dates() -> None:
    assert typ("age(d)") == typ("age(d, eval_date)") == "int"


@pytest.mark.parametrize(
    "text",
    [
        "recorded(months_p)",  # a parameter
        "recorded(a_let)",  # a let value
        "recorded(eval_date)",  # the builtin evaluation date
        "recorded(1)",
        "recorded('t')",
        "recorded(d + 1 day)",
        "recorded()",
        "recorded(t, n)",
    ],
)
def test_recorded_takes_exactly_one_record_field(text: str) -> None:
    err = type_error(text)
    assert str(err) == "recorded() takes one record field, e.g. recorded(health_category)"
    assert err.pos == 0


def test_recorded_of_an_unknown_field_names_it() -> None:
    err = type_error("recorded(hleath)")
    assert str(err).startswith("unknown name 'hleath'")


def test_unknown_function_lists_the_known_ones() -> None:
    err = type_error("n > 1 and frob(t)")
    assert str(err).startswith(
        "unknown function 'frob' (known: add_days, add_months, add_working_days, add_years, age,"
    )
    assert "youngest" in str(err)
    assert err.pos == 10


def test_errors_inside_arguments_point_into_the_argument() -> None:
    err = type_error("count(under(kids, t))")
    assert err.pos == 6  # the inner call
    err = type_error("age(d, eval_dat)")
    assert str(err) == "unknown name 'eval_dat' (did you mean 'eval_date'?)"
    assert err.pos == 7


@pytest.mark.parametrize(
    ("text", "expected"), [("any_in([], arts)", "bool"), ("common([], arts)", "list<text>")]
)
def test_empty_list_literal_matches_either_argument(text: str, expected: str) -> None:
    assert typ(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("any_in(arts, [])", "bool"),
        ("common(arts, [])", "list<text>"),
        ("common([], nums)", "list<int>"),
        ("any_in([], [])", "bool"),
        ("common([], [])", "list<any>"),
        ("count([])", "int"),
        ("join([])", "text"),
        ("any_in([], ['205'])", "bool"),
    ],
)
def test_empty_list_literal_fits_any_list_argument(text: str, expected: str) -> None:
    assert typ(text) == expected


def test_empty_list_literal_does_not_unify_different_item_types() -> None:
    err = type_error("common(nums, arts)")
    assert str(err).startswith("wrong arguments: common(list<int>, list<text>)")
    err = type_error("any_in([1], arts)")
    assert str(err).startswith("wrong arguments: any_in(list<int>, list<text>)")
