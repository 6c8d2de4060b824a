"""Texts of one language kept in a file of their own, `translations/LANG.yaml`.

A translator edits that file without touching the lawyer's: each rule's title,
description and explanation template in the language, checked like the English ones
(names known, types right). A text given inline in `rules.yaml` wins over the file's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from nadzor.rules._context import BuildContext
from nadzor.rules._expr_types import NameInfo
from nadzor.rules._files import TranslationFile
from nadzor.rules._model import (
    Column,
    Parameter,
    RecordType,
    Rule,
    RulePeriod,
    Source,
    Template,
)
from nadzor.rules._names import UNTIL
from nadzor.rules._texts import Texts
from nadzor.rules._wording import Wording

__all__ = [
    "TranslatedParts",
    "apply_other_translations",
    "apply_translations",
    "build_wording",
]


@dataclasses.dataclass(frozen=True)
class TranslatedParts:
    """The parts of a rulebook whose texts a translation file may give in its language."""

    parameters: tuple[Parameter, ...]
    rules: tuple[Rule, ...]
    columns: tuple[Column, ...]
    in_force_basis: str
    sources: tuple[Source, ...] = ()


def _with(texts: Texts | None, lang: str, text: str | None) -> Texts | None:
    if text is None or texts is None or lang in texts.languages:
        return texts
    return Texts({**dict(texts.items()), lang: text.strip()})


def _period_with(period: RulePeriod, lang: str, template: Template | None) -> RulePeriod:
    if template is None or any(code == lang for code, _ in period.explains):
        return period
    return dataclasses.replace(period, explains=(*period.explains, (lang, template)))


def _rule(
    ctx: BuildContext,
    file: str,
    tree: Any,
    rule: Rule,
    spec: Any,
    lang: str,
    names: Mapping[str, NameInfo],
) -> Rule:
    line = tree.key_lines.get(rule.id, 0)
    template = None
    if spec.explain is not None:
        explain_names = dict(names)
        if any(p.until is not None for p in rule.periods):
            explain_names[UNTIL] = NameInfo("date", "builtin")
        template = ctx.template(spec.explain, explain_names, file, line, f"rule {rule.id} explain")
    return dataclasses.replace(
        rule,
        title=_with(rule.title, lang, spec.title) or rule.title,
        description=_with(rule.description, lang, spec.description),
        periods=tuple(_period_with(p, lang, template) for p in rule.periods),
    )


def apply_translations(
    ctx: BuildContext,
    root: Path,
    languages: Sequence[str],
    rules: Sequence[Rule],
    names: Mapping[str, NameInfo],
    declared: Collection[str],
) -> tuple[list[Rule], dict[str, TranslationFile], dict[str, Any]]:
    """The rules with the texts of every `translations/LANG.yaml`, those files, and where
    each was read (file, tree) for the lines of later problems."""
    found: dict[str, TranslationFile] = {}
    trees: dict[str, Any] = {}
    built = list(rules)
    for path in sorted((root / "translations").glob("*.yaml")):
        lang = path.stem
        file = ctx.rel(path)
        if lang not in languages:
            ctx.add(
                file, 0, f"language {lang!r} is not declared (languages: {', '.join(languages)})"
            )
            continue
        spec, tree = ctx.read(path, TranslationFile)
        if spec is None:
            continue
        found[lang] = spec
        trees[lang] = (file, tree)
        by_id = {r.id: i for i, r in enumerate(built)}
        for rule_id, rule_spec in spec.rules.items():
            if rule_id not in by_id:
                if rule_id not in declared:  # a rule in error is reported on its own
                    ctx.add(file, tree["rules"].key_lines[rule_id], f"unknown rule {rule_id!r}")
                continue
            index = by_id[rule_id]
            built[index] = _rule(ctx, file, tree["rules"], built[index], rule_spec, lang, names)
    return built, found, trees


def build_wording(
    ctx: BuildContext,
    translations: Mapping[str, TranslationFile],
    where: Mapping[str, Any],
    record: RecordType,
    sources: Sequence[Source],
) -> Wording:
    """The labels of enum values and the citations of every translation, checked: a label
    names an enum column and one of its values, a source one of the rulebook's."""
    labels: list[tuple[str, str, str, str]] = []
    citations: list[tuple[str, str, str]] = []
    named: list[tuple[str, str, str, str]] = []
    enums = {c.name: c for c in record.columns if c.type == "enum"}
    for lang, spec in translations.items():
        file, tree = where.get(lang, ("", None))
        for column, values in spec.labels.items():
            line = _line(tree, "labels", column)
            enum = enums.get(column)
            if enum is None or enum.values is None:
                ctx.add(file, line, f"labels: {column!r} is not an enum column")
                continue
            for value, label in values.items():
                if value not in enum.values:
                    ctx.add(file, line, f"labels: {column}: {value!r} is not one of its values")
                    continue
                labels.append((lang, column, value, str(label).strip()))
        # A citation no rule uses (a basis since reworded) is kept, not an error: the
        # lawyer's edit of rules.yaml must not wait for the translator.
        given = {**spec.basis, **spec.citations}
        citations += [(lang, written, str(text).strip()) for written, text in given.items()]
        known = {source.id for source in sources}
        for source_id, texts in spec.sources.items():
            if source_id not in known:
                line = _line(tree, "sources", source_id)
                ctx.add(file, line, f"sources: {source_id!r} is not one of the rulebook's sources")
                continue
            named.append((lang, source_id, texts.name or "", texts.number or ""))
    return Wording(tuple(labels), tuple(citations), tuple(named))


