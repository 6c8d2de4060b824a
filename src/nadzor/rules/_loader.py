"""Load a rulebook directory into a checked `Rulebook`, or report every problem found.

Layout of a rulebook directory:

    rulebook.yaml     metadata, legal sources, period in force, verified_through
    record.yaml       the record type it screens: columns, value forms, row checks
    parameters.yaml   dated parameters with citations
    rules.yaml        `let` values and the rules
    tests/*.yaml      the rulebook's own test cases
    translations/LANG.yaml   titles and explanations in another language (optional)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from nadzor.rules._build_meta import (
    build_case,
    build_languages,
    build_measure,
    build_outcomes,
    texts,
)
from nadzor.rules._build_params import build_parameters
from nadzor.rules._build_record import build_record_type, field_names
from nadzor.rules._build_rules import build_lets, build_rules, check_calendar_literals
from nadzor.rules._build_tests import build_tests
from nadzor.rules._build_translations import (
    TranslatedParts,
    apply_other_translations,
    apply_translations,
    build_wording,
)
from nadzor.rules._context import BuildContext
from nadzor.rules._expr_types import NameInfo
from nadzor.rules._files import MetaFile, ParametersFile, RecordTypeFile, RulesFile, TestsFile
from nadzor.rules._model import Parameter, Rulebook, Source, TestCase
from nadzor.rules._problems import Problem, RulebookError
from nadzor.rules._texts import DEFAULT_LANGUAGE, Texts

__all__ = ["load_rulebook", "rulebook_names"]


def _root_of(path: Path) -> Path:
    if path.is_file() and path.name == "rulebook.yaml":
        return path.parent
    if path.is_dir():
        return path
    raise RulebookError([Problem(str(path), 0, "not a rulebook directory (no rulebook.yaml)")])


def _meta_sources(meta: MetaFile) -> tuple[Source, ...]:
    return tuple(Source(s.id, s.name, s.number, s.date, s.url, s.note) for s in meta.sources)


def _check_in_force(ctx: BuildContext, file: str, meta: MetaFile, tree: Any) -> None:
    in_force = meta.in_force
    if in_force.to is not None and in_force.to < in_force.from_:
        line = tree["in_force"].key_lines["to"]
        ctx.add(file, line, f"in_force: `to` ({in_force.to}) is before `from` ({in_force.from_})")


def _with_parameters(
    ctx: BuildContext,
    file: str,
    tree: Any,
    fields: Mapping[str, NameInfo],
    params: Sequence[Parameter],
) -> dict[str, NameInfo]:
    """The fields and the parameters; a parameter cannot take a field's name."""
    names = dict(fields)
    for param in params:
        if param.name in fields:
            # the field keeps its name, so rules using it get no follow-on type errors
            kind = fields[param.name].kind
            ctx.add(
                file,
                tree.key_lines[param.name],
                f"parameter {param.name}: the name is already a {kind}",
            )
        else:
            names[param.name] = NameInfo(param.type, "parameter")
    return names


