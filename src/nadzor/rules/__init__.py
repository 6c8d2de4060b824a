"""Rulebooks: law as data. The model, the loader and the expression language.

This package is pure: it imports no database, no engine and no web framework. The
screening package compiles what is loaded here into engine expressions.
"""

from nadzor.rules._build_record import DEFAULT_FALSE, DEFAULT_TRUE
from nadzor.rules._build_record import field_names as record_names
from nadzor.rules._catalog import UnknownRulebook, builtin_rulebooks, resolve_rulebook
from nadzor.rules._expr_ast import Expr
from nadzor.rules._expr_parse import ExprSyntaxError, TemplatePart, parse_expression, parse_template
from nadzor.rules._expr_types import ExprTypeError, NameInfo, infer_type
from nadzor.rules._loader import load_rulebook, rulebook_names
from nadzor.rules._measure import Measure
from nadzor.rules._model import (
    OUTCOMES,
    Ask,
    CalendarDays,
    Check,
    CheckedExpr,
    Column,
    ExpectedFinding,
    KeyCondition,
    Let,
    Parameter,
    ParamPeriod,
    Period,
    RecordType,
    Rule,
    Rulebook,
    RulePeriod,
    Source,
    TableRow,
    Template,
    TestCase,
)
from nadzor.rules._names import AS_OF, EVAL_DATE, names_used
from nadzor.rules._numbers import decimal_text, plain_decimal
from nadzor.rules._outcomes import (
    DEFAULT_OUTCOMES,
    DEFAULT_VERDICTS,
    CaseSpec,
    Judgment,
    OutcomeDef,
    VerdictDef,
)
from nadzor.rules._problems import Problem, RulebookError
from nadzor.rules._retell import Facts, Teller, read_facts, retell
from nadzor.rules._texts import DEFAULT_LANGUAGE, LanguageForms, Texts, language_forms
from nadzor.rules._wording import Wording

__all__ = [
    "AS_OF",
    "DEFAULT_FALSE",
    "DEFAULT_LANGUAGE",
    "DEFAULT_OUTCOMES",
    "DEFAULT_TRUE",
    "DEFAULT_VERDICTS",
    "EVAL_DATE",
    "OUTCOMES",
    "Ask",
    "CalendarDays",
    "CaseSpec",
    "Check",
    "CheckedExpr",
    "Column",
    "ExpectedFinding",
    "Expr",
    "ExprSyntaxError",
    "ExprTypeError",
    "Facts",
    "Judgment",
    "KeyCondition",
    "LanguageForms",
    "Let",
    "Measure",
    "NameInfo",
    "OutcomeDef",
    "ParamPeriod",
    "Parameter",
    "Period",
    "Problem",
    "RecordType",
    "Rule",
    "RulePeriod",
    "Rulebook",
    "RulebookError",
    "Source",
    "TableRow",
    "Teller",
    "Template",
    "TemplatePart",
    "TestCase",
    "Texts",
    "UnknownRulebook",
    "VerdictDef",
    "Wording",
    "builtin_rulebooks",
    "decimal_text",
    "infer_type",
    "language_forms",
    "load_rulebook",
    "names_used",
    "parse_expression",
    "parse_template",
    "plain_decimal",
    "read_facts",
    "record_names",
    "resolve_rulebook",
    "retell",
    "rulebook_names",
]
