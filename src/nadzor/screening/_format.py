"""Explanation templates as Ibis string expressions: the facts, with their values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from nadzor.rules import NameInfo, Template, infer_type, language_forms
from nadzor.rules._expr_ast import Name
from nadzor.screening._compile import Scope, compile_expr, join_items

__all__ = ["NOT_RECORDED", "format_template", "format_value"]

#: How an unrecorded fact reads inside an explanation.
NOT_RECORDED = "[not recorded]"


def format_value(value: Any, typ: str, lang: str | None = None) -> ir.StringValue:
    forms = language_forms(lang)
    if typ == "date":
        text = value.strftime(forms.date_format)
    elif typ == "bool":
        # not ifelse: a null condition would read as "no"
        text = ibis.cases((value, forms.yes), (~value, forms.no), else_=ibis.null("string"))
    elif typ.startswith("list<"):
        text = join_items(value)
    elif typ == "text":
        text = value
    elif typ == "decimal":
        # 719.500000 reads 719.5, and 720.000000 reads 720, on every engine
        digits = value.cast("decimal(18, 6)").cast("string")
        text = digits.re_replace(r"(\.[0-9]*[1-9])0+$", r"\1").re_replace(r"\.0+$", "")
    else:
        text = value.cast("string")
    return text.fill_null(forms.not_recorded)


def format_template(
    template: Template, scope: Scope, names: Mapping[str, NameInfo], lang: str | None = None
) -> ir.StringValue:
    """Concatenate literal parts and formatted values; unrecorded facts say so."""
    pieces: list[ir.StringValue] = []
    for part in template.parts:
        if part.expr is None:
            pieces.append(ibis.literal(part.text, type="string"))
            continue
        typ = infer_type(part.expr, names)
        if isinstance(part.expr, Name) and part.expr.name in scope.columns:
            # A bare field shows as recorded: an unrecorded bool is "[not recorded]", not "no".
            value = scope.columns[part.expr.name]
        else:
            value = compile_expr(part.expr, scope)
        pieces.append(format_value(value, typ, lang))
    if not pieces:
        return ibis.literal("", type="string")
    result = pieces[0]
    for piece in pieces[1:]:
        result = result.concat(piece)
    return result
