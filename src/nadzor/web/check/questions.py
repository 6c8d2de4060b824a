"""The self-check's questions, made from a rulebook's record type, and the answers read back.

Every column a person can answer becomes one question: its words come from the rulebook's
`ask` texts in the page's language, else from its description, else from its name. The
form's answers become a record of register text, so that the screening path reads them
exactly as it reads a row of a file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import pgettext

from nadzor.rules import Column, RecordType, Rulebook

__all__ = [
    "CHECK_KEY",
    "DONT_KNOW",
    "LIST_SLOTS",
    "Choice",
    "Question",
    "answers_from",
    "questions_for",
    "record_from",
    "wording",
]

CHECK_KEY = "check"  # the record's key: the check has one record and keeps no id
DONT_KNOW = ""  # the value of "I don't know": not recorded, as an empty register cell
LIST_SLOTS = 10  # date inputs offered for a list of dates (4 shown, 6 more folded)
_SPLIT = re.compile(r"[\s,;]+")


def wording(texts: Mapping[str, str] | None, lang: str) -> str | None:
    """The text in `lang`, else in English (always given), else none."""
    if not texts:
        return None
    return texts.get(lang) or texts.get("en")


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class Question:
    name: str
    kind: str  # bool, enum, date, dates, texts, int, text
    label: str
    help: str | None
    required: bool
    choices: tuple[Choice, ...] = ()
    min: int | None = None
    max: int | None = None

    @property
    def may_be_unknown(self) -> bool:
        """An optional fact may be unrecorded: the person may say so."""
        return not self.required


def _kind(column: Column) -> str:
    return {"list<date>": "dates", "list<text>": "texts"}.get(column.type, column.type)


def _choices(column: Column, lang: str) -> tuple[Choice, ...]:
    if column.type == "bool":
        return (
            Choice("true", pgettext("self-check", "Yes")),
            Choice("false", pgettext("self-check", "No")),
        )
    if column.values is None:
        return ()
    asked = column.ask.choices if column.ask and column.ask.choices else {}
    return tuple(Choice(v, wording(asked.get(v), lang) or v) for v in column.values)


def questions_for(record: RecordType, lang: str) -> list[Question]:
    """One question per column a person can answer (not the key, not reporting columns)."""
    questions = []
    for column in record.columns:
        if column.name == record.key or column.reporting_only:
            continue
        ask = column.ask
        label = (
            wording(ask.question if ask else None, lang)
            or column.description
            or column.name.replace("_", " ")
        )
        questions.append(
            Question(
                name=column.name,
                kind=_kind(column),
                label=label,
                help=wording(ask.help if ask else None, lang),
                required=column.required,
                choices=_choices(column, lang),
                min=column.min,
                max=column.max,
            )
        )
    return questions


def answers_from(post: QueryDict, questions: list[Question]) -> dict[str, list[str]]:
    """What was typed, kept as typed (lists of values, for repeated date inputs)."""
    return {q.name: [v.strip() for v in post.getlist(q.name)] for q in questions}


def record_from(
    answers: Mapping[str, list[str]], questions: list[Question], record: RecordType
) -> dict[str, str | None]:
    """The answers as a register row: empty is not recorded; lists `;`-joined."""
    row: dict[str, str | None] = {record.key: CHECK_KEY}
    for question in questions:
        values = [v for v in answers.get(question.name, []) if v]
        if question.kind == "dates":
            row[question.name] = ";".join(values) or None
        elif question.kind == "texts":
            items = [item for v in values for item in _SPLIT.split(v) if item]
            row[question.name] = ";".join(items) or None
        else:
            row[question.name] = values[0] if values else None
    return row


def offered(rulebooks: Mapping[str, Rulebook]) -> dict[str, Rulebook]:
    """The rulebooks a person can check against: those whose record type says how to ask."""
    return {
        rid: rb
        for rid, rb in rulebooks.items()
        if any(c.ask is not None for c in rb.record_type.columns)
    }
