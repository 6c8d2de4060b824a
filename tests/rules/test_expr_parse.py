"""The expression grammar: precedence, literals, durations, templates and syntax-error offsets."""

from __future__ import annotations

import datetime as dt

import pytest

from nadzor.rules import ExprSyntaxError, parse_expression, parse_template
from nadzor.rules._expr_ast import (
    BinaryOp,
    BoolLit,
    BoolOp,
    Call,
    Compare,
    DateLit,
    Duration,
    Expr,
    IntLit,
    ListLit,
    Name,
    Neg,
    Not,
    TextLit,
)


def show(node: Expr) -> str:
    """The tree as an s-expression without offsets: `(or (and (not a) b) c)`."""
    if isinstance(node, Name):
        return node.name
    if isinstance(node, IntLit):
        return str(node.value)
    if isinstance(node, DateLit):
        return f"#{node.value.isoformat()}"
    if isinstance(node, TextLit):
        return repr(node.value)
    if isinstance(node, BoolLit):
        return "#true" if node.value else "#false"
    if isinstance(node, ListLit):
        return "[" + " ".join(show(item) for item in node.items) + "]"
    if isinstance(node, Duration):
        return f"({node.unit} {show(node.amount)})"
    if isinstance(node, Call):
        return f"(call {node.func}" + "".join(f" {show(a)}" for a in node.args) + ")"
    if isinstance(node, Neg):
        return f"(neg {show(node.operand)})"
    if isinstance(node, Not):
        return f"(not {show(node.operand)})"
    if isinstance(node, BoolOp):
        return f"({node.op} " + " ".join(show(op) for op in node.operands) + ")"
    if isinstance(node, Compare | BinaryOp):
        return f"({node.op} {show(node.left)} {show(node.right)})"
    raise AssertionError(node)


def parsed(text: str) -> str:
    return show(parse_expression(text))


# --- precedence and boolean structure -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("not a and b or c", "(or (and (not a) b) c)"),
        ("a or b and c", "(or a (and b c))"),
        ("a or not b and c", "(or a (and (not b) c))"),
        ("not (a or b)", "(not (or a b))"),
        ("a and b and c", "(and a b c)"),
        ("a or b or c", "(or a b c)"),
        ("not not a", "(not (not a))"),
        ("a and (b or c)", "(and a (or b c))"),
    ],
)
def test_boolean_precedence(text: str, tree: str) -> None:
    assert parsed(text) == tree


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("n >= 4 and m < 2", "(and (>= n 4) (< m 2))"),
        ("not n == 3", "(not (== n 3))"),
        ("a + 1 > b - 2", "(> (+ a 1) (- b 2))"),
        ("a - b - c", "(- (- a b) c)"),
        ("-a + b", "(+ (neg a) b)"),
        ("a - -1", "(- a (neg 1))"),
    ],
)
def test_comparison_binds_looser_than_arithmetic(text: str, tree: str) -> None:
    assert parsed(text) == tree


@pytest.mark.parametrize(
    ("text", "op"),
    [
        ("a == b", "=="),
        ("a = b", "=="),  # a single '=' reads as equality, as a lawyer writes it
        ("a != b", "!="),
        ("a < b", "<"),
        ("a <= b", "<="),
        ("a > b", ">"),
        ("a >= b", ">="),
        ("a in b", "in"),
        ("a not in b", "not in"),
    ],
)
def test_every_comparison_operator(text: str, op: str) -> None:
    node = parse_expression(text)
    assert isinstance(node, Compare)
    assert node.op == op
    assert show(node) == f"({op} a b)"
    assert node.pos == 2  # the operator's offset


def test_not_in_versus_not_of_in() -> None:
    assert parsed("sex not in ['M', 'F']") == "(not in sex ['M' 'F'])"
    assert parsed("not sex in ['M']") == "(not (in sex ['M']))"
    assert parsed("x not in [] and y") == "(and (not in x []) y)"


@pytest.mark.parametrize(
    ("text", "offset"),
    [("a < b < c", 6), ("1 == 2 != 3", 7), ("a <= b >= c", 7), ("x = y = z", 6)],
)
def test_chained_comparison_is_an_error_at_the_second_operator(text: str, offset: int) -> None:
    with pytest.raises(ExprSyntaxError, match="chained comparison: join the two with 'and'") as err:
        parse_expression(text)
    assert err.value.pos == offset


def test_chained_comparison_joined_with_and_is_fine() -> None:
    assert parsed("a <= b and b <= c") == "(and (<= a b) (<= b c))"


