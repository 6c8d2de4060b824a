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
from nadzor.rules._model import Rulebook, Template
from nadzor.rules._names import UNTIL
from nadzor.rules._numbers import decimal_text, plain_decimal
from nadzor.rules._texts import language_forms

__all__ = ["Facts", "Teller", "read_facts", "retell"]

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


class Teller:
    """Reads facts out of explanations and tells them again, for one rulebook (the names
    and the templates' patterns are worked out once, for a whole import or page)."""

    def __init__(self, rulebook: Rulebook) -> None:
        self.rulebook = rulebook
        self._rules = {rule.id: rule for rule in rulebook.rules}
        self._names = rulebook_names(rulebook)
        self._names[UNTIL] = NameInfo("date", "builtin")
        self._patterns: dict[int, re.Pattern[str]] = {}

    def facts(self, rule_id: str, text: str, day: dt.date | None = None) -> Facts | None:
        """The facts `text` states, read with the rule's templates; None if none fits."""
        rule = self._rules.get(rule_id)
        if rule is None or not text:
            return None
        order = list(range(len(rule.periods)))
        if day is not None:  # the period in force on the day first
            order.sort(key=lambda i: not rule.periods[i].covers(day))
        for index in order:
            for lang, template in rule.periods[index].explains:
                values = self._match(template, text, lang)
                if values is not None:
                    return Facts(index, values)
        return None

    def tell(self, rule_id: str, facts: Facts, lang: str) -> str | None:
        """The explanation in `lang`; None when its template needs a fact not there."""
        rule = self._rules.get(rule_id)
        if rule is None or not 0 <= facts.period < len(rule.periods):
            return None
        period = rule.periods[facts.period]
        if all(code != lang for code, _ in period.explains):
            return None  # no text in the language: the stored one, not English in its forms
        template = period.explain_in(lang)
        pieces: list[str] = []
        for part in template.parts:
            if part.expr is None:
                pieces.append(part.text)
                continue
            key = _key(part.text)
            if key not in facts.values:
                return None
            typ, column = _typing(part.expr, self._names)
            pieces.append(_write(self.rulebook, facts.values[key], typ, column, lang))
        return "".join(pieces)

    def _match(self, template: Template, text: str, lang: str) -> dict[str, Fact] | None:
        pattern = self._patterns.get(id(template))
        if pattern is None:
            pattern = re.compile(
                "".join(
                    re.escape(part.text) if part.expr is None else "(.*?)"
                    for part in template.parts
                ),
                flags=re.DOTALL,
            )
            self._patterns[id(template)] = pattern
        found = pattern.fullmatch(text)
        if found is None:
            return None
        values: dict[str, Fact] = {}
        exprs = [part for part in template.parts if part.expr is not None]
        for part, written in zip(exprs, found.groups(), strict=True):
            typ, column = _typing(part.expr, self._names)
            value = _read(self.rulebook, written, typ, column, lang)
            if value is _UNREADABLE:
                return None
            key = _key(part.text)
            if key in values and values[key] != value:
                return None  # one expression stated twice with two values: not this one
            values[key] = value  # type: ignore[assignment]
        return values


def read_facts(
    rulebook: Rulebook, rule_id: str, text: str, day: dt.date | None = None
) -> Facts | None:
    """The facts `text` states, read with the templates of rule `rule_id`; None if none fits."""
    return Teller(rulebook).facts(rule_id, text, day)


def retell(rulebook: Rulebook, rule_id: str, facts: Facts, lang: str) -> str | None:
    """The explanation in `lang` from `facts`; None when the template needs a fact not there."""
    return Teller(rulebook).tell(rule_id, facts, lang)


def _typing(expr: Any, names: Mapping[str, NameInfo]) -> tuple[str, str | None]:
    """The expression's type, and the enum column it is when it is one bare."""
    try:
        typ = infer_type(expr, names)
    except ValueError:
        typ = "text"
    info = names.get(expr.name) if isinstance(expr, Name) else None
    column = expr.name if info is not None and info.enum_values is not None else None
    return typ, column


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
    if typ in ("decimal", "int"):
        return decimal_text(str(value), lang)
    if column is not None:
        return rulebook.wording.label(column, str(value), lang)
    return str(value)
