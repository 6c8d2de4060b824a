"""The shape of rulebook files, as pydantic models: unknown keys and wrong types fail here.

These models only describe what a file may contain. Cross-references (names in
expressions, parameters used by rules, periods that overlap) are checked afterwards by
the loader, which builds the domain model of `_model.py`.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

__all__ = [
    "AskFile",
    "CaseFile",
    "CheckFile",
    "ColumnFile",
    "ExpectFile",
    "InForceFile",
    "LangSourceFile",
    "LangTextFile",
    "MeasureFile",
    "MetaFile",
    "OutcomeFile",
    "ParamPeriodFile",
    "ParameterFile",
    "ParametersFile",
    "PeriodFile",
    "RecordTypeFile",
    "RuleFile",
    "RulePeriodFile",
    "RuleTextsFile",
    "RulesFile",
    "SourceFile",
    "SpellingsFile",
    "TestCaseFile",
    "TestsFile",
    "TranslationFile",
    "VerdictFile",
]

Confidence = Literal["HIGH", "MEDIUM", "LOW"]
ColumnType = Literal["text", "int", "decimal", "bool", "date", "enum", "list<date>", "list<text>"]
#: An outcome word: checked against the rulebook's declared outcomes by the loader.
Word = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]

#: A citation or title: surrounding spaces are dropped, so `'   '` is as empty as `''`.
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError(
            "string_blank", "String should have at least 1 character other than spaces"
        )
    return value


#: An expression or template: kept as written, so error columns match the file, but not blank.
Source = Annotated[str, Field(min_length=1), AfterValidator(_not_blank)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class LangTextFile(BaseModel):
    """A text in several languages: `en` required, other language codes as keys."""

    model_config = ConfigDict(extra="allow", frozen=True)
    en: Text


class LangSourceFile(BaseModel):
    """A template in several languages: `en` required, other language codes as keys."""

    model_config = ConfigDict(extra="allow", frozen=True)
    en: Source


#: A title or meaning: a plain string (English) or `{en: ..., ru: ...}`.
Texted = Text | LangTextFile
#: An explanation template: a plain string (English) or `{en: ..., ru: ...}`.
Templated = Source | LangSourceFile


class SourceFile(_Strict):
    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    number: str | None = None
    date: dt.date | None = None
    url: str | None = None
    note: str | None = None


class InForceFile(_Strict):
    from_: dt.date = Field(alias="from")
    to: dt.date | None = None
    basis: Text


class OutcomeFile(_Strict):
    id: Word
    meaning: Texted
    verdict: Word
    has_end: bool = False


class VerdictFile(_Strict):
    id: Word
    meaning: Texted


class MeasureFile(_Strict):
    unit: Texted
    amounts: dict[str, str] = Field(min_length=1)


class CaseFile(_Strict):
    subject: list[str] = Field(min_length=1)
    subject_kind: Word = "person"
    kind: Word
    reporting: list[str] | None = None
    measure: MeasureFile | None = None


class MetaFile(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    title: Texted
    jurisdiction: str = Field(min_length=1)
    language: str = Field(min_length=2)
    languages: list[Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]] | None = None
    in_force: InForceFile
    verified_through: dt.date
    description: str | LangTextFile | None = None
    sources: list[SourceFile] = Field(min_length=1)
    judgment: Literal["law_date", "separate"] = "law_date"
    outcomes: list[OutcomeFile] | None = Field(default=None, min_length=1)
    verdicts: list[VerdictFile] | None = Field(default=None, min_length=2)
    case: CaseFile | None = None


def _with_english(value: dict[str, str]) -> dict[str, str]:
    if "en" not in value:
        raise PydanticCustomError("wording_en", "give the text in English (`en`) at least")
    return value


#: One text in several languages, `{en: ..., ru: ..., uk: ...}`: English is required.
Wording = Annotated[dict[str, Text], AfterValidator(_with_english)]


class AskFile(_Strict):
    """How the self-check asks for a column in plain words (all optional but `question`)."""

    question: Wording
    help: Wording | None = None
    choices: dict[str, Wording] | None = None


class ColumnFile(_Strict):
    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    type: ColumnType
    required: bool = False
    description: str | None = None
    values: dict[str, list[str]] | None = None
    min: int | float | None = None
    max: int | float | None = None
    pattern: str | None = None
    pattern_error: str | None = None
    warn_if_mixed_scripts: bool = False
    reporting_only: bool = False


class DateRangeFile(_Strict):
    min: dt.date
    max: dt.date


class CheckFile(_Strict):
    column: str
    error_when: Source
    message: Source


class SpellingsFile(_Strict):
    """Yes/no spellings: added to the defaults, or instead of them (`keep_defaults: false`)."""

    true_values: list[str] = []
    false_values: list[str] = []
    keep_defaults: bool = True


class RecordTypeFile(_Strict):
    name: str = Field(min_length=1)
    description: str | None = None
    key: str
    law_date: str | None = None
    evaluation_date: str | None = None  # the former name of `law_date`
    date_range: DateRangeFile
    spellings: SpellingsFile | None = None
    languages: list[str] | None = None
    columns: list[ColumnFile] = Field(min_length=1)
    checks: list[CheckFile] = []
    ask: dict[str, AskFile] = {}


class PeriodFile(_Strict):
    from_: dt.date = Field(alias="from")
    to: dt.date | None = None
    basis: Text
    confidence: Confidence
    note: str | None = None


class ParamPeriodFile(PeriodFile):
    value: Any = None
    table: list[dict[str, Any]] | None = None


class ParameterFile(_Strict):
    title: Text
    type: Literal[
        "int", "text", "date", "bool", "list<text>", "list<int>", "list<date>", "calendar"
    ]
    description: str | None = None
    keys: dict[str, str] | None = None
    periods: list[ParamPeriodFile] = Field(min_length=1)


class RulePeriodFile(PeriodFile):
    """A rule's period; `when`, `outcome`, `until` and `explain` here replace the rule's own."""

    when: Source | None = None
    outcome: str | None = None
    until: str | None = None
    explain: Templated | None = None


class RuleFile(_Strict):
    id: str = Field(pattern=r"^[A-Z0-9][A-Z0-9-]*[A-Z0-9]$")
    title: Texted
    outcome: str | None = None
    when: Source | None = None
    until: str | None = None
    explain: Templated | None = None
    description: str | LangTextFile | None = None
    periods: list[RulePeriodFile] = Field(min_length=1)
    documents: list[Wording] = []


class RulesFile(_Strict):
    let: dict[str, str] = {}
    rules: list[RuleFile] = Field(min_length=1)


class ExpectFile(_Strict):
    rule: str
    outcome: str | None = None
    until: dt.date | None = None
    explain_contains: list[str] = []


class TestCaseFile(_Strict):
    name: str = Field(min_length=1)
    as_of: dt.date | None = None
    lang: str | None = None
    record: dict[str, Any] = {}
    expect: list[str | ExpectFile] | None = None
    reject: list[str] | None = None


class TestsFile(_Strict):
    as_of: dt.date | None = None  # the judgment day of every case that gives none
    defaults: dict[str, Any] = {}
    cases: list[TestCaseFile] = Field(min_length=1)


class RuleTextsFile(_Strict):
    title: Text | None = None
    explain: Source | None = None
    description: str | None = None


class ParameterTextsFile(_Strict):
    title: Text | None = None
    description: str | None = None


class SourceTextsFile(_Strict):
    name: Text | None = None
    number: str | None = None
    note: str | None = None


class TranslationFile(_Strict):
    """`translations/LANG.yaml`: the texts of one language beside the rulebook's own."""

    title: Text | None = None
    description: str | None = None
    #: the name of the record type (`name` in record.yaml) in the language
    record_name: Text | None = None
    rules: dict[str, RuleTextsFile] = {}
    # enum column -> canonical value -> how it reads in this language
    labels: dict[str, dict[str, str]] = {}
    # a rule's basis as the rulebook writes it -> as it reads in this language
    basis: dict[str, str] = {}
    # a source's id -> its name, number and note in this language
    sources: dict[str, SourceTextsFile] = {}
    parameters: dict[str, ParameterTextsFile] = {}
    #: column -> its description in the language
    columns: dict[str, Text] = {}
    #: a citation (a period's `basis`, or the rulebook's `in_force` basis) or a period's
    #: `note`, as written in the rulebook -> the same in the language
    citations: dict[str, Text] = {}


class ParametersFile(_Strict):
    parameters: dict[str, ParameterFile] = {}