# --- durations, dates and `year` ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("6 months", "(months 6)"),
        ("1 month", "(months 1)"),
        ("1 day", "(days 1)"),
        ("2 days", "(days 2)"),
        ("1 year", "(years 1)"),
        ("16 years", "(years 16)"),
        ("temp_unfit_months months", "(months temp_unfit_months)"),
        ("(n + 1) years", "(years (+ n 1))"),
        ("health_exam_date + 6 months", "(+ health_exam_date (months 6))"),
        (
            "health_exam_date + temp_unfit_months months",
            "(+ health_exam_date (months temp_unfit_months))",
        ),
        ("birthday(b, 16) - 1 day", "(- (call birthday b 16) (days 1))"),
        ("6 months + d", "(+ (months 6) d)"),
    ],
)
def test_durations(text: str, tree: str) -> None:
    assert parsed(text) == tree


def test_duration_offset_is_its_amount() -> None:
    node = parse_expression("d + 6 months")
    assert isinstance(node, BinaryOp)
    assert isinstance(node.right, Duration)
    assert node.right.pos == 4
    assert node.right.unit == "months"


def test_year_is_a_function_before_a_bracket_and_a_unit_after_a_value() -> None:
    assert parsed("year(birth_date)") == "(call year birth_date)"
    assert parsed("year(birth_date) >= 1978") == "(>= (call year birth_date) 1978)"
    assert parsed("d + 1 year") == "(+ d (years 1))"
    # a unit right after a value followed by a bracket is not swallowed as a duration
    assert parsed("year(d) + 1 year") == "(+ (call year d) (years 1))"


@pytest.mark.parametrize("unit", ["year", "years", "month", "months", "day", "days"])
def test_a_bare_unit_is_not_a_value(unit: str) -> None:
    with pytest.raises(ExprSyntaxError, match=f"expected a value, found keyword '{unit}'") as err:
        parse_expression(unit)
    assert err.value.pos == 0


def test_date_literal_versus_subtraction() -> None:
    node = parse_expression("2022-09-21")
    assert node == DateLit(dt.date(2022, 9, 21), 0)
    assert parsed("a - 1") == "(- a 1)"
    assert parsed("a-1") == "(- a 1)"
    assert parsed("2022 - 09 - 21") == "(- (- 2022 9) 21)"
    assert parsed("eval_date >= 2022-11-15") == "(>= eval_date #2022-11-15)"
    assert parsed("2022-09-21 - 1 day") == "(- #2022-09-21 (days 1))"


def test_date_literal_must_be_a_calendar_day() -> None:
    with pytest.raises(ExprSyntaxError, match="not a calendar date: 2022-02-30") as err:
        parse_expression("d < 2022-02-30")
    assert err.value.pos == 4
    assert parsed("d < 2024-02-29") == "(< d #2024-02-29)"


# --- literals -------------------------------------------------------------------------


def test_int_and_bool_literals() -> None:
    assert parse_expression("42") == IntLit(42, 0)
    assert parse_expression("true") == BoolLit(True, 0)
    assert parse_expression("false") == BoolLit(False, 0)
    assert parsed("flag == false") == "(== flag #false)"


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("'D'", "D"),
        ('"D"', "D"),
        ("''", ""),
        (r"'it\'s'", "it's"),
        (r'"say \"no\""', 'say "no"'),
        (r"'back\\slash'", "back\\slash"),
        ('"it\'s"', "it's"),
        ("'Г'", "Г"),
    ],
)
def test_text_literals_and_escapes(text: str, value: str) -> None:
    assert parse_expression(text) == TextLit(value, 0)


def test_unknown_escape_points_at_the_backslash() -> None:
    with pytest.raises(ExprSyntaxError, match=r"unknown escape \\n in text literal") as err:
        parse_expression(r"x == 'a\nb'")
    assert err.value.pos == 7  # x == 'a<here>


def test_unterminated_text_literal_is_reported_at_its_quote() -> None:
    with pytest.raises(ExprSyntaxError, match=r"^unclosed text literal$") as err:
        parse_expression("x == 'abc")
    assert err.value.pos == 5


@pytest.mark.parametrize(
    ("text", "offset"),
    [('x == "abc', 5), ("x == 'a\\'", 5), ("t in ['a', 'b]", 11), ("'", 0)],
    ids=["double-quote", "escaped-closing-quote", "in-a-list", "lone-quote"],
)
def test_unclosed_text_literal_is_reported_at_its_opening_quote(text: str, offset: int) -> None:
    with pytest.raises(ExprSyntaxError) as err:
        parse_expression(text)
    assert str(err.value) == "unclosed text literal"
    assert err.value.pos == offset


@pytest.mark.parametrize(
    ("text", "offset", "number"),
    [("n > 1.5", 4, "1.5"), ("205.1 in arts", 0, "205.1"), ("add_months(d, 0.25)", 14, "0.25")],
)
def test_decimal_number_is_reported_as_unsupported(text: str, offset: int, number: str) -> None:
    with pytest.raises(ExprSyntaxError) as err:
        parse_expression(text)
    assert str(err.value) == (
        f"decimal numbers are not supported; use a whole number, or quote text as '{number}'"
    )
    assert err.value.pos == offset


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("[]", "[]"),
        ("[1]", "[1]"),
        ("['131', '132', '133']", "['131' '132' '133']"),
        ("[2022-01-01, d + 1 day]", "[#2022-01-01 (+ d (days 1))]"),
        ("[[1], []]", "[[1] []]"),
    ],
)
def test_list_literals(text: str, tree: str) -> None:
    assert parsed(text) == tree


