"""A rulebook's record type and its optional `synth:` hints as a plain `RecordPlan`.

The hints live in `synth.yaml` beside the rulebook's other files:

    synth:
      generator: callup                  # optional: the hand-made call-up generator
      dates: {from: 2022-09-21, to: 2022-12-31}   # law dates (default: the rulebook's
                                                  # period up to verified_through)
      columns:                           # how to draw a column (default: from its type)
        site: {prefix: SITE-, distinct: 400}
        people: {range: [20, 150]}
        places: {from: people, add: [0, 20], missing: 0.1}
        volume: {from: people, times: [12, 20]}
        kind_of_place: {values: [house, tent], weights: [9, 1]}
      rules:                             # the share of records that trigger a rule
        SOME-RULE: {share: 0.02, set: {kind_of_place: tent, people: {range: [30, 90]}}}
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from nadzor.cli._app import CommandError
from nadzor.rules import Rulebook
from nadzor.synth import ColumnPlan, Draw, RecordPlan, TriggerPlan

__all__ = ["HINTS_FILE", "SynthHints", "hints_path", "plan_for", "read_hints"]

HINTS_FILE = "synth.yaml"
_DRAW_KEYS = {
    "value",
    "values",
    "weights",
    "per",
    "from",
    "times",
    "add",
    "range",
    "prefix",
    "distinct",
    "missing",
}


@dataclass(frozen=True)
class SynthHints:
    generator: str | None
    raw: dict[str, Any]


def read_hints(rulebook: Rulebook) -> SynthHints:
    """The rulebook's `synth:` hints, or none when it has no `synth.yaml`."""
    path = hints_path(rulebook)
    if path is None or not path.is_file():
        return SynthHints(None, {})
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise CommandError(f"{path}: cannot read the synth hints: {exc}") from exc
    hints = _mapping(loaded, f"{path}")
    _only(hints, {"synth"}, f"{path}")
    raw = _mapping(hints.get("synth") or {}, f"{path}: synth")
    _only(raw, {"generator", "dates", "columns", "rules"}, f"{path}: synth")
    generator = raw.get("generator")
    return SynthHints(str(generator) if generator else None, raw)


def plan_for(rulebook: Rulebook, hints: SynthHints) -> RecordPlan:
    """The description the generic generator draws from."""
    record = rulebook.record_type
    column_hints = _mapping(hints.raw.get("columns") or {}, "synth: columns")
    known = {column.name for column in record.columns}
    for name in column_hints:
        if name not in known:
            raise CommandError(f"synth hints: no column {name!r} in the record type")
    columns = tuple(
        ColumnPlan(
            name=column.name,
            type=column.type,
            required=column.required,
            values=tuple(column.values or ()),
            min=column.min,
            max=column.max,
            draw=_draw(column_hints.get(column.name), f"synth: columns: {column.name}"),
        )
        for column in record.columns
    )
    rule_ids = {rule.id for rule in rulebook.rules}
    triggers = []
    for rule, spec in _mapping(hints.raw.get("rules") or {}, "synth: rules").items():
        where = f"synth: rules: {rule}"
        if rule not in rule_ids:
            raise CommandError(f"{where}: no such rule in rulebook {rulebook.id}")
        spec = _mapping(spec, where)
        _only(spec, {"share", "set"}, where)
        sets = _mapping(spec.get("set") or {}, f"{where}: set")
        draws = tuple((name, _draw(value, f"{where}: set: {name}")) for name, value in sets.items())
        triggers.append(TriggerPlan(rule, float(spec.get("share", 0)), draws))
    return RecordPlan(
        name=record.name,
        columns=columns,
        key=record.key,
        law_date=record.law_date,
        dates=_dates(rulebook, hints.raw.get("dates")),
        triggers=tuple(triggers),
    )


def _dates(rulebook: Rulebook, given: object) -> tuple[dt.date, dt.date]:
    last = rulebook.verified_through
    if rulebook.in_force_to is not None:
        last = min(last, rulebook.in_force_to)
    first = rulebook.in_force_from
    if given is None:
        return first, max(first, last)
    spec = _mapping(given, "synth: dates")
    _only(spec, {"from", "to"}, "synth: dates")
    return _date(spec.get("from", first)), _date(spec.get("to", last))


def _draw(spec: object, where: str) -> Draw:
    if spec is None:
        return Draw()
    if not isinstance(spec, dict):
        return Draw(value=_text(spec))
    _only(spec, _DRAW_KEYS, where)
    low, high = _pair(spec.get("range"), where, "range") or (None, None)
    add = _pair(spec.get("add"), where, "add") or (0, 0)
    times = _pair(spec.get("times"), where, "times") or (1, 1)
    return Draw(
        value=_text(spec["value"]) if "value" in spec else None,
        values=tuple(_text(v) for v in spec.get("values") or ()),
        weights=tuple(float(w) for w in spec.get("weights") or ()),
        per=str(spec["per"]) if "per" in spec else None,
        base=str(spec["from"]) if "from" in spec else None,
        times=(float(times[0]), float(times[1])),
        add=(float(add[0]), float(add[1])),
        low=_text(low) if low is not None else None,
        high=_text(high) if high is not None else None,
        prefix=str(spec.get("prefix", "")),
        distinct=int(spec.get("distinct", 0)),
        missing=float(spec.get("missing", 0.0)),
    )


def _pair(value: object, where: str, key: str) -> tuple[Any, Any] | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) != 2:
        raise CommandError(f"{where}: {key} must be a list of two values, [low, high]")
    return value[0], value[1]


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _date(value: object) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise CommandError(f"synth: dates: {value!r} is not a date (YYYY-MM-DD)") from exc


def _mapping(value: object, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise CommandError(f"{where}: expected a mapping of names to values")
    return {str(k): v for k, v in value.items()}


def _only(spec: dict[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise CommandError(
            f"{where}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})"
        )


def hints_path(rulebook: Rulebook) -> Path | None:
    """Where the rulebook's hints would be."""
    if rulebook.path is None:
        return None
    root = rulebook.path if rulebook.path.is_dir() else rulebook.path.parent
    return root / HINTS_FILE