def load_rulebook(path: Path, *, with_tests: bool = True) -> Rulebook:
    """Load and check the rulebook at `path`; raises `RulebookError` listing all problems."""
    root = _root_of(path)
    ctx = BuildContext(root)
    meta, meta_tree = ctx.read(root / "rulebook.yaml", MetaFile)
    record_spec, record_tree = ctx.read(root / "record.yaml", RecordTypeFile)
    params_spec, params_tree = ctx.read(root / "parameters.yaml", ParametersFile)
    rules_spec, rules_tree = ctx.read(root / "rules.yaml", RulesFile)
    if meta is None or record_spec is None or params_spec is None or rules_spec is None:
        raise RulebookError(ctx.problems)
    meta_file = ctx.rel(root / "rulebook.yaml")
    _check_in_force(ctx, meta_file, meta, meta_tree)
    languages = build_languages(ctx, meta_file, meta, meta_tree)
    title = texts(ctx, meta_file, meta_tree.key_lines["title"], meta.title, languages, "title")
    description = (
        texts(
            ctx,
            meta_file,
            meta_tree.key_lines["description"],
            meta.description,
            languages,
            "description",
        )
        if meta.description is not None
        else None
    )
    outcomes, verdicts = build_outcomes(ctx, meta_file, meta, meta_tree, languages)
    record = build_record_type(ctx, ctx.rel(root / "record.yaml"), record_spec, record_tree)
    if record is None:
        raise RulebookError(ctx.problems)
    case = build_case(ctx, meta_file, meta.case, meta_tree, record)
    fields = field_names(record)
    params_file = ctx.rel(root / "parameters.yaml")
    params_tree = params_tree["parameters"] if params_spec.parameters else {}
    params = build_parameters(ctx, params_file, params_spec.parameters, params_tree, fields)
    names = _with_parameters(ctx, params_file, params_tree, fields, params)
    rules_file = ctx.rel(root / "rules.yaml")
    lets = build_lets(ctx, rules_file, rules_spec.let, rules_tree, names)
    # a parameter named like a field is reported above; the rules' name means the field
    params_by_name = {p.name: p for p in params if p.name not in fields}
    rules = build_rules(
        ctx,
        rules_file,
        rules_spec.rules,
        rules_tree,
        names,
        lets,
        params_by_name,
        meta.in_force.from_,
        outcomes,
        languages,
    )
    rule_ids = [r.id for r in rules_spec.rules]
    measure = build_measure(
        ctx, meta_file, meta.case, meta_tree, record, params, rule_ids, languages
    )
    if measure is not None:
        case = dataclasses.replace(case, measure=measure)
    rules, translations, where = apply_translations(
        ctx, root, languages, rules, names, {r.id for r in rules_spec.rules}
    )
    wording = build_wording(ctx, translations, where, record, _meta_sources(meta))
    for lang, translation in translations.items():
        if translation.title is not None:
            title = Texts({**dict(title.items()), lang: translation.title, **_inline(title)})
        if translation.description is not None and description is not None:
            description = Texts(
                {**dict(description.items()), lang: translation.description, **_inline(description)}
            )
    translated = apply_other_translations(
        ctx,
        root,
        translations,
        TranslatedParts(
            tuple(params), tuple(rules), record.columns, meta.in_force.basis, _meta_sources(meta)
        ),
    )
    params, rules = list(translated.parameters), list(translated.rules)
    record = dataclasses.replace(record, columns=translated.columns)
    for lang, translation in translations.items():
        if translation.record_name is not None:
            name = Texts({**dict(Texts(record.name).items()), lang: translation.record_name})
            record = dataclasses.replace(record, name=name)
    in_force_basis = translated.in_force_basis
    params_by_name = {p.name: p for p in params if p.name not in fields}
    let_lines = dict(rules_tree["let"].key_lines) if rules_spec.let else {}
    check_calendar_literals(ctx, rules_file, rules, lets, params_by_name, let_lines)
    tests: list[TestCase] = []
    if with_tests:
        rules_by_id = {r.id: r for r in rules}
        for test_path in sorted((root / "tests").glob("*.yaml")):
            spec, tree = ctx.read(test_path, TestsFile)
            if spec is not None:
                tests.extend(
                    build_tests(
                        ctx,
                        ctx.rel(test_path),
                        spec,
                        tree,
                        record,
                        rules_by_id,
                        outcomes,
                        meta.judgment == "separate",
                        languages,
                    )
                )
    if ctx.problems:
        raise RulebookError(ctx.problems)
    return Rulebook(
        id=meta.id,
        version=meta.version,
        title=title,
        jurisdiction=meta.jurisdiction,
        language=meta.language,
        description=description,
        in_force_from=meta.in_force.from_,
        in_force_to=meta.in_force.to,
        in_force_basis=in_force_basis,
        verified_through=meta.verified_through,
        sources=translated.sources,
        record_type=record,
        parameters=tuple(params),
        lets=tuple(lets),
        rules=tuple(rules),
        tests=tuple(tests),
        path=root,
        outcomes=outcomes,
        verdicts=verdicts,
        case=case,
        languages=languages,
        judgment=meta.judgment,
        wording=wording,
    )


def _inline(texts: Texts) -> dict[str, str]:
    """The languages given in the rulebook's own file, which win over a translation."""
    return {k: v for k, v in texts.items() if k != DEFAULT_LANGUAGE}


def rulebook_names(rulebook: Rulebook) -> dict[str, NameInfo]:
    """Every name the rulebook's expressions may use, with its type."""
    names = field_names(rulebook.record_type)
    for param in rulebook.parameters:
        names[param.name] = NameInfo(param.type, "parameter")
    for let in rulebook.lets:
        names[let.name] = NameInfo(let.expr.type, "let")
    return names
