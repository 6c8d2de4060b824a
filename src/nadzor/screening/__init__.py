"""Screening: compile a rulebook into engine expressions and run it over a register.

The engines are reached only through Ibis (or the SQL Ibis compiled, kept between runs).
Nothing here knows the web or the command line.

The names below load on first use: `from nadzor.screening import screen` should not pay
for Ibis and the readers of every format before a run needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nadzor.screening._check import CheckResult, check_records
    from nadzor.screening._check_batch import check_one
    from nadzor.screening._engine import (
        Engine,
        open_engine,
        register_engine,
        registered_engines,
    )
    from nadzor.screening._open import open_register
    from nadzor.screening._run import Progress, ScreenReport, ScreenRequest, screen
    from nadzor.screening._schemas import FINDINGS_SCHEMA, REJECTS_SCHEMA, SUMMARY_SCHEMA
    from nadzor.screening._selftest import TestFailure, TestRun, run_rulebook_tests
    from nadzor.screening._source import InputError, RegisterSource, StructuralReject
    from nadzor.screening._spark_register import is_url

_WHERE = {
    "FINDINGS_SCHEMA": "_schemas",
    "REJECTS_SCHEMA": "_schemas",
    "SUMMARY_SCHEMA": "_schemas",
    "CheckResult": "_check",
    "Engine": "_engine",
    "InputError": "_source",
    "Progress": "_run",
    "RegisterSource": "_source",
    "ScreenReport": "_run",
    "ScreenRequest": "_run",
    "StructuralReject": "_source",
    "TestFailure": "_selftest",
    "TestRun": "_selftest",
    "check_one": "_check_batch",
    "check_records": "_check",
    "is_url": "_spark_register",
    "open_engine": "_engine",
    "open_register": "_open",
    "register_engine": "_engine",
    "registered_engines": "_engine",
    "run_rulebook_tests": "_selftest",
    "screen": "_run",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
    globals()[name] = value
    return value


__all__ = [
    "FINDINGS_SCHEMA",
    "REJECTS_SCHEMA",
    "SUMMARY_SCHEMA",
    "CheckResult",
    "Engine",
    "InputError",
    "Progress",
    "RegisterSource",
    "ScreenReport",
    "ScreenRequest",
    "StructuralReject",
    "TestFailure",
    "TestRun",
    "check_one",
    "check_records",
    "is_url",
    "open_engine",
    "open_register",
    "register_engine",
    "registered_engines",
    "run_rulebook_tests",
    "screen",
]
