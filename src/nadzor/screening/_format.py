"""Explanation templates as Ibis string expressions: the facts, with their values."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import ibis
import ibis.expr.types as ir

from nadzor.rules import NameInfo, Template, Wording, infer_type, language_forms
from nadzor.rules._expr_ast import Call, Name
from nadzor.rules._numbers import GROUP, GROUPED_DIGITS_MAX, UNGROUPED_DIGITS, comma_language
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
        text = join_items(value, forms.date_format)
    elif typ == "text":
        text = value
    elif typ == "decimal":
        # 719.500000 reads 719.5, and 720.000000 reads 720, on every engine
        digits = value.cast("decimal(18, 6)").cast("string")
        text = digits.re_replace(r"(\.[0-9]*[1-9])0+$", r"\1").re_replace(r"\.0+$", "")
        if comma_language(lang):
            text = _grouped(text)
    elif typ == "int" and comma_language(lang):
        text = _grouped(value.cast("string"))
    else:
        text = value.cast("string")
    return text.fill_null(forms.not_recorded)


_PADDED = GROUPED_DIGITS_MAX


def _grouped(plain: ir.StringValue) -> ir.StringValue:
    """`-195000.5` as `-195 000,5` (no-break spaces), the same on every engine: the whole
    part is padded to 12 digits (decimal(18, 6) has no more), cut in groups of three, and
    the padding with its separators taken off again. An int is grouped alike; a whole part
    of 13 or more digits (ints only) is left ungrouped rather than cut."""
    sign = ibis.ifelse(plain.startswith("-"), "-", "")
    body = plain.re_replace("^-", "")
    digits = body.re_extract(r"^([0-9]+)", 1).fill_null("")
    whole = digits.lpad(_PADDED, "#")
    fraction = body.re_extract(r"\.([0-9]+)$", 1).fill_null("")
    groups = [whole.substr(start, 3) for start in (0, 3, 6, 9)]
    joined = groups[0]
    for group in groups[1:]:
        joined = joined.concat(GROUP, group)
    joined = joined.re_replace(f"^[#{GROUP}]+", "")
    # four digits stay whole, as Russian typography writes them
    length = digits.length()
    joined = ibis.ifelse((length <= UNGROUPED_DIGITS) | (length > _PADDED), digits, joined)
    with_fraction = ibis.ifelse(fraction == "", joined, joined.concat(",", fraction))
    return sign.concat(with_fraction)


def format_template(
    template: Template,
    scope: Scope,
    names: Mapping[str, NameInfo],
    lang: str | None = None,
    wording: Wording | None = None,
) -> ir.StringValue:
    """Concatenate literal parts and formatted values; unrecorded facts say so. An enum
    field reads with its label in `lang` where `wording` gives one."""
    pieces: list[ir.StringValue] = []
    for part in template.parts:
        if part.expr is None:
            pieces.append(ibis.literal(part.text, type="string"))
            continue
        typ = infer_type(part.expr, names)
        if isinstance(part.expr, Name) and part.expr.name in scope.columns:
            # A bare field shows as recorded: an unrecorded bool is "[not recorded]", not "no".
            value = scope.columns[part.expr.name]
            labels = wording.labels_of(part.expr.name, lang) if wording else {}
            if labels:
                value = ibis.cases(
                    *((value == v, label) for v, label in labels.items()), else_=value
                )
        elif isinstance(part.expr, Call) and part.expr.func == "join":
            # the dates of a joined list read as the sentence's other dates do
            items = compile_expr(part.expr.args[0], scope)
            pieces.append(format_value(items, infer_type(part.expr.args[0], names), lang))
            continue
        else:
            value = compile_expr(part.expr, scope)
        pieces.append(format_value(value, typ, lang))
    if not pieces:
        return ibis.literal("", type="string")
    result = pieces[0]
    for piece in pieces[1:]:
        result = result.concat(piece)
    return result
