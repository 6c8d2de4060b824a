"""The run's plan: the repeated keys found among the rows whose key hash repeats are those
found among all rows."""

from __future__ import annotations

import random

import ibis
import pytest

from nadzor.rules import resolve_rulebook
from nadzor.screening._plan import _repeat_candidates
from nadzor.screening._validate import duplicate_keys

RULEBOOK = resolve_rulebook("ru-2022")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_repeated_keys_are_the_same_from_the_hash_candidates(seed: int) -> None:
    rng = random.Random(seed)
    spellings = ["R1", " R1", "R1 ", "R2", "r2", "", "  ", None, "R3", "Я4", "Я4 "]
    keys = [rng.choice(spellings) for _ in range(200)] + [f"U{n}" for n in range(300)]
    rng.shuffle(keys)
    raw = ibis.memtable(
        {"_row": list(range(1, len(keys) + 1)), "c0": keys, "_shape": [False] * len(keys)},
        schema={"_row": "int64", "c0": "string", "_shape": "boolean"},
    )
    mapping = {"record_id": "c0"}
    con = ibis.duckdb.connect()

    def found(table: ibis.Table) -> list[tuple[str, int]]:
        result = con.to_pyarrow(duplicate_keys(table, mapping, RULEBOOK)).to_pylist()
        return sorted((r["_k"], r["_first"]) for r in result)

    candidates = _repeat_candidates(raw, mapping, RULEBOOK)
    expected = found(raw)
    assert expected and found(candidates) == expected
    # only the rows of repeated keys are candidates (no two of these keys share a hash)
    repeated = {key for key, _ in expected}
    kept = con.to_pyarrow(candidates)["c0"].to_pylist()
    assert {k.strip() for k in kept if k and k.strip()} == repeated
