"""The rulebook domain model: what a loaded, checked rulebook is.

Everything here is immutable and free of I/O. Expressions are kept both as the text a
lawyer wrote (for display) and as a type-checked syntax tree (for the compiler).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from nadzor.rules._expr_ast import Expr
from nadzor.rules._expr_parse import TemplatePart

__all__ = [
    "Ask",
    "Check",
    "CheckedExpr",
    "Column",
    "Confidence",
    "ExpectedFinding",
    "KeyCondition",
    "Let",
    "Outcome",
    "ParamPeriod",
    "Parameter",
    "Period",
    "RecordType",
    "Rule",
    "Rulebook",
    "Source",
    "TableRow",
    "Template",
    "TestCase",
]

Outcome = Literal["not_subject", "deferment", "review"]
Confidence = Literal["HIGH", "MEDIUM", "LOW"]
OUTCOMES: tuple[Outcome, ...] = ("not_subject", "deferment", "review")


@dataclass(frozen=True)
class CheckedExpr:
    source: str
    tree: Expr
    type: str


@dataclass(frozen=True)
class Template:
    source: str
    parts: tuple[TemplatePart, ...]


@dataclass(frozen=True)
class Period:
    """A validity period, both ends inclusive; `end` None means open-ended."""

    start: dt.date
    end: dt.date | None
    basis: str
    confidence: Confidence
    note: str | None = None

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    number: str | None
    date: dt.date | None
    url: str | None
    note: str | None


@dataclass(frozen=True)
class Ask:
    """A column as the self-check asks it: texts by language code (`en` always given)."""

    question: dict[str, str]
    help: dict[str, str] | None = None
    choices: dict[str, dict[str, str]] | None = None


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # text int bool date enum list<date> list<text>
    required: bool
    description: str | None = None
    # canonical value -> accepted spellings (the canonical one included), for enums
    values: dict[str, tuple[str, ...]] | None = None
    min: int | None = None
    max: int | None = None
    pattern: str | None = None
    pattern_error: str | None = None
    warn_if_mixed_scripts: bool = False
    reporting_only: bool = False
    ask: Ask | None = None

    @property
    def value_type(self) -> str:
        """The type the column has inside expressions (enums are text)."""
        return "text" if self.type == "enum" else self.type


@dataclass(frozen=True)
class Check:
    """A row is invalid when `error_when` holds; the error is put on `column`."""

    column: str
    error_when: CheckedExpr
    message: Template
    line: int


@dataclass(frozen=True)
class RecordType:
    name: str
    description: str | None
    key: str
    evaluation_date: str
    date_min: dt.date
    date_max: dt.date
    columns: tuple[Column, ...]
    checks: tuple[Check, ...]

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


@dataclass(frozen=True)
class KeyCondition:
    key: str
    equals: object | None = None
    min: object | None = None
    max: object | None = None


@dataclass(frozen=True)
class TableRow:
    conditions: tuple[KeyCondition, ...]
    value: object


@dataclass(frozen=True)
class ParamPeriod(Period):
    value: object | None = None
    table: tuple[TableRow, ...] | None = None


@dataclass(frozen=True)
class Parameter:
    name: str
    title: str
    type: str
    description: str | None
    keys: tuple[tuple[str, CheckedExpr], ...]
    periods: tuple[ParamPeriod, ...]

    def period_on(self, day: dt.date) -> ParamPeriod | None:
        return next((p for p in self.periods if p.covers(day)), None)


@dataclass(frozen=True)
class Let:
    name: str
    expr: CheckedExpr


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    outcome: Outcome
    when: CheckedExpr
    until: CheckedExpr | None
    explain: Template
    description: str | None
    periods: tuple[Period, ...]
    line: int
    # The documents that prove the ground, each in several languages (`en` always given).
    documents: tuple[dict[str, str], ...] = ()

    def period_on(self, day: dt.date) -> Period | None:
        return next((p for p in self.periods if p.covers(day)), None)


@dataclass(frozen=True)
class ExpectedFinding:
    rule: str
    outcome: Outcome
    until: dt.date | None
    check_until: bool
    explain_contains: tuple[str, ...] = ()


@dataclass(frozen=True)
class TestCase:
    name: str
    file: str
    line: int
    as_of: dt.date | None
    record: dict[str, str]  # column -> text as a register would carry it
    expect: tuple[ExpectedFinding, ...] | None
    reject: tuple[str, ...] | None


@dataclass(frozen=True)
class Rulebook:
    id: str
    version: str
    title: str
    jurisdiction: str
    language: str
    description: str | None
    in_force_from: dt.date
    in_force_to: dt.date | None
    in_force_basis: str
    verified_through: dt.date
    sources: tuple[Source, ...]
    record_type: RecordType
    parameters: tuple[Parameter, ...]
    lets: tuple[Let, ...]
    rules: tuple[Rule, ...]
    tests: tuple[TestCase, ...] = field(default=())
    path: Path | None = None

    @property
    def ref(self) -> str:
        """`id@version`, as written in every finding."""
        return f"{self.id}@{self.version}"

    def in_force_on(self, day: dt.date) -> bool:
        return self.in_force_from <= day and (self.in_force_to is None or day <= self.in_force_to)

    @property
    def period_text(self) -> str:
        start = self.in_force_from.isoformat()
        if self.in_force_to:
            return f"in force {start} to {self.in_force_to.isoformat()}"
        return f"in force from {start}"

    def parameter(self, name: str) -> Parameter:
        for param in self.parameters:
            if param.name == name:
                return param
        raise KeyError(name)
