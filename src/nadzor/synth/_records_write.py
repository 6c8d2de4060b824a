"""Write a register of any record type drawn from a `RecordPlan` (CSV or Parquet)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

from nadzor.synth._csv import csv_rows
from nadzor.synth._options import DEFAULT_CHUNK_ROWS, SynthError
from nadzor.synth._plan import RecordPlan
from nadzor.synth._records import draw_chunk, text_table, typed_table
from nadzor.synth._records_dirty import spoil_records
from nadzor.synth._register import ChunkCallback, SynthResult
from nadzor.synth._write import atomic_output, output_format, write_csv, write_parquet

__all__ = ["write_records"]


def write_records(
    target: Path,
    plan: RecordPlan,
    records: int,
    *,
    seed: int = 0,
    dirty: bool = False,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    on_chunk: ChunkCallback | None = None,
) -> SynthResult:
    """Write `records` rows drawn from `plan` to `target`; the same arguments, the same file.

    Under `dirty` every column is text and about 0.5% of rows carry one malformed value.
    """
    if records < 0:
        raise SynthError(f"--records must be 0 or more, got {records}")
    if seed < 0:
        raise SynthError(f"--seed must be 0 or more, got {seed}")
    file_format = output_format(target)
    spoiled = [0]

    def tables() -> Iterator[pa.Table]:
        for index, start in enumerate(range(0, records, chunk_rows)):
            rows = min(chunk_rows, records - start)
            drawn = draw_chunk(plan, seed, index, start, rows)
            if dirty:
                table, count = spoil_records(plan, text_table(plan, drawn), seed, index)
                spoiled[0] += count
            elif file_format == "parquet":
                table = typed_table(plan, drawn)
            else:
                table = text_table(plan, drawn)
            yield table
            if on_chunk is not None:
                on_chunk(rows)

    names = [column.name for column in plan.columns]
    with atomic_output(target) as partial:
        if file_format == "parquet":
            write_parquet(partial, _schema(plan, records, seed, dirty), tables())
        else:
            write_csv(partial, names, (csv_rows(table) for table in tables()))
    return SynthResult(target, file_format, records, spoiled[0])


def _schema(plan: RecordPlan, records: int, seed: int, dirty: bool) -> pa.Schema:
    """The output schema, marked as synthetic so that nobody mistakes it for real data."""
    empty = draw_chunk(plan, seed, 0, 0, 0)
    table = text_table(plan, empty) if dirty else typed_table(plan, empty)
    about = {
        "generator": "nadzor synth",
        "record_type": plan.name,
        "records": records,
        "seed": seed,
        "dirty": dirty,
    }
    return table.schema.with_metadata({"nadzor.synth": json.dumps(about, sort_keys=True)})
