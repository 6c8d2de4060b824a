"""Build the record type (columns, value forms, row checks) from `record.yaml`."""

from __future__ import annotations

import re
from typing import Any

from nadzor.rules._context import BuildContext
from nadzor.rules._expr_types import NameInfo
from nadzor.rules._files import ColumnFile, RecordTypeFile
from nadzor.rules._model import Check, Column, RecordType
from nadzor.rules._names import EVAL_DATE

__all__ = ["build_record_type", "field_names"]


def _column(ctx: BuildContext, file: str, line: int, spec: ColumnFile) -> Column:
    values: dict[str, tuple[str, ...]] | None = None
    if spec.type == "enum":
        if not spec.values:
            ctx.add(file, line, f"column {spec.name}: an enum needs `values`")
        else:
            values = {canon: (canon, *aliases) for canon, aliases in spec.values.items()}
            seen: dict[str, str] = {}
            for canon, spellings in values.items():
                for spelling in spellings:
                    key = spelling.casefold()
                    if key in seen and seen[key] != canon:
                        ctx.add(file, line, f"column {spec.name}: {spelling!r} is given for both {seen[key]} and {canon}")
                    seen[key] = canon
    elif spec.values is not None:
        ctx.add(file, line, f"column {spec.name}: `values` is only for enum columns")
    if (spec.min is not None or spec.max is not None) and spec.type != "int":
        ctx.add(file, line, f"column {spec.name}: `min`/`max` are only for int columns")
    if spec.pattern is not None:
        if spec.type not in ("text", "list<text>"):
            ctx.add(file, line, f"column {spec.name}: `pattern` is only for text and list<text> columns")
        try:
            re.compile(spec.pattern)
        except re.error as exc:
            ctx.add(file, line, f"column {spec.name}: invalid pattern: {exc}")
    return Column(
        name=spec.name,
        type=spec.type,
        required=spec.required,
        description=spec.description,
        values=values,
        min=spec.min,
        max=spec.max,
        pattern=spec.pattern,
        pattern_error=spec.pattern_error,
        warn_if_mixed_scripts=spec.warn_if_mixed_scripts,
        reporting_only=spec.reporting_only,
    )


def field_names(record: RecordType) -> dict[str, NameInfo]:
    """Names of the record's fields (and `eval_date`) as expressions see them."""
    names = {
        col.name: NameInfo(
            col.value_type, "field", frozenset(col.values) if col.values is not None else None
        )
        for col in record.columns
    }
    names[EVAL_DATE] = NameInfo("date", "builtin")
    return names


def build_record_type(ctx: BuildContext, file: str, spec: RecordTypeFile, tree: Any) -> RecordType | None:
    col_lines = tree["columns"].item_lines
    columns: list[Column] = []
    seen: set[str] = set()
    for spec_col, line in zip(spec.columns, col_lines, strict=True):
        if spec_col.name in seen:
            ctx.add(file, line, f"column {spec_col.name} is declared twice")
        seen.add(spec_col.name)
        columns.append(_column(ctx, file, line, spec_col))
    by_name = {c.name: c for c in columns}
    for role, name in (("key", spec.key), ("evaluation_date", spec.evaluation_date)):
        if name not in by_name:
            ctx.add(file, tree.key_lines[role], f"{role}: unknown column {name!r}")
        elif not by_name[name].required:
            ctx.add(file, tree.key_lines[role], f"{role}: column {name} must be required")
    if spec.evaluation_date in by_name and by_name[spec.evaluation_date].type != "date":
        ctx.add(file, tree.key_lines["evaluation_date"], f"evaluation_date: column {spec.evaluation_date} is not a date")
    record = RecordType(
        name=spec.name,
        description=spec.description,
        key=spec.key,
        evaluation_date=spec.evaluation_date,
        date_min=spec.date_range.min,
        date_max=spec.date_range.max,
        columns=tuple(columns),
        checks=(),
    )
    names = field_names(record)
    checks: list[Check] = []
    check_lines = tree["checks"].item_lines if "checks" in tree else []
    for check, line in zip(spec.checks, check_lines, strict=True):
        if check.column not in by_name:
            ctx.add(file, line, f"check: unknown column {check.column!r}")
        cond = ctx.expr(check.error_when, names, "bool", file, line, "check error_when")
        message = ctx.template(check.message, names, file, line, "check message")
        if cond is not None and message is not None:
            checks.append(Check(check.column, cond, message, line))
    return RecordType(**{**record.__dict__, "checks": tuple(checks)})
