"""Screening: compile a rulebook into engine expressions and run it over a register.

The engines are reached only through Ibis. Nothing here knows the web or the command line.
"""

from nadzor.screening._engine import Engine, open_engine, register_engine, registered_engines
from nadzor.screening._open import open_register
from nadzor.screening._outputs import FINDINGS_SCHEMA, REJECTS_SCHEMA, SUMMARY_SCHEMA
from nadzor.screening._run import Progress, ScreenReport, ScreenRequest, screen
from nadzor.screening._selftest import TestFailure, TestRun, run_rulebook_tests
from nadzor.screening._source import InputError, RegisterSource, StructuralReject

__all__ = [
    "FINDINGS_SCHEMA",
    "REJECTS_SCHEMA",
    "SUMMARY_SCHEMA",
    "Engine",
    "InputError",
    "Progress",
    "RegisterSource",
    "ScreenReport",
    "ScreenRequest",
    "StructuralReject",
    "TestFailure",
    "TestRun",
    "open_engine",
    "open_register",
    "register_engine",
    "registered_engines",
    "run_rulebook_tests",
    "screen",
]
