"""The register's columns (records.md) and the two Arrow schemas synth writes them in."""

from __future__ import annotations

from typing import Any

import pyarrow as pa

__all__ = ["COLUMNS", "REQUIRED_COLUMNS", "TEXT_SCHEMA", "TYPED_SCHEMA"]

_BOOL = pa.bool_()
_DATE = pa.date32()
_TEXT = pa.string()

_TYPED_FIELDS: list[pa.Field[Any]] = [
    pa.field("record_id", _TEXT, nullable=False),
    pa.field("callup_date", _DATE, nullable=False),
    pa.field("birth_date", _DATE, nullable=False),
    pa.field("sex", _TEXT, nullable=False),
    pa.field("ru_citizen", _BOOL, nullable=False),
    pa.field("in_reserve", _BOOL, nullable=False),
    pa.field("rank_group", _TEXT, nullable=False),
    pa.field("health_category", _TEXT),
    pa.field("health_exam_date", _DATE),
    pa.field("children_birth_dates", pa.list_(_DATE)),
    pa.field("raises_children_alone", _BOOL),
    pa.field("wife_pregnancy_weeks", pa.int16()),
    pa.field("cares_for_relative", _BOOL),
    pa.field("guardian_of_minor_sibling", _BOOL),
    pa.field("other_carers_available", _BOOL),
    pa.field("reserved_until", _DATE),
    pa.field("full_time_student_until", _DATE),
    pa.field("conviction_articles", pa.list_(_TEXT)),
    pa.field("conviction_grave", _BOOL),
    pa.field("defence_industry_worker", _BOOL),
    pa.field("it_sector_worker", _BOOL),
    pa.field("legislator", _BOOL),
    pa.field("region", _TEXT),
    pa.field("commissariat", _TEXT),
]
TYPED_SCHEMA: pa.Schema = pa.schema(_TYPED_FIELDS)

COLUMNS: tuple[str, ...] = tuple(TYPED_SCHEMA.names)

REQUIRED_COLUMNS: tuple[str, ...] = tuple(f.name for f in TYPED_SCHEMA if not f.nullable)

# With --dirty every column is text: a malformed value such as `31.02.2022` has no typed
# form, and a reader must see it exactly as a spreadsheet export would carry it.
TEXT_SCHEMA: pa.Schema = pa.schema([pa.field(name, _TEXT) for name in COLUMNS])
