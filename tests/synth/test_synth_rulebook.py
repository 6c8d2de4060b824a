"""`nadzor synth --rulebook ID`: a register of any record type, with the share of records
that trigger each rule set by the rulebook's `synth:` hints."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import read_csv_rows

FIXTURE = Path(__file__).parents[1] / "cases" / "fixtures" / "inspect-2023"
HINTS = """
synth:
  dates: {from: 2023-01-01, to: 2023-10-31}
  columns:
    facility: {prefix: C-, distinct: 20}
    opened_on: {from: inspected_on, add: [-400, -1]}
    occupants: {range: [10, 100]}
    beds: {from: occupants, add: [0, 10]}
    has_medic: true
    winter_kit_issued: full
    inspector: {values: [Orlov, Petrova, Sidorov], weights: [3, 1, 1], per: facility}
  rules:
    FAC-OVERCROWDED: {share: 0.10, set: {beds: {from: occupants, times: [0.5, 0.9]}}}
    FAC-NO-MEDIC: {share: 0.05, set: {has_medic: false, occupants: {range: [100, 150]}}}
"""
RECORDS = 4000


@pytest.fixture
def rulebook(tmp_path: Path) -> Path:
    copy = tmp_path / "inspect-2023"
    shutil.copytree(FIXTURE, copy)
    (copy / "synth.yaml").write_text(HINTS, encoding="utf-8")
    return copy


def _screen(
    run_cli: Any, rulebook: Path, register: Path, out: Path
) -> tuple[int, Counter[str], int]:
    done = run_cli(
        "screen", register, "--rulebook", rulebook, "--out", out / "f.csv", "--rejects",
        out / "r.csv",
    )  # fmt: skip
    rules = Counter(row["rule_id"] for row in read_csv_rows(out / "f.csv"))
    rejects = out / "r.csv"
    return done.code, rules, len(read_csv_rows(rejects)) if rejects.exists() else 0


def test_rule_shares_follow_the_hints_and_nothing_is_rejected(
    tmp_path: Path, rulebook: Path, run_cli: Any
) -> None:
    register = tmp_path / "inspections.csv"
    done = run_cli("synth", "--rulebook", rulebook, "-n", RECORDS, "--out", register)
    assert done.code == 0, done.err
    assert f"wrote {RECORDS} records" in done.out
    rows = read_csv_rows(register)
    assert list(rows[0]) == ["inspection_id", "inspected_on", "facility", "opened_on", "beds",
                             "occupants", "has_medic", "winter_kit_issued", "defects", "inspector"]  # fmt: skip
    assert len({row["inspection_id"] for row in rows}) == RECORDS
    assert len({row["facility"] for row in rows}) <= 20  # facilities inspected many times
    inspectors = {(row["facility"], row["inspector"]) for row in rows}
    assert len(inspectors) == len({row["facility"] for row in rows})  # one per facility
    assert len({row["inspector"] for row in rows}) > 1
    assert all("2023-01-01" <= row["inspected_on"] <= "2023-10-31" for row in rows)
    code, rules, rejected = _screen(run_cli, rulebook, register, tmp_path)
    assert (code, rejected) == (0, 0)
    assert set(rules) == {"FAC-OVERCROWDED", "FAC-NO-MEDIC"}
    assert abs(rules["FAC-OVERCROWDED"] / RECORDS - 0.10) < 0.02
    assert abs(rules["FAC-NO-MEDIC"] / RECORDS - 0.05) < 0.015


def test_the_same_arguments_give_the_same_file(
    tmp_path: Path, rulebook: Path, run_cli: Any
) -> None:
    first, second, other = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    for target, seed in ((first, "3"), (second, "3"), (other, "4")):
        assert (
            run_cli(
                "synth", "--rulebook", rulebook, "-n", 500, "--seed", seed, "--out", target
            ).code
            == 0
        )
    assert first.read_bytes() == second.read_bytes() != other.read_bytes()
    parquet = tmp_path / "a.parquet"
    assert run_cli("synth", "--rulebook", rulebook, "-n", 500, "--out", parquet).code == 0


def test_dirty_spoils_rows_that_screening_rejects(
    tmp_path: Path, rulebook: Path, run_cli: Any
) -> None:
    register = tmp_path / "messy.csv"
    done = run_cli("synth", "--rulebook", rulebook, "-n", RECORDS, "--dirty", "--out", register)
    assert done.code == 0
    spoiled = int(done.out.split("(")[1].split(" malformed")[0])
    assert 0.002 < spoiled / RECORDS < 0.009  # about 0.5%, as for call-up registers
    code, _, rejected = _screen(run_cli, rulebook, register, tmp_path)
    assert (code, rejected) == (3, spoiled)


def test_the_call_up_rulebook_keeps_its_own_generator(tmp_path: Path, run_cli: Any) -> None:
    plain, by_id = tmp_path / "plain.csv", tmp_path / "by-id.csv"
    assert run_cli("synth", "-n", 300, "--out", plain).code == 0
    assert run_cli("synth", "--rulebook", "ru-2022", "-n", 300, "--out", by_id).code == 0
    assert plain.read_bytes() == by_id.read_bytes()


@pytest.mark.parametrize(
    ("hints", "message"),
    [
        ("synth:\n  colour: red\n", "unknown key(s) colour"),
        ("synth:\n  columns: {nope: 1}\n", "no column 'nope'"),
        ("synth:\n  rules: {FAC-NOPE: {share: 0.1}}\n", "no such rule"),
        ("synth:\n  rules: {FAC-OVERCROWDED: {share: 1.5}}\n", "more than all records"),
        ("synth:\n  columns: {beds: {from: beds2}}\n", "no column 'beds2'"),
    ],
)
def test_bad_hints_are_one_line_errors(
    tmp_path: Path, rulebook: Path, run_cli: Any, hints: str, message: str
) -> None:
    (rulebook / "synth.yaml").write_text(hints, encoding="utf-8")
    done = run_cli("synth", "--rulebook", rulebook, "-n", 10, "--out", tmp_path / "x.csv")
    assert done.code != 0 and message in done.err
    assert not (tmp_path / "x.csv").exists()


def test_without_hints_values_come_from_the_declared_types(tmp_path: Path, run_cli: Any) -> None:
    copy = tmp_path / "plain-rulebook"
    shutil.copytree(FIXTURE, copy)
    register = tmp_path / "r.csv"
    assert run_cli("synth", "--rulebook", copy, "-n", 200, "--out", register).code == 0
    rows = read_csv_rows(register)
    assert {row["winter_kit_issued"] for row in rows} <= {"none", "partial", "full"}
    assert all(0 <= int(row["beds"]) <= 5000 for row in rows)
    assert all("2023-01-01" <= row["inspected_on"] <= "2023-12-31" for row in rows)


def _hinted_builtins() -> list[str]:
    from nadzor.cli._synth_plan import read_hints
    from nadzor.rules import builtin_rulebooks, resolve_rulebook

    names = []
    for name in builtin_rulebooks():
        hints = read_hints(resolve_rulebook(name))
        if hints.raw and hints.generator is None:
            names.append(name)
    return names


@pytest.mark.parametrize("name", _hinted_builtins())
def test_every_built_in_rulebook_gets_a_clean_register_with_its_hinted_rules(
    tmp_path: Path, run_cli: Any, name: str
) -> None:
    from nadzor.cli._synth_plan import plan_for, read_hints
    from nadzor.rules import resolve_rulebook

    book = resolve_rulebook(name)
    plan = plan_for(book, read_hints(book))
    register = tmp_path / "register.csv"
    assert run_cli("synth", "--rulebook", name, "-n", RECORDS, "--out", register).code == 0
    # A rulebook judged on a separate day is judged after every date drawn.
    as_of = ("--as-of", "2025-06-30") if book.judgment == "separate" else ()
    done = run_cli(
        "screen", register, "--rulebook", name, *as_of, "--out", tmp_path / "f.csv",
        "--rejects", tmp_path / "r.csv",
    )  # fmt: skip
    assert done.code == 0, done.err
    rows = read_csv_rows(tmp_path / "f.csv")
    fired = Counter(row["rule_id"] for row in rows)
    hinted = {trigger.rule for trigger in plan.triggers}
    assert hinted <= set(fired)
    flagged = len({row["record_id"] for row in rows})
    expected = sum(trigger.share for trigger in plan.triggers)
    assert abs(flagged / RECORDS - expected) < 0.3 * expected
