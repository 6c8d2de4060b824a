"""The compiled screening query writes each normalised value once and reads it by name.

The engine binds the query again on every run, in proportion to its size, and for a few
rows (the self-check) binding is most of the cost: a value folded or parsed inside every
test that reads it made the query several times longer than the law it states.
"""

from __future__ import annotations

import re

import ibis
import pytest

from nadzor.rules import Rulebook, builtin_rulebooks, resolve_rulebook
from nadzor.screening._check import _compile
from nadzor.screening._compile import ibis_type
from nadzor.screening._engine import open_engine
from nadzor.screening._rules_table import rule_scope

# The rewrite of DD.MM.YYYY into ISO form, as the SQL writes it.
_ISO_REWRITE = re.compile(r"REGEXP_REPLACE\((__ibis_param_\w+__|[^,()]+),\s*'\^\(\[0-9\]\{2\}\)")


def _screen_sql(rulebook: Rulebook) -> str:
    engine = open_engine("duckdb")
    try:
        return _compile(rulebook, None, None, engine, "nz_test").screen
    finally:
        engine.close()


@pytest.fixture(scope="module", params=sorted(builtin_rulebooks()))
def compiled(request: pytest.FixtureRequest) -> tuple[Rulebook, str]:
    rulebook = resolve_rulebook(request.param)
    return rulebook, _screen_sql(rulebook)


def test_each_enum_and_yes_no_column_is_folded_once(compiled: tuple[Rulebook, str]) -> None:
    rulebook, sql = compiled
    folded = [c.name for c in rulebook.record_type.columns if c.type in ("enum", "bool")]
    calls = re.findall(r"LOWER\(", sql)
    assert len(calls) <= len(folded)
    for name in folded:
        assert len(re.findall(rf"LOWER\([^()]*{re.escape(name)}\b", sql)) <= 1, name


def test_each_list_of_dates_is_split_and_parsed_once(compiled: tuple[Rulebook, str]) -> None:
    rulebook, sql = compiled
    lists = [c for c in rulebook.record_type.columns if c.type == "list<date>"]
    # every item's text is rewritten inside exactly one lambda per list column
    in_lambdas = [m for m in _ISO_REWRITE.findall(sql) if m.startswith("__ibis_param_")]
    assert len(in_lambdas) == len(lists)
    assert sql.count("STR_SPLIT(") <= sum(
        1 for c in rulebook.record_type.columns if c.type.startswith("list<")
    )


def test_each_parameter_period_is_tested_once(compiled: tuple[Rulebook, str]) -> None:
    """A parameter's table picks its period once, then its row: the period's bounds are
    not tested again for every row of the table."""
    rulebook, _ = compiled
    record = rulebook.record_type
    table = ibis.table({c.name: ibis_type(c.value_type) for c in record.columns}, name="t")
    scope = rule_scope(table, rulebook, None, lets_done=False)
    for param in rulebook.parameters:
        periods = [p for p in param.periods if getattr(p, "table", None)]
        if param.type == "calendar" or len(param.periods) < 2 or not periods:
            continue
        sql = ibis.to_sql(table.select(v=scope.lookup(param.name)), dialect="duckdb")
        for period in periods:
            start = period.start
            bound = f">= MAKE_DATE({start.year}, {start.month}, {start.day})"
            assert sql.count(bound) == 1, (param.name, start)
