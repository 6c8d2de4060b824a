"""`nadzor rulebook form`: a rulebook's record type as an XLSForm for ODK and KoboToolbox.

One question per column, in the record type's order: its type (text, integer, decimal,
date, a yes/no or an enum as a choice list), required or not, a constraint for a range or a
pattern, labels and hints in each of the rulebook's languages. What ODK Central and
KoboToolbox export from the filled form is a register the readers take as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import typer
import yaml

from nadzor.cli._app import CommandError
from nadzor.cli._options import load_rulebook_option
from nadzor.rules import Column, Rulebook, Texts, Wording

__all__ = [
    "LABELS_FILE",
    "Form",
    "build_form",
    "form_command",
    "read_labels",
    "register",
    "write_form",
]

_LANGUAGE_NAMES = {
    "en": "English",
    "ru": "Russian",
    "uk": "Ukrainian",
    "be": "Belarusian",
    "kk": "Kazakh",
    "ka": "Georgian",
    "de": "German",
    "fr": "French",
}
_BOOL_LIST = "yes_no"
LABELS_FILE = "form.yaml"
# The tool's own words on the form, per language (English when a language is missing).
_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "yes": "Yes",
        "no": "No",
        "range": "Must be from {low} to {high}.",
        "at_least": "Must be {low} or more.",
        "at_most": "Must be {high} or less.",
        "pattern": "Not in the expected form.",
        "date_range": "Must be a date from {low} to {high}.",
        "list": "Several values: separate them with ;",
        "list_dates": "Several dates (YYYY-MM-DD): separate them with ;",
    },
    "ru": {
        "yes": "Да",
        "no": "Нет",
        "range": "Допустимы значения от {low} до {high}.",
        "at_least": "Значение должно быть не меньше {low}.",
        "at_most": "Значение должно быть не больше {high}.",
        "pattern": "Значение записано не в том виде.",
        "date_range": "Дата должна быть в пределах от {low} до {high}.",
        "list": "Несколько значений разделяйте точкой с запятой (;)",
        "list_dates": "Несколько дат (ГГГГ-ММ-ДД) разделяйте точкой с запятой (;)",
    },
    "uk": {
        "yes": "Так",
        "no": "Ні",
        "range": "Допустимі значення від {low} до {high}.",
        "at_least": "Значення має бути не менше {low}.",
        "at_most": "Значення має бути не більше {high}.",
        "pattern": "Значення записане не в тому вигляді.",
        "date_range": "Дата має бути в межах від {low} до {high}.",
        "list": "Кілька значень розділяйте крапкою з комою (;)",
        "list_dates": "Кілька дат (РРРР-ММ-ДД) розділяйте крапкою з комою (;)",
    },
}
_CYRILLIC = range(0x0400, 0x0530)


@dataclass(frozen=True)
class Form:
    """The three sheets of an XLSForm, each a header row and data rows."""

    survey: list[list[str]]
    choices: list[list[str]]
    settings: list[list[str]]


def build_form(rulebook: Rulebook, labels: dict[str, dict[str, str]] | None = None) -> Form:
    """The form of the rulebook's record type; `labels` (column -> language -> label, from
    the rulebook's `form.yaml`) name the questions, else the columns' descriptions do."""
    labels = labels or {}
    languages = _languages(rulebook)
    tags = [f"{_LANGUAGE_NAMES.get(lang, lang)} ({lang})" for lang in languages]
    survey = [
        [
            "type",
            "name",
            *(f"label::{tag}" for tag in tags),
            *(f"hint::{tag}" for tag in tags),
            "required",
            "constraint",
            *(f"constraint_message::{tag}" for tag in tags),
        ]
    ]
    choices = [["list_name", "name", *(f"label::{tag}" for tag in tags)]]
    record = rulebook.record_type
    uses_bool = False
    for column in record.columns:
        kind = _question_type(column)
        if column.type == "bool":
            uses_bool = True
        if column.type == "enum":
            choices += _enum_choices(column, languages, rulebook.wording)
        constraint, messages = _constraint(column, rulebook, languages)
        survey.append(
            [
                kind,
                column.name,
                *(
                    labels.get(column.name, {}).get(lang) or _label(column, lang)
                    for lang in languages
                ),
                *(_hint(column, lang) for lang in languages),
                "yes" if column.required else "",
                constraint,
                *messages,
            ]
        )
    if uses_bool:
        for value, word in (("true", "yes"), ("false", "no")):
            choices.append([_BOOL_LIST, value, *(_word(lang, word) for lang in languages)])
    settings = [
        ["form_title", "form_id", "version", "default_language"],
        [_title(rulebook), rulebook.id, rulebook.version, tags[0]],
    ]
    return Form(survey, choices, settings)


def write_form(form: Form, target: Path) -> None:
    """Write the XLSForm to `target` (an .xlsx file), replacing it only when complete."""
    from openpyxl import Workbook

    book = Workbook()
    sheets = (("survey", form.survey), ("choices", form.choices), ("settings", form.settings))
    first = True
    for name, rows in sheets:
        sheet = book.active if first else book.create_sheet()
        first = False
        assert sheet is not None
        sheet.title = name
        for row in rows:
            sheet.append(row)
    partial = target.with_name(f".{target.name}.partial")
    try:
        book.save(partial)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def read_labels(rulebook: Rulebook) -> dict[str, dict[str, str]]:
    """The question labels of the rulebook's optional `form.yaml`:

    labels:
      record_id: {en: Inspection number, ru: Номер проверки}
    """
    if rulebook.path is None:
        return {}
    root = rulebook.path if rulebook.path.is_dir() else rulebook.path.parent
    path = root / LABELS_FILE
    if not path.is_file():
        return {}
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise CommandError(f"{path}: cannot read the form labels: {exc}") from exc
    labels = loaded.get("labels") if isinstance(loaded, dict) else None
    if not isinstance(labels, dict) or set(loaded) != {"labels"}:
        raise CommandError(f"{path}: expected `labels:` mapping each column to its labels")
    known = {column.name for column in rulebook.record_type.columns}
    found: dict[str, dict[str, str]] = {}
    for name, texts in labels.items():
        if name not in known or not isinstance(texts, dict):
            raise CommandError(f"{path}: {name}: not a column with labels by language")
        # a comma in an unquoted flow mapping splits a label into a stray key
        stray = [str(k) for k in texts if k not in rulebook.languages and k != "en"]
        if stray:
            raise CommandError(
                f"{path}: {name}: {stray[0]!r} is not a language of the rulebook"
                " (quote a label that holds a comma)"
            )
        found[str(name)] = {str(lang): str(text) for lang, text in texts.items()}
    return found


def _languages(rulebook: Rulebook) -> list[str]:
    declared = [lang for lang in rulebook.languages if lang]
    return ["en", *(lang for lang in declared if lang != "en")]


def _question_type(column: Column) -> str:
    if column.type == "bool":
        return f"select_one {_BOOL_LIST}"
    if column.type == "enum":
        return f"select_one {column.name}"
    return {"int": "integer", "decimal": "decimal", "date": "date"}.get(column.type, "text")


def _enum_choices(column: Column, languages: Sequence[str], wording: Wording) -> list[list[str]]:
    """The choices of an enum: each value by its label in the language where the
    rulebook's translations give one, else as `_choice_label` finds it."""
    rows = []
    for value, spellings in (column.values or {}).items():
        labels = [
            wording.labels_of(column.name, lang).get(value) or _choice_label(value, spellings, lang)
            for lang in languages
        ]
        rows.append([column.name, value, *labels])
    return rows