def _line(tree: Any, section: str, key: str) -> int:
    try:
        return int(tree[section].key_lines.get(key, 0))
    except (KeyError, TypeError, AttributeError):
        return 0


def _with_text(value: str, lang: str, text: str) -> Texts:
    base = Texts(value) if not isinstance(value, Texts) else value
    if lang in base.languages:
        return base
    return Texts({**dict(base.items()), lang: text.strip()})


class _Citations:
    """A translation file's citations, applied to the periods that use them."""

    def __init__(self, lang: str, given: Mapping[str, str]) -> None:
        self.lang, self.given, self.used = lang, given, set[str]()

    def __call__(self, text: str | None) -> str | None:
        if text is None or str(text) not in self.given:
            return text
        self.used.add(str(text))
        return _with_text(text, self.lang, self.given[str(text)])

    def period(self, period: Any) -> Any:
        return dataclasses.replace(period, basis=self(period.basis), note=self(period.note))


def apply_other_translations(
    ctx: BuildContext,
    root: Path,
    translations: Mapping[str, TranslationFile],
    parts: TranslatedParts,
) -> TranslatedParts:
    """Parameter titles, column descriptions and citations (bases and notes) of each
    `translations/LANG.yaml`; a name or citation the rulebook does not have is an error."""
    for lang, spec in translations.items():
        file = ctx.rel(root / "translations" / f"{lang}.yaml")
        cite = _Citations(lang, spec.citations)
        params = {p.name: p for p in parts.parameters}
        for name in sorted(set(spec.parameters) - set(params)):
            ctx.add(file, 0, f"unknown parameter {name!r}")
        for name in sorted(set(spec.columns) - {c.name for c in parts.columns}):
            ctx.add(file, 0, f"unknown column {name!r}")
        new_params = []
        for param in parts.parameters:
            texts = spec.parameters.get(param.name)
            title = (
                _with_text(param.title, lang, texts.title) if texts and texts.title else param.title
            )
            description = param.description
            if texts and texts.description and description is not None:
                description = _with_text(description, lang, texts.description)
            periods = tuple(cite.period(p) for p in param.periods)
            new_params.append(
                dataclasses.replace(param, title=title, description=description, periods=periods)
            )
        new_rules = [
            dataclasses.replace(rule, periods=tuple(cite.period(p) for p in rule.periods))
            for rule in parts.rules
        ]
        new_columns = [
            dataclasses.replace(
                c, description=_with_text(c.description, lang, spec.columns[c.name])
            )
            if c.name in spec.columns and c.description is not None
            else c
            for c in parts.columns
        ]
        in_force = cite(parts.in_force_basis) or parts.in_force_basis
        for text in sorted(set(spec.citations) - cite.used):
            ctx.add(file, 0, f"citation {text!r} is not the basis or note of any period")
        sources = []
        for source in parts.sources:
            given = spec.sources.get(source.id)
            if given is not None and given.name:
                source = dataclasses.replace(source, name=_with_text(source.name, lang, given.name))
            if given is not None and given.note and source.note is not None:
                source = dataclasses.replace(source, note=_with_text(source.note, lang, given.note))
            sources.append(source)
        parts = TranslatedParts(
            tuple(new_params), tuple(new_rules), tuple(new_columns), in_force, tuple(sources)
        )
    return parts
