"""Reading a findings file from `nadzor screen` (CSV or Parquet) into checked rows.

Every row is checked before anything is stored: a bad row is an error naming the row and
the field, and the whole file is refused, so an import never stores part of a broken file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from nadzor.cases._errors import BadInput
from nadzor.screening import InputError, open_register

__all__ = ["FindingRow", "read_findings", "read_register_places"]

REQUIRED = ("record_id", "rule_id", "outcome")
OPTIONAL = ("deferment_until", "basis", "explanation", "rulebook")
OUTCOMES = ("not_subject", "deferment", "review")
_MAX_ERRORS = 20


@dataclass(frozen=True)
class FindingRow:
    row: int
    record_id: str
    rule_id: str
    outcome: str
    deferment_until: dt.date | None
    basis: str
    explanation: str
    rulebook: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.record_id, self.rule_id, self.rulebook)


def read_findings(path: Path) -> list[FindingRow]:
    """All rows of a findings file, checked; raises BadInput listing the first problems."""
    try:
        source = open_register(str(path))
    except InputError as exc:
        raise BadInput(str(exc)) from exc
    columns = {name.casefold(): name for name in source.columns}
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise BadInput(f"{path.name}: not a findings file: missing column(s) {', '.join(missing)}")
    rows: list[FindingRow] = []
    errors: list[str] = []
    for number, values in _records(source.batches(), columns):
        row = _check(number, values, errors)
        if row is not None:
            rows.append(row)
    errors.extend(f"row {r.row}: {r.error}" for r in source.rejects)
    if errors:
        shown = "; ".join(errors[:_MAX_ERRORS])
        more = f" (and {len(errors) - _MAX_ERRORS} more)" if len(errors) > _MAX_ERRORS else ""
        raise BadInput(f"{path.name}: nothing imported: {shown}{more}")
    _refuse_repeats(path, rows)
    return rows


def _records(
    batches: Iterator[pa.RecordBatch], columns: dict[str, str]
) -> Iterator[tuple[int, dict[str, str]]]:
    wanted = [name for name in (*REQUIRED, *OPTIONAL) if name in columns]
    for batch in batches:
        numbers = batch.column(0).to_pylist()
        texts = {name: _texts(batch.column(columns[name])) for name in wanted}
        for i, number in enumerate(numbers):
            yield int(number), {name: texts[name][i] for name in wanted}


def _texts(column: pa.Array) -> list[str]:
    values = column.cast(pa.string()) if not pa.types.is_string(column.type) else column
    return ["" if v is None else str(v).strip() for v in values.to_pylist()]


def _check(number: int, values: dict[str, str], errors: list[str]) -> FindingRow | None:
    before = len(errors)
    for name in REQUIRED:
        if not values[name]:
            errors.append(f"row {number}: {name} is empty")
    outcome = values["outcome"]
    if outcome and outcome not in OUTCOMES:
        errors.append(f"row {number}: outcome {outcome!r} is not one of {', '.join(OUTCOMES)}")
    until = _date(values.get("deferment_until", ""))
    if until is False:
        errors.append(
            f"row {number}: deferment_until {values['deferment_until']!r} is not a date (YYYY-MM-DD)"
        )
    if len(errors) > before:
        return None
    return FindingRow(
        row=number,
        record_id=values["record_id"],
        rule_id=values["rule_id"],
        outcome=outcome,
        deferment_until=until or None,
        basis=values.get("basis", ""),
        explanation=values.get("explanation", ""),
        rulebook=values.get("rulebook", ""),
    )


def _date(text: str) -> dt.date | bool | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10]) if len(text) in (10, 19) else False
    except ValueError:
        return False


def _refuse_repeats(path: Path, rows: list[FindingRow]) -> None:
    seen: dict[tuple[str, str, str], int] = {}
    for row in rows:
        first = seen.setdefault(row.key, row.row)
        if first != row.row:
            raise BadInput(
                f"{path.name}: row {row.row}: rule {row.rule_id} for record {row.record_id!r}"
                f" repeats row {first}; nothing imported"
            )


def read_register_places(path: Path, wanted: set[str]) -> dict[str, tuple[str, str]]:
    """record_id → (region, commissariat) from a screened register, for the records wanted."""
    try:
        source = open_register(str(path))
    except InputError as exc:
        raise BadInput(f"--register: {exc}") from exc
    columns = {name.casefold(): name for name in source.columns}
    if "record_id" not in columns:
        raise BadInput(f"--register {path.name}: no record_id column")
    places: dict[str, tuple[str, str]] = {}
    for batch in source.batches():
        ids = _texts(batch.column(columns["record_id"]))
        region = _optional(batch, columns.get("region"))
        office = _optional(batch, columns.get("commissariat"))
        for i, record_id in enumerate(ids):
            # The first occurrence wins, as in screening.
            if record_id in wanted and record_id not in places:
                places[record_id] = (region[i], office[i])
    return places


def _optional(batch: pa.RecordBatch, name: str | None) -> list[str]:
    if name is None:
        return [""] * batch.num_rows
    return _texts(batch.column(name))