def _choice_label(value: str, spellings: Sequence[str], lang: str) -> str:
    """The value in the language's script where the rulebook spells it so, else as is."""
    if lang in ("ru", "uk", "be", "kk"):
        for spelling in spellings:
            if any(ord(char) in _CYRILLIC for char in spelling):
                return spelling
    return value.replace("_", " ")


def _constraint(
    column: Column, rulebook: Rulebook, languages: Sequence[str]
) -> tuple[str, list[str]]:
    record = rulebook.record_type
    if column.type == "date":
        low, high = record.date_min.isoformat(), record.date_max.isoformat()
        if column.name == record.law_date:
            low = rulebook.in_force_from.isoformat()
        text = f". >= date('{low}') and . <= date('{high}')"
        return text, [_word(lang, "date_range").format(low=low, high=high) for lang in languages]
    if column.type in ("int", "decimal") and (column.min is not None or column.max is not None):
        parts, key = [], "range"
        if column.min is not None:
            parts.append(f". >= {column.min}")
        if column.max is not None:
            parts.append(f". <= {column.max}")
        if column.max is None:
            key = "at_least"
        elif column.min is None:
            key = "at_most"
        return " and ".join(parts), [
            _word(lang, key).format(low=column.min, high=column.max) for lang in languages
        ]
    if column.type == "text" and column.pattern:
        pattern = column.pattern.replace("'", "\\'")
        return f"regex(., '{pattern}')", [_word(lang, "pattern") for lang in languages]
    return "", ["" for _ in languages]


def _label(column: Column, lang: str) -> str:
    description = column.description
    if description:
        text = _in(description, lang)
        return text[:1].upper() + text[1:]
    return column.name.replace("_", " ").capitalize()


def _hint(column: Column, lang: str) -> str:
    if column.type == "list<date>":
        return _word(lang, "list_dates")
    if column.type == "list<text>":
        return _word(lang, "list")
    return ""


def _title(rulebook: Rulebook) -> str:
    return f"{_in(rulebook.title, 'en')}: {rulebook.record_type.name}"


def _in(text: str, lang: str) -> str:
    """`text` in `lang` when it carries translations (`Texts`), else as it is."""
    return text.get(lang) if isinstance(text, Texts) else str(text)


def _word(lang: str, key: str) -> str:
    return _WORDS.get(lang, _WORDS["en"]).get(key, _WORDS["en"][key])


def form_command(
    rulebook: str = typer.Argument(..., help="Built-in rulebook id or a rulebook directory."),
    out: Path = typer.Option(
        ..., "--out", "-o", help="The XLSForm to write (.xlsx).", show_default=False
    ),
) -> None:
    """Write an XLSForm (ODK Collect, KoboToolbox) whose questions are the record type's
    columns, with types, choices, constraints and labels in the rulebook's languages."""
    if out.suffix.lower() != ".xlsx":
        raise CommandError(f"cannot write {out.name!r}: an XLSForm is an .xlsx file")
    if not out.parent.is_dir():
        raise CommandError(f"cannot write {str(out)!r}: no such directory {str(out.parent)!r}")
    book = load_rulebook_option(rulebook)
    form = build_form(book, read_labels(book))
    try:
        write_form(form, out)
    except OSError as exc:
        raise CommandError(f"cannot write {str(out)!r}: {exc.strerror or exc}") from exc
    typer.echo(f"wrote the form of {book.ref} ({len(form.survey) - 1} questions) to {out}")


def register(app: typer.Typer) -> None:
    """Add `rulebook form` to the `rulebook` command group."""
    from nadzor.cli._rulebook_cmd import rulebook_app

    rulebook_app.command("form")(form_command)