def test_calls() -> None:
    assert parsed("f()") == "(call f)"
    assert parsed("age(b, eval_date)") == "(call age b eval_date)"
    assert (
        parsed("join(common(conviction_articles, listed))")
        == "(call join (call common conviction_articles listed))"
    )
    assert parsed("count(under(kids, 16)) >= 4") == "(>= (call count (call under kids 16)) 4)"


def test_offsets_of_nodes() -> None:
    node = parse_expression("a and  count(x) == 3")
    assert isinstance(node, BoolOp)
    assert node.pos == 0
    compare = node.operands[1]
    assert isinstance(compare, Compare)
    assert compare.pos == 16
    assert isinstance(compare.left, Call)
    assert compare.left.pos == 7
    assert compare.left.args == (Name("x", 13),)


# --- syntax errors and their offsets --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "offset", "message"),
    [
        ("", 0, "empty expression"),
        ("   ", 0, "empty expression"),
        ("a +", 3, "expected a value, found end of expression"),
        ("(a", 2, "expected ')', found end of expression"),
        ("(a b)", 3, "expected ')', found 'b'"),
        ("a b", 2, "unexpected 'b' after a complete expression"),
        ("a == == b", 5, "expected a value, found '=='"),
        ("a @ b", 2, "unexpected character '@'"),
        ("a.b", 1, "unexpected character '.'"),
        ("and", 0, "expected a value, found keyword 'and'"),
        ("a and or b", 6, "expected a value, found keyword 'or'"),
        ("x in", 4, "expected a value, found end of expression"),
        ("f(a,", 4, "expected a value, found end of expression"),
        ("f(a b)", 4, "expected ')', found 'b'"),
        ("[1,", 3, "expected a value, found end of expression"),
        ("[1 2]", 3, "expected ']', found '2'"),
        ("a )", 2, "unexpected ')' after a complete expression"),
        ("1.5", 0, "decimal numbers are not supported; use a whole number, or quote text as '1.5'"),
        ("a not b", 2, "unexpected 'not' after a complete expression"),
    ],
)
def test_syntax_error_offsets(text: str, offset: int, message: str) -> None:
    with pytest.raises(ExprSyntaxError) as err:
        parse_expression(text)
    assert str(err.value) == message
    assert err.value.pos == offset


def test_syntax_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="empty expression"):
        parse_expression("")


# --- templates ------------------------------------------------------------------------


def test_template_literal_and_expression_parts() -> None:
    parts = parse_template("aged {age_years} on {eval_date}")
    assert [(p.text, p.expr is not None) for p in parts] == [
        ("aged ", False),
        ("age_years", True),
        (" on ", False),
        ("eval_date", True),
    ]
    assert parts[1].expr == Name("age_years", 0)  # offsets inside the braces start at 0
    assert parts[1].pos == 6  # where the expression starts in the template
    assert parts[3].pos == 21


def test_template_expressions_are_full_expressions() -> None:
    parts = parse_template("born {join(under(kids, 16))}; until {d + 6 months}")
    shown = [show(p.expr) for p in parts if p.expr is not None]
    assert shown == ["(call join (call under kids 16))", "(+ d (months 6))"]


def test_template_double_braces_are_literal_braces() -> None:
    parts = parse_template("{{literal}} and {x} }}")
    assert [p.text for p in parts] == ["{literal} and ", "x", " }"]
    assert [p.expr is not None for p in parts] == [False, True, False]


def test_template_without_expressions() -> None:
    parts = parse_template("plain text")
    assert len(parts) == 1
    assert parts[0].text == "plain text"
    assert parts[0].expr is None
    assert parse_template("") == []


@pytest.mark.parametrize(
    ("text", "offset", "message"),
    [
        ("aged {age", 5, "unclosed '{' in template"),
        ("a } b", 2, "unmatched '}' (write '}}' for a brace)"),
        ("x {a +} y", 6, "expected a value, found end of expression"),
        ("{}", 1, "empty expression"),
        ("ok {a b}", 6, "unexpected 'b' after a complete expression"),
        ("{a} then {b @}", 12, "unexpected character '@'"),
        (
            "{a} then {b + 1.5}",
            14,
            "decimal numbers are not supported; use a whole number, or quote text as '1.5'",
        ),
        ("{a} then {b == 'x}", 15, "unclosed text literal"),
    ],
)
def test_template_errors_report_offsets_in_the_whole_template(
    text: str, offset: int, message: str
) -> None:
    with pytest.raises(ExprSyntaxError) as err:
        parse_template(text)
    assert str(err.value) == message
    assert err.value.pos == offset
