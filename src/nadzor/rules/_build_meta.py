"""Build what `rulebook.yaml` declares beyond metadata: languages, texts, outcomes and
verdicts, the judgment day and the case a finding opens."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from nadzor.rules._context import BuildContext
from nadzor.rules._files import CaseFile, LangSourceFile, LangTextFile, MetaFile
from nadzor.rules._measure import Measure, Term, parse_amount
from nadzor.rules._model import Parameter, RecordType
from nadzor.rules._outcomes import (
    DEFAULT_CASE_KIND,
    DEFAULT_OUTCOMES,
    DEFAULT_SUBJECT_KIND,
    DEFAULT_VERDICTS,
    CaseSpec,
    OutcomeDef,
    VerdictDef,
)
from nadzor.rules._texts import DEFAULT_LANGUAGE, Texts

__all__ = [
    "build_case",
    "build_languages",
    "build_measure",
    "build_outcomes",
    "choices_text",
    "lang_items",
    "texts",
]

_LANG_RE = re.compile(r"^[a-z]{2,3}$")


def choices_text(words: Sequence[str]) -> str:
    """`'a', 'b' or 'c'`, as the file-shape errors word a choice."""
    quoted = [f"'{w}'" for w in words]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + f" or {quoted[-1]}"


def lang_items(value: str | LangTextFile | LangSourceFile) -> dict[str, Any]:
    """language -> text of a plain string (English) or a mapping of languages."""
    if isinstance(value, str):
        return {DEFAULT_LANGUAGE: value}
    return {DEFAULT_LANGUAGE: value.en, **(value.model_extra or {})}


def texts(
    ctx: BuildContext,
    file: str,
    line: int,
    value: str | LangTextFile,
    languages: Sequence[str],
    what: str,
) -> Texts:
    """Texts from the file, each language declared and each text a non-blank string."""
    items = lang_items(value)
    kept: dict[str, str] = {}
    for lang, text in items.items():
        if lang not in languages:
            declared = ", ".join(languages)
            ctx.add(
                file, line, f"{what}: language {lang!r} is not declared (languages: {declared})"
            )
        elif not isinstance(text, str) or not text.strip():
            ctx.add(file, line, f"{what}.{lang}: expected a non-empty text")
        else:
            kept[lang] = text.strip() if lang != DEFAULT_LANGUAGE else text
    kept.setdefault(DEFAULT_LANGUAGE, items[DEFAULT_LANGUAGE])
    return Texts(kept)


def build_languages(ctx: BuildContext, file: str, meta: MetaFile, tree: Any) -> tuple[str, ...]:
    if meta.languages is None:
        return (DEFAULT_LANGUAGE,)
    langs = list(dict.fromkeys(meta.languages))
    if DEFAULT_LANGUAGE not in langs:
        ctx.add(file, tree.key_lines["languages"], f"languages: {DEFAULT_LANGUAGE} is required")
    else:
        langs.remove(DEFAULT_LANGUAGE)
    return (DEFAULT_LANGUAGE, *langs)


def build_outcomes(
    ctx: BuildContext, file: str, meta: MetaFile, tree: Any, languages: Sequence[str]
) -> tuple[tuple[OutcomeDef, ...], tuple[VerdictDef, ...]]:
    """The declared outcomes and verdicts, or the call-up defaults when none are declared."""
    if meta.outcomes is None and meta.verdicts is None:
        return DEFAULT_OUTCOMES, DEFAULT_VERDICTS
    if meta.outcomes is None or meta.verdicts is None:
        missing, given = (
            ("outcomes", "verdicts") if meta.outcomes is None else ("verdicts", "outcomes")
        )
        ctx.add(file, tree.key_lines[given], f"{given}: declare {missing} too")
        return DEFAULT_OUTCOMES, DEFAULT_VERDICTS
    verdicts: list[VerdictDef] = []
    for vspec, line in zip(meta.verdicts, tree["verdicts"].item_lines, strict=True):
        if any(v.id == vspec.id for v in verdicts):
            ctx.add(file, line, f"verdict {vspec.id} is declared twice")
        meaning = texts(ctx, file, line, vspec.meaning, languages, f"verdict {vspec.id}")
        verdicts.append(VerdictDef(vspec.id, meaning))
    verdict_ids = [v.id for v in verdicts]
    outcomes: list[OutcomeDef] = []
    for index, (spec, line) in enumerate(
        zip(meta.outcomes, tree["outcomes"].item_lines, strict=True)
    ):
        if any(o.id == spec.id for o in outcomes):
            ctx.add(file, line, f"outcome {spec.id} is declared twice")
        if spec.verdict not in verdict_ids:
            ctx.add(
                file,
                line,
                f"outcome {spec.id}: verdict {spec.verdict!r} is not declared"
                f" (verdicts: {', '.join(verdict_ids)})",
            )
        meaning = texts(ctx, file, line, spec.meaning, languages, f"outcome {spec.id}")
        outcomes.append(OutcomeDef(spec.id, meaning, spec.verdict, spec.has_end, index))
    return tuple(outcomes), tuple(verdicts)


def build_case(
    ctx: BuildContext, file: str, spec: CaseFile | None, tree: Any, record: RecordType
) -> CaseSpec:
    """What a finding's case is about; by default the record's key names one person."""
    if spec is None:
        return CaseSpec(
            (record.key,), DEFAULT_SUBJECT_KIND, DEFAULT_CASE_KIND, record.reporting_only
        )
    columns = {c.name for c in record.columns}
    line = tree["case"].line
    for name in [*spec.subject, *(spec.reporting or [])]:
        if name not in columns:
            ctx.add(file, line, f"case: unknown column {name!r}")
    for name in spec.subject:
        if name in columns and not record.column(name).required:
            ctx.add(file, line, f"case: subject column {name} must be required")
    reporting = tuple(spec.reporting) if spec.reporting is not None else record.reporting_only
    return CaseSpec(tuple(spec.subject), spec.subject_kind, spec.kind, reporting)


def build_measure(
    ctx: BuildContext,
    file: str,
    spec: CaseFile | None,
    tree: Any,
    record: RecordType,
    params: Sequence[Parameter],
    rule_ids: Sequence[str],
    languages: Sequence[str],
) -> Measure | None:
    """The reporting measure of `case.measure`: each amount's rule, columns and parameters
    must be declared, and every term a whole number."""
    if spec is None or spec.measure is None:
        return None
    line = tree["case"].line
    columns = {c.name: c for c in record.columns}
    by_name = {p.name: p for p in params}
    amounts: list[tuple[str, tuple[Term, ...]]] = []
    for rule_id, text in spec.measure.amounts.items():
        where = f"case: measure: {rule_id}"
        if rule_id not in rule_ids:
            ctx.add(file, line, f"{where}: no rule {rule_id!r}")
        names = parse_amount(text)
        if names is None:
            ctx.add(file, line, f"{where}: {text!r} is not `a - b - ...` of names and numbers")
            continue
        terms = []
        for name in names:
            term = _term(name, columns, by_name)
            if term is None:
                ctx.add(
                    file,
                    line,
                    f"{where}: {name!r} is not an int column of the record or an int parameter",
                )
            else:
                terms.append(term)
        amounts.append((rule_id, tuple(terms)))
    unit = texts(ctx, file, line, spec.measure.unit, languages, "case: measure: unit")
    return Measure(unit, record.law_date, tuple(amounts))


def _term(name: str, columns: dict[str, Any], params: dict[str, Parameter]) -> Term | None:
    if name.isdigit():
        return Term("number", name)
    if name in columns:
        return Term("column", name) if columns[name].type == "int" else None
    param = params.get(name)
    if param is None or param.type != "int":
        return None
    periods = tuple(
        (p.start, p.end, int(p.value)) for p in param.periods if isinstance(p.value, int)
    )
    return Term("parameter", name, periods)


def is_language(code: str) -> bool:
    return bool(_LANG_RE.match(code))
