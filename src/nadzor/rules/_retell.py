"""A finding's explanation told again in another language, from the facts it states.

The screen writes each explanation in one language (`--lang`, English by default). A page
in another language reads the facts back out of that sentence by matching it against the
rule's templates (every period, every language), then fills the rule's template of the
page's language with the same facts: dates, yes/no, decimals and enum values written as
that language writes them. Nothing is guessed: when no template matches the stored
sentence (another rulebook version, a hand-edited file) there are no facts, and the
caller shows the stored sentence as it is.

Facts are plain JSON values keyed by the expression's text without spaces: ISO dates,
true/false, decimals as `195000.5`, enum values by their canonical word, None for a value
not recorded. They are stored with the finding at import, so a page never parses again.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nadzor.rules._expr_ast import Name
from nadzor.rules._expr_types import NameInfo, infer_type
from nadzor.rules._loader import rulebook_names
from nadzor.rules._model import Rule, Rulebook, Template
from nadzor.rules._names import UNTIL
from nadzor.rules._numbers import decimal_text, plain_decimal
from nadzor.rules._texts import language_forms

__all__ = ["Facts", "read_facts", "retell"]

Fact = str | int | bool | None


@dataclass(frozen=True)
class Facts:
    """The period of the rule whose template matched, and the values it stated."""

    period: int
    values: Mapping[str, Fact]

    def to_json(self) -> dict[str, Any]:
        return {"period": self.period, "values": dict(self.values)}

    @classmethod
    def from_json(cls, data: Any) -> Facts | None:
        if not isinstance(data, dict) or not isinstance(data.get("values"), dict):
            return None
        period = data.get("period")
        return cls(period if isinstance(period, int) else 0, dict(data["values"]))


def _key(source: str) -> str:
    return "".join(source.split())


def read_facts(
    rulebook: Rulebook, rule_id: str, text: str, day: dt.date | None = None
) -> Facts | None:
    """The facts `text` states, read with the templates of rule `rule_id`; None if none fits."""
    rule = _rule(rulebook, rule_id)
    if rule is None or not text:
        return None
    order = list(range(len(rule.periods)))
    if day is not None:  # the period in force on the day first
        order.sort(key=lambda i: not rule.periods[i].covers(day))
    names = _names(rulebook)
    for index in order:
        for lang, template in rule.periods[index].explains:
            values = _match(rulebook, template, text, lang, names)
            if values is not None:
                return Facts(index, values)
    return None


def retell(rulebook: Rulebook, rule_id: str, facts: Facts, lang: str) -> str | None:
    """The explanation in `lang` from `facts`; None when the template needs a fact not there."""
    rule = _rule(rulebook, rule_id)
    if rule is None or not 0 <= facts.period < len(rule.periods):
        return None
    template = rule.periods[facts.period].explain_in(lang)
    names = _names(rulebook)
    pieces: list[str] = []
    for part in template.parts:
        if part.expr is None:
            pieces.append(part.text)
            continue
        key = _key(part.text)
        if key not in facts.values:
            return None
        typ, column = _typing(part.expr, names)
        pieces.append(_write(rulebook, facts.values[key], typ, column, lang))
    return "".join(pieces)


def _rule(rulebook: Rulebook, rule_id: str) -> Rule | None:
    return next((r for r in rulebook.rules if r.id == rule_id), None)


def _names(rulebook: Rulebook) -> dict[str, NameInfo]:
    names = rulebook_names(rulebook)
    names[UNTIL] = NameInfo("date", "builtin")
    return names


def _typing(expr: Any, names: Mapping[str, NameInfo]) -> tuple[str, str | None]:
    """The expression's type, and the enum column it is when it is one bare."""
    try:
        typ = infer_type(expr, names)
    except ValueError:
        typ = "text"
    info = names.get(expr.name) if isinstance(expr, Name) else None
    column = expr.name if info is not None and info.enum_values is not None else None
    return typ, column


def _match(
    rulebook: Rulebook, template: Template, text: str, lang: str, names: Mapping[str, NameInfo]
) -> dict[str, Fact] | None:
    pattern = "".join(
        re.escape(part.text) if part.expr is None else "(.*?)" for part in template.parts
    )
    found = re.fullmatch(pattern, text, flags=re.DOTALL)
    if found is None:
        return None
    values: dict[str, Fact] = {}
    exprs = [part for part in template.parts if part.expr is not None]
    for part, written in zip(exprs, found.groups(), strict=True):
        typ, column = _typing(part.expr, names)
        value = _read(rulebook, written, typ, column, lang)
        if value is _UNREADABLE:
            return None
        key = _key(part.text)
        if key in values and values[key] != value:
            return None  # one expression stated twice, with two values: not this template
        values[key] = value  # type: ignore[assignment]
    return values


_UNREADABLE = object()


def _read(rulebook: Rulebook, written: str, typ: str, column: str | None, lang: str) -> object:
    forms = language_forms(lang)
    if written == forms.not_recorded:
        return None
    if typ == "date":
        try:
            return dt.datetime.strptime(written, forms.date_format).date().isoformat()
        except ValueError:
            return _UNREADABLE
    if typ == "bool":
        return {forms.yes: True, forms.no: False}.get(written, _UNREADABLE)
    if typ == "int":
        plain = plain_decimal(written)
        return int(plain) if plain is not None and "." not in plain else _UNREADABLE
    if typ == "decimal":
        plain = plain_decimal(written)
        return plain if plain is not None else _UNREADABLE
    if column is not None:
        labels = rulebook.wording.labels_of(column, lang)
        back = {label: value for value, label in labels.items()}
        return back.get(written, written)
    return written


def _write(rulebook: Rulebook, value: Fact, typ: str, column: str | None, lang: str) -> str:
    forms = language_forms(lang)
    if value is None:
        return forms.not_recorded
    if typ == "date" and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).strftime(forms.date_format)
        except ValueError:
            return value
    if typ == "bool" and isinstance(value, bool):
        return forms.yes if value else forms.no
    if typ == "decimal":
        return decimal_text(str(value), lang)
    if column is not None:
        return rulebook.wording.label(column, str(value), lang)
    return str(value)
