"""The columns of the three outputs: the contract of screening.md, without any engine.

The findings schema is the stable data type that cases are built from.
"""

from __future__ import annotations

import pyarrow as pa

from nadzor.rules import Rulebook

__all__ = [
    "FINDINGS_SCHEMA",
    "REJECTS_SCHEMA",
    "SUMMARY_SCHEMA",
    "findings_schema",
    "summary_schema",
]

FINDINGS_SCHEMA: pa.Schema = pa.schema(
    [  # type: ignore[arg-type]
        ("record_id", pa.string()),
        ("rule_id", pa.string()),
        ("outcome", pa.string()),
        ("deferment_until", pa.date32()),
        ("basis", pa.string()),
        ("explanation", pa.string()),
        ("rulebook", pa.string()),
    ]
)
REJECTS_SCHEMA: pa.Schema = pa.schema(
    [  # type: ignore[arg-type]
        ("row", pa.int64()),
        ("record_id", pa.string()),
        ("column", pa.string()),
        ("value", pa.string()),
        ("error", pa.string()),
    ]
)
SUMMARY_SCHEMA = pa.schema(
    [("record_id", pa.string()), ("verdict", pa.string()), ("rule_ids", pa.string())]
)
_AS_OF = pa.field("as_of", pa.date32())


def findings_schema(rulebook: Rulebook) -> pa.Schema:
    """The findings columns; a rulebook judged on a separate day adds the judgment day."""
    if rulebook.judgment == "separate":
        return FINDINGS_SCHEMA.append(_AS_OF)
    return FINDINGS_SCHEMA


def summary_schema(rulebook: Rulebook) -> pa.Schema:
    if rulebook.judgment == "separate":
        return SUMMARY_SCHEMA.append(_AS_OF)
    return SUMMARY_SCHEMA
