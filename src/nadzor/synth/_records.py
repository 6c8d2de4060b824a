"""Draw the rows of any record type from a `RecordPlan`, chunk by chunk, deterministically.

Each chunk has its own random stream (seed, chunk index), as for the call-up generator, so
the same plan, seed and record count always give the same rows. Every record belongs to at
most one rule trigger: a trigger's share of the records gets its columns drawn its way.
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from nadzor.synth._draw import ROWS_STREAM, chunk_rng, pick
from nadzor.synth._options import SynthError
from nadzor.synth._plan import ColumnPlan, Draw, RecordPlan

__all__ = ["Drawn", "draw_chunk", "text_table", "typed_table"]

_EPOCH = dt.date(1970, 1, 1)
_DEFAULT_DISTINCT = 50
_ID_WIDTH = 8


@dataclass
class Drawn:
    """One column of a chunk: values (days for dates) and where they are not recorded."""

    data: npt.NDArray[Any]
    missing: npt.NDArray[np.bool_]


def draw_chunk(
    plan: RecordPlan, seed: int, index: int, first_row: int, rows: int
) -> dict[str, Drawn]:
    """The columns of chunk `index`: `rows` records numbered from `first_row` (0-based)."""
    rng = chunk_rng(seed, index, ROWS_STREAM)
    shares = [trigger.share for trigger in plan.triggers]
    # A record draws u in [0, 1): below the first share it triggers the first rule, and so
    # on; above their sum it triggers none.
    bounds = np.cumsum(np.asarray(shares, dtype=np.float64)) if shares else np.zeros(0)
    assigned = np.searchsorted(bounds, rng.random(rows), side="right")
    drawn: dict[str, Drawn] = {}
    for column in _in_order(plan):
        everyone = np.arange(rows)
        values = _draw(plan, column, column.draw, everyone, drawn, rng, first_row)
        for number, trigger in enumerate(plan.triggers):
            special = dict(trigger.draws).get(column.name)
            if special is None:
                continue
            at = np.flatnonzero(assigned == number)
            if len(at):
                some = _draw(plan, column, special, at, drawn, rng, first_row)
                values.data[at] = some.data
                values.missing[at] = some.missing
        drawn[column.name] = values
    return drawn


def _in_order(plan: RecordPlan) -> list[ColumnPlan]:
    """Columns so that each comes after every column it is drawn from."""
    bases: dict[str, set[str]] = {column.name: set() for column in plan.columns}
    for column in plan.columns:
        for draw in (
            column.draw,
            *(d for t in plan.triggers for n, d in t.draws if n == column.name),
        ):
            bases[column.name] |= {name for name in (draw.base, draw.per) if name is not None}
    done: list[ColumnPlan] = []
    placed: set[str] = set()
    waiting = list(plan.columns)
    while waiting:
        ready = [column for column in waiting if bases[column.name] <= placed]
        if not ready:
            cycle = ", ".join(column.name for column in waiting)
            raise SynthError(f"columns drawn from each other in a circle: {cycle}")
        for column in ready:
            done.append(column)
            placed.add(column.name)
        waiting = [column for column in waiting if column.name not in placed]
    return done


def _draw(
    plan: RecordPlan,
    column: ColumnPlan,
    draw: Draw,
    at: npt.NDArray[np.intp],
    drawn: dict[str, Drawn],
    rng: np.random.Generator,
    first_row: int,
) -> Drawn:
    size = len(at)
    missing = np.zeros(size, dtype=np.bool_)
    if draw.value is not None:
        data = np.full(size, _parse(column, draw.value), dtype=_dtype(column))
    elif draw.values:
        choices = np.array([_parse(column, v) for v in draw.values], dtype=_dtype(column))
        weights = draw.weights or tuple(1.0 for _ in draw.values)
        if draw.per is not None:
            data = choices[_pick_per(drawn[draw.per].data[at], weights, column.name)]
        else:
            data = choices[pick(rng, weights, size)]
    elif draw.base is not None:
        base = drawn[draw.base]
        low, high = int(draw.add[0]), int(draw.add[1])
        step = rng.integers(low, high + 1, size)
        start = base.data[at]
        if draw.times != (1.0, 1.0):
            start = start * rng.uniform(draw.times[0], draw.times[1], size)
            start = np.rint(start) if column.type != "decimal" else np.round(start, 1)
        data = (start + step).astype(_dtype(column))
        missing |= base.missing[at]
    elif column.type in ("list<text>", "list<date>"):
        data = np.full(size, "", dtype=object)
        missing[:] = True  # lists are left empty unless hinted
    elif column.type == "text":
        data = _ids(plan, column, draw, at, rng, first_row)
    else:
        data = _uniform(plan, column, draw, size, rng)
    if draw.missing and not column.required:
        missing |= rng.random(size) < draw.missing
    return Drawn(data, missing)


def _pick_per(keys: npt.NDArray[Any], weights: Sequence[float], salt: str) -> npt.NDArray[np.int64]:
    """An index into `weights` for each key, the same for equal keys in any chunk or run:
    a function of the key (and of `salt`, so that two columns drawn per key differ)."""
    unique, inverse = np.unique(keys.astype(str), return_inverse=True)
    cumulative = np.cumsum(np.asarray(weights, dtype=np.float64))
    picked = np.empty(len(unique), dtype=np.int64)
    for i, key in enumerate(unique.tolist()):
        u = (zlib.crc32(f"{salt}\0{key}".encode()) / 2**32) * cumulative[-1]
        picked[i] = min(int(np.searchsorted(cumulative, u, side="right")), len(cumulative) - 1)
    chosen: npt.NDArray[np.int64] = picked[inverse.reshape(-1)]
    return chosen


def _ids(
    plan: RecordPlan,
    column: ColumnPlan,
    draw: Draw,
    at: npt.NDArray[np.intp],
    rng: np.random.Generator,
    first_row: int,
) -> npt.NDArray[Any]:
    prefix = draw.prefix or (column.name[:3].upper() + "-")
    if column.name == plan.key:
        numbers = at + first_row + 1
    else:
        numbers = rng.integers(1, (draw.distinct or _DEFAULT_DISTINCT) + 1, len(at))
    return np.array([f"{prefix}{n:0{_ID_WIDTH}d}" for n in numbers.tolist()], dtype=object)


def _uniform(
    plan: RecordPlan, column: ColumnPlan, draw: Draw, size: int, rng: np.random.Generator
) -> npt.NDArray[Any]:
    if column.type == "enum":
        return np.array(column.values, dtype=object)[rng.integers(0, len(column.values), size)]
    if column.type == "bool":
        return rng.random(size) < 0.5
    if column.type == "date":
        first, last = plan.dates
        low = _days(draw.low) if draw.low else (first - _EPOCH).days
        high = _days(draw.high) if draw.high else (last - _EPOCH).days
        return rng.integers(low, high + 1, size).astype(np.int64)
    low_n = float(draw.low) if draw.low else (column.min if column.min is not None else 0.0)
    high_n = float(draw.high) if draw.high else (column.max if column.max is not None else 100.0)
    if column.type == "int":
        return rng.integers(int(low_n), int(high_n) + 1, size).astype(np.int64)
    return np.round(rng.uniform(low_n, high_n, size), 1)


def _dtype(column: ColumnPlan) -> Any:
    return {
        "date": np.int64,
        "int": np.int64,
        "decimal": np.float64,
        "bool": np.bool_,
    }.get(column.type, object)


def _parse(column: ColumnPlan, text: str) -> object:
    try:
        if column.type == "date":
            return _days(text)
        if column.type == "int":
            return int(text)
        if column.type == "decimal":
            return float(text.replace(",", "."))
        if column.type == "bool":
            return text.strip().lower() in ("true", "yes", "1")
    except ValueError as exc:
        raise SynthError(f"column {column.name}: {text!r} is not a {column.type}") from exc
    return text


def _days(text: str) -> int:
    try:
        return (dt.date.fromisoformat(str(text)) - _EPOCH).days
    except ValueError as exc:
        raise SynthError(f"{text!r} is not a date (YYYY-MM-DD)") from exc


def typed_table(plan: RecordPlan, drawn: dict[str, Drawn]) -> pa.Table:
    """The chunk with typed columns (dates, integers, booleans), the rest as text."""
    arrays = [_typed(column, drawn[column.name]) for column in plan.columns]
    return pa.Table.from_arrays(arrays, names=[column.name for column in plan.columns])


def text_table(plan: RecordPlan, drawn: dict[str, Drawn]) -> pa.Table:
    """The chunk as a register's text: dates YYYY-MM-DD, bools true/false, null empty."""
    table = typed_table(plan, drawn)
    return pa.Table.from_arrays(
        [table.column(i).cast(pa.string()) for i in range(table.num_columns)],
        names=table.column_names,
    )


def _typed(column: ColumnPlan, values: Drawn) -> pa.Array[Any]:
    mask = values.missing
    if column.type == "date":
        return pa.array(values.data.astype(np.int32), type=pa.date32(), mask=mask)
    if column.type == "int":
        return pa.array(values.data, type=pa.int64(), mask=mask)
    if column.type == "bool":
        return pa.array(values.data, type=pa.bool_(), mask=mask)
    if column.type == "decimal":
        text = [_decimal_text(v) for v in values.data.tolist()]
        return pa.array(text, type=pa.string(), mask=mask)
    return pa.array(values.data.tolist(), type=pa.string(), mask=mask)


def _decimal_text(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")
