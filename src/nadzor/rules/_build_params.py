"""Build dated parameters (plain values and lookup tables) from `parameters.yaml`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from nadzor.rules._context import BuildContext
from nadzor.rules._expr_types import NameInfo
from nadzor.rules._files import ParameterFile, ParamPeriodFile
from nadzor.rules._model import (
    CalendarDays,
    CheckedExpr,
    KeyCondition,
    Parameter,
    ParamPeriod,
    TableRow,
)
from nadzor.rules._periods import period_problems

__all__ = ["build_parameters", "coerce_value"]


def _calendar(value: Any) -> tuple[object | None, str | None]:
    if not isinstance(value, dict) or set(value) - {"holidays", "working_days"}:
        return None, "a calendar is {holidays: [dates], working_days: [dates]}"
    lists: dict[str, tuple[dt.date, ...]] = {}
    for key in ("holidays", "working_days"):
        got, why = coerce_value(value.get(key, []), "list<date>")
        if why:
            return None, f"{key}: {why}"
        assert isinstance(got, tuple)
        lists[key] = got
    for day in lists["working_days"]:
        if day.weekday() < 5:
            return None, f"working_days: {day} is a weekday already (list moved weekend days)"
    both = set(lists["holidays"]) & set(lists["working_days"])
    if both:
        return None, f"{min(both)} is both a holiday and a working day"
    return CalendarDays(lists["holidays"], lists["working_days"]), None


def coerce_value(value: Any, typ: str) -> tuple[object | None, str | None]:
    """(value, None) when `value` fits `typ`, else (None, reason)."""
    if typ == "calendar":
        return _calendar(value)
    if typ.startswith("list<"):
        if not isinstance(value, list):
            return None, f"expected a list of {typ[5:-1]}"
        items: list[object] = []
        for item in value:
            got, why = coerce_value(item, typ[5:-1])
            if why:
                return None, f"list item {item!r}: {why}"
            items.append(got)
        return tuple(items), None
    if typ == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value, None
    if typ == "bool" and isinstance(value, bool):
        return value, None
    if typ == "date" and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value, None
    if typ == "text":
        if isinstance(value, str):
            return value, None
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value), None
        if isinstance(value, float):
            return None, f"{value!r} reads as a number: quote it ('{value}') to keep it as text"
    return None, f"expected {typ}, got {value!r}"


def _condition(
    key: str, raw: Any, key_type: str, enum: frozenset[str] | None
) -> tuple[KeyCondition | None, str | None]:
    if isinstance(raw, dict):
        unknown = set(raw) - {"min", "max"}
        if unknown or not raw:
            return None, f"key {key}: a range takes `min` and/or `max`"
        if key_type not in ("int", "date"):
            return None, f"key {key}: ranges are for int or date keys, not {key_type}"
        bounds = {}
        for bound, val in raw.items():
            got, why = coerce_value(val, key_type)
            if why:
                return None, f"key {key} {bound}: {why}"
            bounds[bound] = got
        return KeyCondition(key, min=bounds.get("min"), max=bounds.get("max")), None
    got, why = coerce_value(raw, key_type)
    if why:
        return None, f"key {key}: {why}"
    if enum is not None and got not in enum:
        return None, f"key {key}: {got!r} is not one of {', '.join(sorted(enum))}"
    return KeyCondition(key, equals=got), None


def _table(
    ctx: BuildContext,
    file: str,
    rows: list[dict[str, Any]],
    lines: list[int],
    spec: ParameterFile,
    keys: Mapping[str, CheckedExpr],
    enums: Mapping[str, frozenset[str] | None],
    name: str,
) -> tuple[TableRow, ...]:
    built: list[TableRow] = []
    for row, line in zip(rows, lines, strict=True):
        if "value" not in row:
            ctx.add(file, line, f"parameter {name}: table row without `value`")
            continue
        value, why = coerce_value(row["value"], spec.type)
        if why:
            ctx.add(file, line, f"parameter {name}: value {why}")
        conditions: list[KeyCondition] = []
        for key, raw in row.items():
            if key == "value":
                continue
            if key not in keys:
                # a declared key whose expression failed is reported once, on the `keys` line
                if key not in (spec.keys or {}):
                    ctx.add(
                        file,
                        line,
                        f"parameter {name}: unknown key {key!r} (keys: {', '.join(keys)})",
                    )
                continue
            cond, why = _condition(key, raw, keys[key].type, enums.get(key))
            if why:
                ctx.add(file, line, f"parameter {name}: {why}")
            elif cond is not None:
                conditions.append(cond)
        built.append(TableRow(tuple(conditions), value))
    return tuple(built)


def _period(
    ctx: BuildContext,
    file: str,
    tree: Any,
    spec: ParameterFile,
    period: ParamPeriodFile,
    keys: Mapping[str, CheckedExpr],
    enums: Mapping[str, frozenset[str] | None],
    name: str,
) -> ParamPeriod:
    line = tree.line
    value: object | None = None
    table: tuple[TableRow, ...] | None = None
    if (period.table is None) == (period.value is None):
        ctx.add(file, line, f"parameter {name}: each period has either `value` or `table`")
    elif period.table is None:
        value, why = coerce_value(period.value, spec.type)
        if why:
            ctx.add(file, tree.key_lines.get("value", line), f"parameter {name}: value {why}")
    elif not spec.keys:
        # without keys every column of every row is also an "unknown key": say only this
        ctx.add(file, line, f"parameter {name}: a `table` needs `keys` on the parameter")
    else:
        table = _table(ctx, file, period.table, tree["table"].item_lines, spec, keys, enums, name)
    return ParamPeriod(
        start=period.from_,
        end=period.to,
        basis=period.basis,
        confidence=period.confidence,
        note=period.note,
        value=value,
        table=table,
    )


def build_parameters(
    ctx: BuildContext,
    file: str,
    specs: Mapping[str, ParameterFile],
    tree: Any,
    fields: Mapping[str, NameInfo],
) -> list[Parameter]:
    params: list[Parameter] = []
    for name, spec in specs.items():
        ptree = tree[name]
        key_exprs: dict[str, CheckedExpr] = {}
        enums: dict[str, frozenset[str] | None] = {}
        for key, source in (spec.keys or {}).items():
            checked = ctx.expr(
                source, fields, None, file, ptree.key_lines["keys"], f"parameter {name} key {key}"
            )
            if checked is not None:
                key_exprs[key] = checked
                info = fields.get(source.strip())
                enums[key] = info.enum_values if info else None
        periods = tuple(
            _period(ctx, file, ptree["periods"][i], spec, p, key_exprs, enums, name)
            for i, p in enumerate(spec.periods)
        )
        for index, message in period_problems(periods, f"parameter {name}"):
            ctx.add(file, ptree["periods"].item_lines[index], message)
        if spec.type == "calendar":
            _calendar_periods(ctx, file, ptree, name, periods)
        params.append(
            Parameter(
                name, spec.title, spec.type, spec.description, tuple(key_exprs.items()), periods
            )
        )
    return params


def _calendar_periods(
    ctx: BuildContext, file: str, tree: Any, name: str, periods: tuple[ParamPeriod, ...]
) -> None:
    """A calendar lists days: each period closed, each listed day inside its period."""
    for index, period in enumerate(periods):
        line = tree["periods"].item_lines[index]
        if period.end is None:
            ctx.add(file, line, f"parameter {name}: a calendar period needs `to` (its last day)")
            continue
        days = period.value
        if isinstance(days, CalendarDays):
            for day in (*days.holidays, *days.working_days):
                if not period.start <= day <= period.end:
                    ctx.add(
                        file,
                        line,
                        f"parameter {name}: {day} is outside its period"
                        f" {period.start} to {period.end}",
                    )
