"""A whole register: chunks generated on a few threads and streamed, in order, to a file."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from nadzor.synth._columns import COLUMNS, TEXT_SCHEMA, TYPED_SCHEMA
from nadzor.synth._csv import csv_rows
from nadzor.synth._dirty import spoil
from nadzor.synth._draw import DIRT_STREAM, chunk_rng
from nadzor.synth._generate import generate_chunk
from nadzor.synth._options import SynthOptions
from nadzor.synth._pipeline import DEFAULT_WORKERS, ordered_map
from nadzor.synth._text import to_text
from nadzor.synth._write import atomic_output, output_format, write_csv, write_parquet

__all__ = [
    "Chunk",
    "SynthResult",
    "iter_chunks",
    "make_chunk",
    "register_schema",
    "write_register",
]

ChunkCallback = Callable[[int], None]


@dataclass(frozen=True)
class Chunk:
    """Rows of one chunk: typed, or all text with some rows spoiled under --dirty."""

    index: int
    table: pa.Table
    spoiled: int


@dataclass(frozen=True)
class SynthResult:
    """What `write_register` wrote."""

    path: Path
    file_format: str
    records: int
    spoiled: int


def make_chunk(options: SynthOptions, index: int) -> Chunk:
    """Chunk `index` as it is written: typed, or text with spoiled rows if `dirty`."""
    typed = generate_chunk(options, index)
    if not options.dirty:
        return Chunk(index, typed, 0)
    rng = chunk_rng(options.seed, index, DIRT_STREAM)
    table, spoiled = spoil(to_text(typed), typed, rng)
    return Chunk(index, table, spoiled)


def iter_chunks(options: SynthOptions, workers: int = DEFAULT_WORKERS) -> Iterator[Chunk]:
    """All chunks in order, computed ahead on `workers` threads.

    Each chunk has its own random stream, so the threads change nothing in the rows,
    and only a few chunks exist at a time, so memory stays bounded at any size.
    """
    work = functools.partial(make_chunk, options)
    return ordered_map(work, options.chunk_count, workers)


def register_schema(options: SynthOptions) -> pa.Schema:
    """The output schema, marked as synthetic so that nobody mistakes it for real data."""
    schema = TEXT_SCHEMA if options.dirty else TYPED_SCHEMA
    about = {
        "generator": "nadzor synth",
        "records": options.records,
        "seed": options.seed,
        "callup_from": options.callup_from.isoformat(),
        "callup_to": options.callup_to.isoformat(),
        "dirty": options.dirty,
    }
    return schema.with_metadata({"nadzor.synth": json.dumps(about, sort_keys=True)})


def write_register(
    target: Path,
    options: SynthOptions,
    on_chunk: ChunkCallback | None = None,
    workers: int = DEFAULT_WORKERS,
) -> SynthResult:
    """Write the register to `target` (`.csv` or `.parquet`); `on_chunk(rows)` after each.

    `workers` threads prepare chunks ahead of the writer; the file is the same for any
    number. Raises `SynthError` for an unknown extension or a missing directory, before
    any work.
    """
    file_format = output_format(target)
    tally = _Tally(on_chunk)
    with atomic_output(target) as partial:
        if file_format == "parquet":
            tables = _tables(options, workers, tally)
            write_parquet(partial, register_schema(options), tables)
        else:
            write_csv(partial, COLUMNS, _csv_pieces(options, workers, tally))
    return SynthResult(target, file_format, options.records, tally.spoiled)


@dataclass
class _Tally:
    """Counts what has been written and reports each chunk to the caller."""

    on_chunk: ChunkCallback | None
    spoiled: int = 0

    def add(self, rows: int, spoiled: int) -> None:
        self.spoiled += spoiled
        if self.on_chunk is not None:
            self.on_chunk(rows)


def _tables(options: SynthOptions, workers: int, tally: _Tally) -> Iterator[pa.Table]:
    for chunk in iter_chunks(options, workers):
        yield chunk.table
        tally.add(chunk.table.num_rows, chunk.spoiled)


def _csv_pieces(options: SynthOptions, workers: int, tally: _Tally) -> Iterator[pa.Buffer]:
    # Encoding CSV costs more than drawing the rows: it runs on the worker thread too,
    # leaving the caller's thread only the writing.
    work = functools.partial(_csv_chunk, options)
    for rows, spoiled, piece in ordered_map(work, options.chunk_count, workers):
        yield piece
        tally.add(rows, spoiled)


def _csv_chunk(options: SynthOptions, index: int) -> tuple[int, int, pa.Buffer]:
    chunk = make_chunk(options, index)
    return chunk.table.num_rows, chunk.spoiled, csv_rows(to_text(chunk.table))
