"""The same compiled rules on every registered engine: identical outputs, nothing dropped.

DuckDB is the reference; every other engine registered with `register_engine` must give
the same outputs. A new engine adds how to reach it in tests to `ENGINE_SPECS`.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nadzor.rules import Rulebook, builtin_rulebooks, load_rulebook, resolve_rulebook
from nadzor.screening import ScreenReport, ScreenRequest, registered_engines, screen
from tests.conftest import EXAMPLES

RULEBOOK = resolve_rulebook("ru-2022")
COLUMNS = [c.name for c in RULEBOOK.record_type.columns]
FUNCTIONS = load_rulebook(Path(__file__).resolve().parent / "fixtures" / "functions")

#: how the tests reach each engine: its spec, from the pytest request
ENGINE_SPECS: dict[str, Callable[[pytest.FixtureRequest], str]] = {
    "duckdb": lambda request: "duckdb",
    "postgresql": lambda request: str(request.getfixturevalue("postgres_url")),
    "spark": lambda request: str(request.getfixturevalue("spark_spec")),
}
#: engines whose every query costs about a second (Spark plans each one on the JVM): the
#: property tests try fewer examples on them, so that the suite's time stays short
SLOW_ENGINES = {"spark": 2}
MARKS = {"spark": [pytest.mark.spark]}
OTHER_ENGINES = [name for name in ENGINE_SPECS if name != "duckdb"]
FAST_ENGINES = [name for name in OTHER_ENGINES if name not in SLOW_ENGINES]


def _params(names: list[str]) -> list[object]:
    return [pytest.param(name, marks=MARKS.get(name, [])) for name in names]


def test_every_registered_engine_is_in_the_parity_suite() -> None:
    assert set(registered_engines()) == set(ENGINE_SPECS)


@pytest.fixture(params=_params([n for n in ENGINE_SPECS if n not in SLOW_ENGINES]))
def engine_spec(request: pytest.FixtureRequest) -> str:
    """Each engine on its own (a slow one is covered by the comparisons with DuckDB)."""
    return ENGINE_SPECS[request.param](request)


@pytest.fixture(params=_params(OTHER_ENGINES))
def other_engine(request: pytest.FixtureRequest) -> str:
    return ENGINE_SPECS[request.param](request)


@pytest.fixture(params=_params(FAST_ENGINES))
def fast_engine(request: pytest.FixtureRequest) -> str:
    return ENGINE_SPECS[request.param](request)


@pytest.fixture(params=_params(list(SLOW_ENGINES)))
def slow_engine(request: pytest.FixtureRequest) -> str:
    return ENGINE_SPECS[request.param](request)


def _screen(
    register: Path | str,
    out: Path,
    engine: str,
    as_of: dt.date | None = None,
    *,
    summary: bool = True,
    rulebook: Rulebook = RULEBOOK,
) -> ScreenReport:
    out.mkdir(parents=True, exist_ok=True)
    request = ScreenRequest(
        register=str(register),
        rulebook=rulebook,
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


def _published_runs() -> list[tuple[str, str, dt.date | None]]:
    """Every run of a built-in rulebook whose expected findings the spec publishes:
    `<id>-findings.csv` is the run without `--as-of`, `<id>-findings-as-of-<day>.csv` the
    run judged on that day."""
    runs: list[tuple[str, str, dt.date | None]] = []
    for book in sorted(builtin_rulebooks()):
        if not (EXAMPLES / f"{book}-register.csv").is_file():
            continue
        if (EXAMPLES / f"{book}-findings.csv").is_file():
            runs.append((f"{book}-register.csv", book, None))
        for expected in sorted(EXAMPLES.glob(f"{book}-findings-as-of-*.csv")):
            day = expected.stem.removeprefix(f"{book}-findings-as-of-")
            runs.append((f"{book}-register.csv", book, dt.date.fromisoformat(day)))
    return runs


EXAMPLE_RUNS = _published_runs()
# further days around the law's changes, beyond the published ones (not on slow engines)
MORE_RUNS = [
    ("ru-2022-register.csv", "ru-2022", dt.date(2024, 6, 1)),
    ("ru-2022-provision-register.csv", "ru-2022-provision", dt.date(2022, 12, 5)),
    ("ua-2022-register.csv", "ua-2022", dt.date(2024, 5, 17)),
]


def test_every_published_example_run_is_in_the_parity_suite() -> None:
    if not EXAMPLES.is_dir():
        pytest.skip("the spec's examples are not beside the project")
    books = {book for _, book, _ in _published_runs()}
    assert {"ru-2022", "ru-2022-provision", "ru-2022-facilities"} <= books


MALFORMED = [
    ",".join(COLUMNS[:10]),
    "m1,2022-10-10,1990-05-14,M,true,true,soldier,A,2022-10-01,2011-07-19",
    "m2,2022-10-10,1990-05-14,M,true,true,soldier,A",  # too few fields
    "m3,2022-10-10,1990-05-14,M,true,true,soldier,A,2022-10-01,2011-07-19,extra",  # too many
    "m4,10.10.2022,31.02.1990,Ж,да,нет,General,Д,,2011-07-19;x",
    "m1,2022-10-10,1990-05-14,M,true,true,soldier,A,2022-10-01,",  # duplicate key
    "m5,2022-10-10,1990-05-14,M,true,true,soldier,A,2022-10-01,20\x0011-07-19",  # NUL
    ",2022-10-10,1990-05-14,M,maybe,true,private,Q,2022-13-01,",
    '"m6","2022-10-10","1990-05-14","M","true","true","soldier","A","2022-10-01","2011-07-19',
]


def test_a_malformed_register_gives_the_same_rejects(other_engine: str, tmp_path: Path) -> None:
    register = tmp_path / "malformed.csv"
    text = "\n".join(MALFORMED) + "\n"
    register.write_text(text, encoding="utf-8")
    duck = _screen(register, tmp_path / "duck", "duckdb")
    others = {"other": _screen(register, tmp_path / "other", other_engine)}
    if _reads_urls(other_engine):
        # the same file at a URL, read (CSV parsing included) by the engine, not by nadzor
        others["url"] = _screen(register.as_uri(), tmp_path / "url", other_engine)
    assert duck.rejected >= 6
    for name, other in others.items():
        assert (other.rows_read, other.screened, other.rejected) == (
            duck.rows_read,
            duck.screened,
            duck.rejected,
        )
        assert other.warnings == duck.warnings
        _same_outputs(tmp_path / "duck", tmp_path / name)


def _reads_urls(spec: str) -> bool:
    """Does the engine `spec` names read registers at URLs itself (Spark's engines)?"""
    entry = registered_engines()["spark"]
    accepts = entry.accepts is not None and entry.accepts(spec)
    return spec == entry.name or accepts or spec.split("://", 1)[0] in entry.schemes


def test_parquet_registers_and_outputs_agree(other_engine: str, tmp_path: Path) -> None:
    """A Parquet register in two files, read in place where the engine can (Spark reads
    it itself), numbered across the files; Parquet outputs hold the same rows."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    source = EXAMPLES / "ru-2022-register.csv"
    if not source.is_file():
        pytest.skip("the spec's examples are not beside the project")
    table = pacsv.read_csv(
        source, convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(COLUMNS, "string"))
    )
    folder = tmp_path / "register"
    folder.mkdir()
    half = table.num_rows // 2
    pq.write_table(table.slice(0, half), folder / "part-0.parquet")
    pq.write_table(table.slice(half), folder / "part-1.parquet")
    outputs = {}
    for name, engine in (("duck", "duckdb"), ("other", other_engine)):
        out = tmp_path / name
        out.mkdir()
        request = ScreenRequest(
            register=str(folder),
            rulebook=RULEBOOK,
            out=out / "findings.parquet",
            rejects=out / "rejects.parquet",
            summary=out / "summary.parquet",
            engine=engine,
        )
        report = screen(request)
        outputs[name] = (
            report.findings,
            report.rejected,
            {
                part: sorted(
                    pq.read_table(out / f"{part}.parquet").to_pylist(), key=lambda r: str(r)
                )
                for part in ("findings", "rejects", "summary")
            },
        )
    assert outputs["other"] == outputs["duck"]
    assert outputs["duck"][1] > 0


@pytest.mark.parametrize(("name", "book", "as_of"), EXAMPLE_RUNS)
def test_every_engine_gives_identical_outputs_on_the_examples(
    other_engine: str, tmp_path: Path, name: str, book: str, as_of: dt.date | None
) -> None:
    _example_agrees(other_engine, tmp_path, name, book, as_of)


@pytest.mark.parametrize(("name", "book", "as_of"), MORE_RUNS)
def test_engines_agree_on_the_examples_on_more_days(
    fast_engine: str, tmp_path: Path, name: str, book: str, as_of: dt.date | None
) -> None:
    _example_agrees(fast_engine, tmp_path, name, book, as_of)


def _example_agrees(
    other_engine: str, tmp_path: Path, name: str, book: str, as_of: dt.date | None
) -> None:
    register = EXAMPLES / name
    if not register.is_file():
        pytest.skip("the spec's examples are not beside the project")
    rulebook = resolve_rulebook(book)
    duck = _screen(register, tmp_path / "duck", "duckdb", as_of, rulebook=rulebook)
    pg = _screen(register, tmp_path / "pg", other_engine, as_of, rulebook=rulebook)
    assert (pg.rows_read, pg.screened, pg.rejected) == (
        duck.rows_read,
        duck.screened,
        duck.rejected,
    )
    assert pg.rules == duck.rules and pg.verdicts == duck.verdicts
    _same_outputs(tmp_path / "duck", tmp_path / "pg")


def test_counts_and_outputs_are_the_same_without_a_summary(
    engine_spec: str, tmp_path: Path
) -> None:
    """Without a summary only the rows that findings and rejects read are kept after
    screening; every count must still cover all rows."""
    register = EXAMPLES / "ru-2022-register.csv"
    if not register.is_file():
        pytest.skip("the spec's examples are not beside the project")
    url = engine_spec
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
    fast_engine: str, tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, str]]
) -> None:
    _generated_register_agrees(fast_engine, tmp_path_factory, rows)


@settings(
    max_examples=SLOW_ENGINES["spark"],
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=ROWS)
def test_generated_registers_agree_on_slow_engines(
    slow_engine: str, tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, str]]
) -> None:
    _generated_register_agrees(slow_engine, tmp_path_factory, rows)


def _generated_register_agrees(
    other_engine: str, tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, str]]
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
    pg = _screen(register, directory / "pg", other_engine)
    assert (pg.screened, pg.rejected) == (duck.screened, duck.rejected)
    _same_outputs(directory / "duck", directory / "pg")


# --- the functions of the expression language, on every engine -----------------------------

FN_DATES = st.one_of(
    st.dates(dt.date(2021, 12, 20), dt.date(2025, 1, 10)).map(lambda d: d.isoformat()),
    st.sampled_from(["", "2022-03-05", "2022-11-04", "2024-12-28", "2024-12-31", "2022-01-01"]),
)
FN_INTS = st.one_of(st.integers(-40, 40).map(str), st.just(""))
FN_DECIMALS = st.one_of(
    st.decimals(-1000, 1000, places=3, allow_nan=False, allow_infinity=False).map(str),
    st.sampled_from(["", "0", "719,5", "720.000001", "0.05", "-0.1", "12.1234567", "1 000"]),
)
FN_ROWS = st.lists(
    st.fixed_dictionaries(
        {
            "record_id": st.uuids().map(lambda u: u.hex[:8]),
            "day_a": FN_DATES,
            "day_b": FN_DATES,
            "n": FN_INTS,
            "m": FN_INTS,
            "x": FN_DECIMALS,
            "y": FN_DECIMALS,
        }
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=FN_ROWS)
def test_functions_give_the_same_values_on_every_engine(
    fast_engine: str, tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, str]]
) -> None:
    """month, day, weekday, add_days, days_between, coalesce, least, greatest, working
    days over a calendar and decimal arithmetic: the explanations show every computed
    value, so the engines agree only if every value is the same."""
    _functions_agree(fast_engine, tmp_path_factory, rows)


@settings(
    max_examples=SLOW_ENGINES["spark"],
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=FN_ROWS)
def test_functions_give_the_same_values_on_slow_engines(
    slow_engine: str, tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, str]]
) -> None:
    _functions_agree(slow_engine, tmp_path_factory, rows)


def _functions_agree(
    other_engine: str, tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, str]]
) -> None:
    directory = tmp_path_factory.mktemp("fn")
    register = directory / "register.csv"
    with register.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    duck = _screen(register, directory / "duck", "duckdb", rulebook=FUNCTIONS)
    other = _screen(register, directory / "other", other_engine, rulebook=FUNCTIONS)
    assert duck.screened + duck.rejected == len(rows)
    assert (other.screened, other.rejected, other.rules) == (
        duck.screened,
        duck.rejected,
        duck.rules,
    )
    _same_outputs(directory / "duck", directory / "other")
