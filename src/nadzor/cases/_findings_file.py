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

__all__ = [
    "FindingRow",
    "check_outcomes",
    "judgment_day",
    "read_findings",
    "read_register_columns",
    "register_day",
]

REQUIRED = ("record_id", "rule_id", "outcome")
OPTIONAL = ("deferment_until", "basis", "explanation", "rulebook", "as_of")
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
    # the judgment day, for a rulebook judged on a separate day (the file's `as_of`)
    as_of: dt.date | None = None

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
    _refuse_errors(path, errors)
    _refuse_repeats(path, rows)
    return rows


def check_outcomes(path: Path, rows: list[FindingRow], outcomes: tuple[str, ...]) -> None:
    """Refuse the file if a row's outcome is not one of the rulebook's `outcomes`."""
    allowed = set(outcomes)
    errors = [
        f"row {row.row}: outcome {row.outcome!r} is not one of {', '.join(outcomes)}"
        for row in rows
        if row.outcome not in allowed
    ]
    _refuse_errors(path, errors)


def _refuse_errors(path: Path, errors: list[str]) -> None:
    if errors:
        shown = "; ".join(errors[:_MAX_ERRORS])
        more = f" (and {len(errors) - _MAX_ERRORS} more)" if len(errors) > _MAX_ERRORS else ""
        raise BadInput(f"{path.name}: nothing imported: {shown}{more}")


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
    until = _date(values.get("deferment_until", ""))
    if until is False:
        errors.append(
            f"row {number}: deferment_until {values['deferment_until']!r} is not a date (YYYY-MM-DD)"
        )
    as_of = _date(values.get("as_of", ""))
    if as_of is False:
        errors.append(f"row {number}: as_of {values['as_of']!r} is not a date (YYYY-MM-DD)")
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
        as_of=as_of or None,
    )


def judgment_day(rows: list[FindingRow]) -> dt.date | None:
    """The day the findings were judged on, when the file says and all its rows agree.

    Rows of a rulebook judged on each record's law date carry none; a file joined from
    runs of different days has no one judgment day either.
    """
    days = {row.as_of for row in rows}
    if len(days) == 1:
        return days.pop()
    return None


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


def read_register_columns(
    path: Path,
    key: str,
    columns: tuple[str, ...],
    wanted: set[str],
    languages: tuple[str, ...] = ("ru",),
) -> dict[str, dict[str, str]]:
    """Key value -> {column: value} from a screened register, for the keys wanted.

    `key` must be a column of the register; the other `columns` are read where present
    (an optional column left out of a register is as empty as an empty cell). A CSV that is
    not UTF-8 is read in a legacy encoding of `languages`, as the screen read it.
    """
    try:
        source = open_register(str(path), languages=languages)
    except InputError as exc:
        raise BadInput(f"--register: {exc}") from exc
    present = {name.casefold(): name for name in source.columns}
    if key.casefold() not in present:
        raise BadInput(f"--register {path.name}: no {key} column")
    found: dict[str, dict[str, str]] = {}
    for batch in source.batches():
        ids = _texts(batch.column(present[key.casefold()]))
        values = {name: _optional(batch, present.get(name.casefold())) for name in columns}
        for i, record_id in enumerate(ids):
            # The first occurrence wins, as in screening.
            if record_id in wanted and record_id not in found:
                found[record_id] = {name: values[name][i] for name in columns}
    return found


def _optional(batch: pa.RecordBatch, name: str | None) -> list[str]:
    if name is None:
        return [""] * batch.num_rows
    return _texts(batch.column(name))


def register_day(text: str) -> dt.date | None:
    """A register's date as `records.md` writes it (`YYYY-MM-DD`, `DD.MM.YYYY`, or a typed
    date read as text); None for an empty or unreadable one (the screen rejected those)."""
    text = text.strip()
    try:
        if len(text) == 10 and text[2] == "." and text[5] == ".":
            return dt.date(int(text[6:]), int(text[3:5]), int(text[:2]))
        return dt.date.fromisoformat(text[:10]) if len(text) >= 10 else None
    except ValueError:
        return None
