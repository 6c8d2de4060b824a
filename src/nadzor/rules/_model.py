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
from nadzor.rules._outcomes import (
    DEFAULT_OUTCOMES,
    DEFAULT_VERDICTS,
    CaseSpec,
    Judgment,
    OutcomeDef,
    VerdictDef,
)
from nadzor.rules._texts import Texts
from nadzor.rules._wording import Wording

__all__ = [
    "Ask",
    "CalendarDays",
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
    "RulePeriod",
    "Rulebook",
    "Source",
    "TableRow",
    "Template",
    "TestCase",
]

#: The case of a rulebook built without a loader (the loader always sets one).
_UNSET_CASE = CaseSpec((), "person", "", ())

#: An outcome word: one of the rulebook's declared outcomes (`Rulebook.outcomes`).
Outcome = str
Confidence = Literal["HIGH", "MEDIUM", "LOW"]
#: The outcome words of a rulebook that declares none (call-ups).
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
    type: str  # text int decimal bool date enum list<date> list<text>
    required: bool
    description: str | None = None
    # canonical value -> accepted spellings (the canonical one included), for enums
    values: dict[str, tuple[str, ...]] | None = None
    min: int | float | None = None
    max: int | float | None = None
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
    law_date: str
    date_min: dt.date
    date_max: dt.date
    columns: tuple[Column, ...]
    checks: tuple[Check, ...]
    #: yes/no spellings (folded to lower case), the defaults of the register contract
    #: unless the rulebook changes them
    true_spellings: tuple[str, ...] = ()
    false_spellings: tuple[str, ...] = ()
    #: languages of the registers' text: which legacy encodings a CSV may be in
    languages: tuple[str, ...] = ("ru",)

    @property
    def evaluation_date(self) -> str:
        """The law date column (its former name)."""
        return self.law_date

    @property
    def reporting_only(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.reporting_only)

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
class CalendarDays:
    """One period of a working-day calendar: weekdays that are days off, and weekend days
    moved to be working days. Every other Monday to Friday is a working day."""

    holidays: tuple[dt.date, ...]
    working_days: tuple[dt.date, ...]

    def is_working(self, day: dt.date) -> bool:
        if day in self.working_days:
            return True
        return day.weekday() < 5 and day not in self.holidays


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

    @property
    def calendar_span(self) -> tuple[dt.date, dt.date] | None:
        """First and last day a calendar parameter covers (its periods are contiguous)."""
        if self.type != "calendar" or not self.periods or self.periods[-1].end is None:
            return None
        return self.periods[0].start, self.periods[-1].end

    def working_days(self) -> list[dt.date]:
        """Every working day of a calendar parameter, in order."""
        span = self.calendar_span
        if span is None:
            return []
        found: list[dt.date] = []
        for period in self.periods:
            days = period.value
            assert isinstance(days, CalendarDays) and period.end is not None
            day = period.start
            while day <= period.end:
                if days.is_working(day):
                    found.append(day)
                day += dt.timedelta(days=1)
        return found


@dataclass(frozen=True)
class Let:
    name: str
    expr: CheckedExpr


@dataclass(frozen=True, kw_only=True)
class RulePeriod(Period):
    """A period of a rule with what holds in it: condition, outcome, end and explanation
    may change from one period to the next under the same rule id."""

    when: CheckedExpr
    outcome: Outcome
    until: CheckedExpr | None = None
    #: (language, template), English first
    explains: tuple[tuple[str, Template], ...] = ()

    @property
    def explain(self) -> Template:
        return self.explains[0][1]

    def explain_in(self, lang: str | None) -> Template:
        return next((t for code, t in self.explains if code == lang), self.explain)


@dataclass(frozen=True)
class Rule:
    """A rule; `when`, `outcome`, `until` and `explain` are those of its first period (or
    of every period when they do not change): the engine reads each period's own."""

    id: str
    title: Texts
    outcome: Outcome
    when: CheckedExpr
    until: CheckedExpr | None
    explain: Template
    description: Texts | None
    periods: tuple[RulePeriod, ...]
    line: int
    # The documents that prove the ground, each in several languages (`en` always given).
    documents: tuple[dict[str, str], ...] = ()

    def period_on(self, day: dt.date) -> RulePeriod | None:
        return next((p for p in self.periods if p.covers(day)), None)

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        """Every outcome the rule gives in some period, in period order, once each."""
        return tuple(dict.fromkeys(p.outcome for p in self.periods))

    @property
    def changes_by_period(self) -> bool:
        first = self.periods[0]
        return any(
            (p.when, p.outcome, p.until, p.explains)
            != (first.when, first.outcome, first.until, first.explains)
            for p in self.periods[1:]
        )

    def explain_in(self, lang: str | None) -> Template:
        return self.periods[0].explain_in(lang)


@dataclass(frozen=True)
class ExpectedFinding:
    rule: str
    outcome: Outcome
    until: dt.date | None
    check_until: bool
    explain_contains: tuple[str, ...] = ()
    check_outcome: bool = False


@dataclass(frozen=True)
class TestCase:
    name: str
    file: str
    line: int
    as_of: dt.date | None
    record: dict[str, str]  # column -> text as a register would carry it
    expect: tuple[ExpectedFinding, ...] | None
    reject: tuple[str, ...] | None
    lang: str | None = None


@dataclass(frozen=True)
class Rulebook:
    id: str
    version: str
    title: Texts
    jurisdiction: str
    language: str
    description: Texts | None
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
    outcomes: tuple[OutcomeDef, ...] = DEFAULT_OUTCOMES
    verdicts: tuple[VerdictDef, ...] = DEFAULT_VERDICTS
    case: CaseSpec = _UNSET_CASE
    languages: tuple[str, ...] = ("en",)
    judgment: Judgment = "law_date"
    #: enum value labels and citations in the rulebook's languages
    wording: Wording = field(default_factory=Wording)

    def outcome(self, outcome_id: str) -> OutcomeDef:
        for outcome in self.outcomes:
            if outcome.id == outcome_id:
                return outcome
        raise KeyError(outcome_id)

    def verdict(self, verdict_id: str) -> VerdictDef:
        for verdict in self.verdicts:
            if verdict.id == verdict_id:
                return verdict
        raise KeyError(verdict_id)

    @property
    def clear_verdict(self) -> str:
        """The verdict of a record on which no rule fires."""
        return self.verdicts[-1].id

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
