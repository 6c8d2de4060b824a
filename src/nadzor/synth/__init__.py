"""Synthetic registers for demos, tests and benchmarks (`nadzor synth`).

Two generators: the call-up register drawn with the care of a real one (`write_register`),
and any record type drawn from a plain description (`RecordPlan`, `write_records`) that the
command line builds from a rulebook and its `synth:` hints.

Deterministic: the same `SynthOptions` always give the same rows and, for a given
pyarrow version, byte-identical files. Uses numpy and pyarrow only.
"""

from nadzor.synth._columns import COLUMNS, REQUIRED_COLUMNS, TEXT_SCHEMA, TYPED_SCHEMA
from nadzor.synth._dirty import DIRTY_SHARE
from nadzor.synth._generate import generate_chunk
from nadzor.synth._options import CALLUP_WINDOW, DEFAULT_CHUNK_ROWS, SynthError, SynthOptions
from nadzor.synth._plan import ColumnPlan, Draw, RecordPlan, TriggerPlan
from nadzor.synth._records_write import write_records
from nadzor.synth._register import (
    Chunk,
    SynthResult,
    iter_chunks,
    make_chunk,
    register_schema,
    write_register,
)
from nadzor.synth._write import FORMATS, output_format

__all__ = [
    "CALLUP_WINDOW",
    "COLUMNS",
    "DEFAULT_CHUNK_ROWS",
    "DIRTY_SHARE",
    "FORMATS",
    "REQUIRED_COLUMNS",
    "TEXT_SCHEMA",
    "TYPED_SCHEMA",
    "Chunk",
    "ColumnPlan",
    "Draw",
    "RecordPlan",
    "SynthError",
    "SynthOptions",
    "SynthResult",
    "TriggerPlan",
    "generate_chunk",
    "iter_chunks",
    "make_chunk",
    "output_format",
    "register_schema",
    "write_records",
    "write_register",
]
