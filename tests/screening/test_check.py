"""Checking records in memory gives exactly what `nadzor screen` gives for the same rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from nadzor.rules import builtin_rulebooks, resolve_rulebook
from nadzor.screening import InputError, check_records
from nadzor.screening._check import as_register_text
from tests.conftest import EXAMPLES, call_cli, read_csv_rows


def _screened(register: Path, rulebook: str, tmp: Path, *extra: str) -> dict[str, Any]:
    """Findings, rejects and verdicts of `nadzor screen` on `register`."""
    out, rejects, summary = tmp / "f.parquet", tmp / "r.parquet", tmp / "s.parquet"
    code = call_cli(
        "screen", register, "--rulebook", rulebook, "--out", out, "--rejects", rejects,
        "--summary", summary, *extra,
    )  # fmt: skip
    assert code in (0, 3)
    return {
        "findings": pq.read_table(out).to_pylist(),
        "rejects": pq.read_table(rejects).to_pylist() if rejects.exists() else [],
        "verdicts": {r["record_id"]: r["verdict"] for r in pq.read_table(summary).to_pylist()},
    }


def _key(row: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(row[k]) for k in sorted(row))


def _same(checked: Any, screened: dict[str, Any]) -> None:
    assert sorted(map(_key, checked.findings)) == sorted(map(_key, screened["findings"]))
    assert sorted(map(_key, checked.rejects)) == sorted(map(_key, screened["rejects"]))
    assert checked.verdicts == screened["verdicts"]


_EXAMPLES = [
    (rulebook, EXAMPLES / f"{rulebook}-register.csv")
    for rulebook in builtin_rulebooks()
    if (EXAMPLES / f"{rulebook}-register.csv").is_file()
]


@pytest.mark.parametrize(("rulebook", "register"), _EXAMPLES, ids=[r for r, _ in _EXAMPLES])
@pytest.mark.parametrize("as_of", [None, "2023-06-01"])
def test_every_example_register_checks_as_it_screens(
    rulebook: str, register: Path, as_of: str | None, tmp_path: Path
) -> None:
    extra = ("--as-of", as_of) if as_of else ()
    screened = _screened(register, rulebook, tmp_path, *extra)
    day = dt.date.fromisoformat(as_of) if as_of else None
    checked = check_records(resolve_rulebook(rulebook), read_csv_rows(register), as_of=day)
    assert screened["findings"] and screened["rejects"]  # the example exercises both
    _same(checked, screened)


@pytest.mark.parametrize("rulebook", ["ru-2022"])
def test_ten_thousand_synthetic_records_check_as_they_screen(rulebook: str, tmp_path: Path) -> None:
    register = tmp_path / "synth.csv"
    assert call_cli("synth", "--records", 10_000, "--seed", 12, "--out", register) == 0
    screened = _screened(register, rulebook, tmp_path)
    rows = read_csv_rows(register)
    checked = check_records(resolve_rulebook(rulebook), rows)
    assert len(screened["findings"]) > 1000
    _same(checked, screened)


def test_one_record_as_json_values() -> None:
    rulebook = resolve_rulebook("ru-2022")
    record = {
        "record_id": "p",
        "callup_date": "2022-10-01",
        "birth_date": dt.date(1990, 1, 1),
        "sex": "м",
        "ru_citizen": True,
        "in_reserve": "да",
        "rank_group": "soldier",
        "health_category": "Д",
        "children_birth_dates": [],
        "shoe_size": 44,
    }
    result = check_records(rulebook, [record])
    assert [f["rule_id"] for f in result.findings] == ["RU22-HEALTH-D"]
    assert result.verdicts == {"p": "unlawful"}
    assert result.warnings == ["ignored field(s) not in the call-up register: shoe_size"]


def test_a_bad_value_is_a_reject_naming_the_field() -> None:
    rulebook = resolve_rulebook("ru-2022")
    record = {"record_id": "p", "callup_date": "2022-10-01", "birth_date": "1990-01-01",
              "sex": "M", "ru_citizen": True, "in_reserve": True, "rank_group": "soldier",
              "wife_pregnancy_weeks": 60}  # fmt: skip
    result = check_records(rulebook, [record])
    assert result.findings == [] and result.verdicts == {}
    assert [(r["column"], r["value"]) for r in result.rejects] == [("wife_pregnancy_weeks", "60")]


def test_as_of_outside_the_rulebook_is_refused() -> None:
    with pytest.raises(InputError, match="before rulebook ru-2022"):
        check_records(resolve_rulebook("ru-2022"), [], as_of=dt.date(2022, 1, 1))


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, None), (True, "true"), (False, "false"), (7, "7"), (["a", "b"], "a;b"),
     (dt.date(2022, 1, 2), "2022-01-02"), ([dt.date(2020, 1, 1), None], "2020-01-01")],
)  # fmt: skip
def test_values_become_register_text(value: object, text: str | None) -> None:
    assert as_register_text(value) == text


def test_concurrent_single_checks_are_batched_with_the_same_results(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    from nadzor.screening import _check_batch, check_one

    rulebook = resolve_rulebook("ru-2022")
    rows = read_csv_rows(EXAMPLES / "ru-2022-register.csv")
    rows = [{**row, "record_id": f"p{n}"} for n, row in enumerate(rows)]  # no duplicate ids
    rows[3] = {**rows[3], "shoe_size": "44"}
    alone = [check_records(rulebook, [row]) for row in rows]
    together: list[Any] = [None] * len(rows)
    calls: list[int] = []
    queued = threading.Event()

    def counted(rulebook: Any, records: Any, **options: Any) -> Any:
        # the first leader waits until every other caller is queued: then one batch follows
        if not calls:
            assert queued.wait(60)
        calls.append(len(records))
        return check_records(rulebook, records, **options)

    def watch_queue() -> None:
        while True:
            with _check_batch._lock:
                if sum(len(q.items) for q in _check_batch._queues.values()) == len(rows) - 1:
                    queued.set()
                    return
            threading.Event().wait(0.01)

    monkeypatch.setattr(_check_batch, "check_records", counted)
    threading.Thread(target=watch_queue, daemon=True).start()

    def run(n: int) -> None:
        together[n] = check_one(rulebook, rows[n])

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(rows))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert together == alone
    assert calls == [1, len(rows) - 1]
    assert any(r.rejects for r in alone) and any(r.findings for r in alone)
    assert together[3].warnings == ["ignored field(s) not in the call-up register: shoe_size"]
