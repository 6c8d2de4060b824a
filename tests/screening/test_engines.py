"""The same compiled rules on DuckDB and PostgreSQL: identical outputs, nothing dropped."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nadzor.rules import resolve_rulebook
from nadzor.screening import ScreenReport, ScreenRequest, screen
from tests.conftest import EXAMPLES

RULEBOOK = resolve_rulebook("ru-2022")
COLUMNS = [c.name for c in RULEBOOK.record_type.columns]


def _screen(
    register: Path,
    out: Path,
    engine: str,
    as_of: dt.date | None = None,
    *,
    summary: bool = True,
) -> ScreenReport:
    out.mkdir(parents=True, exist_ok=True)
    request = ScreenRequest(
        register=str(register),
        rulebook=RULEBOOK,
        out=out / "findings.csv",
        rejects=out / "rejects.csv",
        summary=out / "summary.csv" if summary else None,
        as_of=as_of,
        engine=engine,
    )
    return screen(request)


def _sorted_lines(path: Path) -> list[str]:
    return sorted(path.read_text(encoding="utf-8").splitlines()) if path.exists() else []


def _same_outputs(a: Path, b: Path) -> None:
    for name in ("findings.csv", "rejects.csv", "summary.csv"):
        assert _sorted_lines(a / name) == _sorted_lines(b / name), name


def test_duckdb_smoke(tmp_path: Path) -> None:
    """DuckDB 2 runs the list lambdas (children under 16) that ibis 12 writes with `->`."""
    register = tmp_path / "r.csv"
    register.write_text(
        ",".join(COLUMNS) + "\n"
        "k,2022-10-10,1990-05-14,M,true,true,soldier,A,2022-10-01,2011-07-19;2014-01-05;2019-11-30"
        + "," * (len(COLUMNS) - 10)
        + "\n",
        encoding="utf-8",
    )
    report = _screen(register, tmp_path / "out", "duckdb")
    assert report.rules["RU22-CHILDREN-3"] == 1


@pytest.mark.parametrize("as_of", [None, dt.date(2023, 6, 1), dt.date(2024, 6, 1)])
def test_postgres_gives_identical_outputs_on_the_examples(
    postgres_url: str, tmp_path: Path, as_of: dt.date | None
) -> None:
    register = EXAMPLES / "ru-2022-register.csv"
    if not register.is_file():
        pytest.skip("the spec's examples are not beside the project")
    duck = _screen(register, tmp_path / "duck", "duckdb", as_of)
    pg = _screen(register, tmp_path / "pg", postgres_url, as_of)
    assert (pg.rows_read, pg.screened, pg.rejected) == (
        duck.rows_read,
        duck.screened,
        duck.rejected,
    )
    assert pg.rules == duck.rules and pg.verdicts == duck.verdicts
    _same_outputs(tmp_path / "duck", tmp_path / "pg")


@pytest.mark.parametrize("engine", ["duckdb", "postgresql"])
def test_counts_and_outputs_are_the_same_without_a_summary(
    request: pytest.FixtureRequest, tmp_path: Path, engine: str
) -> None:
    """Without a summary only the rows that findings and rejects read are kept after
    screening; every count must still cover all rows."""
    register = EXAMPLES / "ru-2022-register.csv"
    if not register.is_file():
        pytest.skip("the spec's examples are not beside the project")
    url = request.getfixturevalue("postgres_url") if engine == "postgresql" else engine
    full = _screen(register, tmp_path / "full", url)
    lean = _screen(register, tmp_path / "lean", url, summary=False)
    assert (lean.rows_read, lean.screened, lean.rejected, lean.findings) == (
        full.rows_read,
        full.screened,
        full.rejected,
        full.findings,
    )
    assert lean.verdicts == full.verdicts and lean.rules == full.rules
    assert lean.warnings == full.warnings
    assert full.verdicts["clear"] > 0 and full.rejected > 0
    assert not (tmp_path / "lean" / "summary.csv").exists()
    for name in ("findings.csv", "rejects.csv"):
        assert _sorted_lines(tmp_path / "lean" / name) == _sorted_lines(tmp_path / "full" / name)


DATES = st.one_of(
    st.dates(dt.date(1940, 1, 1), dt.date(2030, 12, 31)).map(lambda d: d.isoformat()),
    st.dates(dt.date(1940, 1, 1), dt.date(2030, 12, 31)).map(lambda d: d.strftime("%d.%m.%Y")),
    st.sampled_from(
        [
            "",
            "2022/09/28",
            "31.02.2022",
            "2022-13-01",
            "1899-12-31",
            "2101-01-01",
            " 2022-09-28 ",
            "x",
        ]
    ),
)
CALLUPS = st.one_of(
    st.dates(dt.date(2022, 9, 15), dt.date(2024, 3, 1)).map(lambda d: d.isoformat()),
    st.sampled_from(["", "2022-09-20", "2022-09-21", "28.09.2022", "bad"]),
)
BOOLS = st.sampled_from(
    ["", "true", "false", "1", "0", "yes", "no", "Y", "n", "да", "НЕТ", "maybe", " TRUE "]
)
VALUES = {
    "record_id": st.sampled_from(["a", "b", "c", "d", " a ", "", "é-1"]),
    "callup_date": CALLUPS,
    "birth_date": DATES,
    "sex": st.sampled_from(["M", "F", "м", "Ж", "x", ""]),
    "rank_group": st.sampled_from(
        ["soldier", "General", "junior_officer", "colonel", "field_officer", "private", ""]
    ),
    "health_category": st.sampled_from(["", "A", "B", "V", "G", "D", "В", "Г", "д", "E"]),
    "health_exam_date": DATES,
    "children_birth_dates": st.lists(DATES, max_size=5).map(";".join),
    "wife_pregnancy_weeks": st.sampled_from(["", "0", "21", "22", "45", "46", "22.0", "+22", "-1"]),
    "reserved_until": DATES,
    "full_time_student_until": DATES,
    "conviction_articles": st.lists(
        st.sampled_from(["131", "205.1", "205.10", "158", "abc", "361", ""]), max_size=3
    ).map(";".join),
    "region": st.sampled_from(["", "Moscow", "Свердловская область"]),
    "commissariat": st.just(""),
}
ROWS = st.lists(
    st.fixed_dictionaries({c: VALUES.get(c, BOOLS) for c in COLUMNS}), min_size=1, max_size=25
)


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=ROWS)
def test_generated_registers_lose_no_row_and_engines_agree(
    postgres_url: str, tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, str]]
) -> None:
    directory = tmp_path_factory.mktemp("gen")
    register = directory / "register.csv"
    with register.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    duck = _screen(register, directory / "duck", "duckdb")
    assert duck.rows_read == len(rows)
    assert duck.screened + duck.rejected == duck.rows_read
    rejects = directory / "duck" / "rejects.csv"
    rejected_rows: set[str] = set()
    if rejects.exists():
        with rejects.open(encoding="utf-8", newline="") as handle:
            rejected_rows = {r["row"] for r in csv.DictReader(handle)}
    assert len(rejected_rows) == duck.rejected
    pg = _screen(register, directory / "pg", postgres_url)
    assert (pg.screened, pg.rejected) == (duck.screened, duck.rejected)
    _same_outputs(directory / "duck", directory / "pg")
