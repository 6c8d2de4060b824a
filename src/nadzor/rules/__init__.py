"""Rulebooks: law as data. The model, the loader and the expression language.

This package is pure: it imports no database, no engine and no web framework. The
screening package compiles what is loaded here into engine expressions.

The names below load on first use: a run that takes its rulebook from the cache (see
`_cache`) needs the model classes, not the YAML reader and the Pydantic file models that
check a rulebook's files.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nadzor.rules._build_record import DEFAULT_FALSE, DEFAULT_TRUE
    from nadzor.rules._build_record import field_names as record_names
    from nadzor.rules._catalog import UnknownRulebook, builtin_rulebooks, resolve_rulebook
    from nadzor.rules._expr_ast import Expr
    from nadzor.rules._expr_parse import (
        ExprSyntaxError,
        TemplatePart,
        parse_expression,
        parse_template,
    )
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
    from nadzor.rules._stored import files_digest
    from nadzor.rules._texts import DEFAULT_LANGUAGE, LanguageForms, Texts, language_forms
    from nadzor.rules._wording import Wording

_WHERE: dict[str, tuple[str, str]] = {
    "AS_OF": ("_names", "AS_OF"),
    "Ask": ("_model", "Ask"),
    "CalendarDays": ("_model", "CalendarDays"),
    "CaseSpec": ("_outcomes", "CaseSpec"),
    "Check": ("_model", "Check"),
    "CheckedExpr": ("_model", "CheckedExpr"),
    "Column": ("_model", "Column"),
    "DEFAULT_FALSE": ("_build_record", "DEFAULT_FALSE"),
    "DEFAULT_LANGUAGE": ("_texts", "DEFAULT_LANGUAGE"),
    "DEFAULT_OUTCOMES": ("_outcomes", "DEFAULT_OUTCOMES"),
    "DEFAULT_TRUE": ("_build_record", "DEFAULT_TRUE"),
    "DEFAULT_VERDICTS": ("_outcomes", "DEFAULT_VERDICTS"),
    "EVAL_DATE": ("_names", "EVAL_DATE"),
    "ExpectedFinding": ("_model", "ExpectedFinding"),
    "Expr": ("_expr_ast", "Expr"),
    "ExprSyntaxError": ("_expr_parse", "ExprSyntaxError"),
    "ExprTypeError": ("_expr_types", "ExprTypeError"),
    "Facts": ("_retell", "Facts"),
    "Judgment": ("_outcomes", "Judgment"),
    "KeyCondition": ("_model", "KeyCondition"),
    "LanguageForms": ("_texts", "LanguageForms"),
    "Let": ("_model", "Let"),
    "Measure": ("_measure", "Measure"),
    "NameInfo": ("_expr_types", "NameInfo"),
    "OUTCOMES": ("_model", "OUTCOMES"),
    "OutcomeDef": ("_outcomes", "OutcomeDef"),
    "ParamPeriod": ("_model", "ParamPeriod"),
    "Parameter": ("_model", "Parameter"),
    "Period": ("_model", "Period"),
    "Problem": ("_problems", "Problem"),
    "RecordType": ("_model", "RecordType"),
    "Rule": ("_model", "Rule"),
    "RulePeriod": ("_model", "RulePeriod"),
    "Rulebook": ("_model", "Rulebook"),
    "RulebookError": ("_problems", "RulebookError"),
    "Source": ("_model", "Source"),
    "TableRow": ("_model", "TableRow"),
    "Teller": ("_retell", "Teller"),
    "Template": ("_model", "Template"),
    "TemplatePart": ("_expr_parse", "TemplatePart"),
    "TestCase": ("_model", "TestCase"),
    "Texts": ("_texts", "Texts"),
    "UnknownRulebook": ("_catalog", "UnknownRulebook"),
    "VerdictDef": ("_outcomes", "VerdictDef"),
    "Wording": ("_wording", "Wording"),
    "builtin_rulebooks": ("_catalog", "builtin_rulebooks"),
    "decimal_text": ("_numbers", "decimal_text"),
    "files_digest": ("_stored", "files_digest"),
    "infer_type": ("_expr_types", "infer_type"),
    "language_forms": ("_texts", "language_forms"),
    "load_rulebook": ("_loader", "load_rulebook"),
    "names_used": ("_names", "names_used"),
    "parse_expression": ("_expr_parse", "parse_expression"),
    "parse_template": ("_expr_parse", "parse_template"),
    "plain_decimal": ("_numbers", "plain_decimal"),
    "read_facts": ("_retell", "read_facts"),
    "record_names": ("_build_record", "field_names"),
    "resolve_rulebook": ("_catalog", "resolve_rulebook"),
    "retell": ("_retell", "retell"),
    "rulebook_names": ("_loader", "rulebook_names"),
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _WHERE[name]
    value = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
    globals()[name] = value
    return value


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
    "files_digest",
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
