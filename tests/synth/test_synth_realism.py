"""Rough realism of a clean synthetic register (shares from the synth brief, with slack)."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from nadzor.synth import SynthOptions, generate_chunk

RECORDS = 100_000
CALLUP_FROM = dt.date(2022, 9, 21)
CALLUP_TO = dt.date(2022, 12, 31)
DAY = np.timedelta64(1, "D")

Days = npt.NDArray[np.int64]


@pytest.fixture(scope="module")
def table() -> pa.Table:
    options = SynthOptions(records=RECORDS, seed=11, chunk_rows=RECORDS)
    return generate_chunk(options, 0)


def days(column: pa.ChunkedArray) -> Days:
    """Dates as days since 1970-01-01, -1 for null."""
    filled = pc.fill_null(column.cast(pa.int32()), -1)
    return np.asarray(filled.to_numpy(), dtype=np.int64)


def share(mask: npt.NDArray[np.bool_]) -> float:
    return float(np.mean(mask))


def equal_share(table: pa.Table, column: str, value: object) -> float:
    hits = pc.fill_null(pc.equal(table[column], value), False)
    return pc.sum(hits).as_py() / table.num_rows


def ages(table: pa.Table) -> npt.NDArray[np.float64]:
    return (days(table["callup_date"]) - days(table["birth_date"])) / 365.2425


def children_under_16(table: pa.Table) -> Days:
    kids = table["children_birth_dates"].combine_chunks()
    counts = np.asarray(pc.fill_null(pc.list_value_length(kids), 0).to_numpy(), dtype=np.int64)
    owner = np.repeat(np.arange(table.num_rows), counts)
    born = days(pa.chunked_array([pc.list_flatten(kids)]))
    young = (days(table["callup_date"])[owner] - born) / 365.2425 < 16
    return np.bincount(owner[young], minlength=table.num_rows)


def test_record_ids_are_unique_and_serial(table: pa.Table) -> None:
    ids = table["record_id"].to_pylist()
    assert ids[:2] == ["R000000001", "R000000002"]
    assert len(set(ids)) == RECORDS
    assert all(re.fullmatch(r"R\d{9}", value) for value in ids[:1000])


def test_callup_dates_fill_the_window(table: pa.Table) -> None:
    callup = days(table["callup_date"])
    start = (CALLUP_FROM - dt.date(1970, 1, 1)).days
    end = (CALLUP_TO - dt.date(1970, 1, 1)).days
    assert callup.min() == start and callup.max() == end


def test_sex_ranks_and_status_shares(table: pa.Table) -> None:
    assert 0.01 < equal_share(table, "sex", "F") < 0.03
    assert 0.87 < equal_share(table, "rank_group", "soldier") < 0.93
    assert 0 < equal_share(table, "rank_group", "general") < 0.002
    assert 0.995 < equal_share(table, "ru_citizen", True) < 0.999
    assert 0.985 < equal_share(table, "in_reserve", True) < 0.995


def test_ages_are_mostly_20_to_49_with_small_tails(table: pa.Table) -> None:
    age = ages(table)
    assert share((age >= 20) & (age < 50)) > 0.9
    assert 0.0003 < share(age < 18) < 0.003
    soldiers = pc.equal(table["rank_group"], "soldier").to_numpy(zero_copy_only=False)
    men = pc.equal(table["sex"], "M").to_numpy(zero_copy_only=False)
    assert 0.005 < share(soldiers & men & (age >= 50)) < 0.02


def test_health_categories(table: pa.Table) -> None:
    assert 0.003 < equal_share(table, "health_category", "D") < 0.015
    fit = equal_share(table, "health_category", "A") + equal_share(table, "health_category", "B")
    assert fit > 0.8
    assert 0.06 < equal_share(table, "health_category", "V") < 0.10
    assert 0.01 < equal_share(table, "health_category", "G") < 0.03
    assert 0.02 < table["health_category"].null_count / RECORDS < 0.04


def test_category_g_exams_fall_on_every_side_of_six_months(table: pa.Table) -> None:
    g = np.asarray(pc.fill_null(pc.equal(table["health_category"], "G"), False).to_numpy())
    before = days(table["callup_date"])[g] - days(table["health_exam_date"])[g]
    exam = days(table["health_exam_date"])[g]
    assert share(exam == -1) > 0.05  # no exam date
    dated = before[exam != -1]
    assert share((dated >= 0) & (dated <= 180)) > 0.2
    assert share(dated > 186) > 0.2
    assert share(dated < 0) > 0.05  # examined after the call-up


def test_exams_are_mostly_within_the_year_before_callup(table: pa.Table) -> None:
    exam = days(table["health_exam_date"])
    before = (days(table["callup_date"]) - exam)[exam != -1]
    assert share((before >= 0) & (before <= 366)) > 0.8


def test_children(table: pa.Table) -> None:
    n16 = children_under_16(table)
    assert 0.045 < share(n16 == 3) < 0.075
    assert 0.01 < share(n16 >= 4) < 0.025
    counts = pc.fill_null(pc.list_value_length(table["children_birth_dates"]), 0)
    older = np.asarray(counts.to_numpy()) > n16
    assert share(older) > 0.02  # some children are past 16


def test_children_are_born_to_parents_aged_20_to_45(table: pa.Table) -> None:
    kids = table["children_birth_dates"].combine_chunks()
    counts = np.asarray(pc.fill_null(pc.list_value_length(kids), 0).to_numpy(), dtype=np.int64)
    owner = np.repeat(np.arange(RECORDS), counts)
    born = days(pa.chunked_array([pc.list_flatten(kids)]))
    parent_age = (born - days(table["birth_date"])[owner]) / 365.2425
    assert parent_age.min() >= 19.99 and parent_age.max() <= 45.01
    assert (born <= days(table["callup_date"])[owner]).all()


@pytest.mark.parametrize(
    ("column", "low", "high"),
    [
        ("raises_children_alone", 0.001, 0.005),
        ("cares_for_relative", 0.006, 0.015),
        ("guardian_of_minor_sibling", 0.001, 0.004),
        ("conviction_grave", 0.003, 0.008),
        ("defence_industry_worker", 0.007, 0.014),
        ("it_sector_worker", 0.011, 0.02),
    ],
)
def test_optional_flags_are_rare_and_mostly_not_recorded(
    table: pa.Table, column: str, low: float, high: float
) -> None:
    assert low < equal_share(table, column, True) < high
    assert table[column].null_count / RECORDS > 0.9


def test_recorded_shares_of_optional_values(table: pa.Table) -> None:
    recorded = {name: 1 - table[name].null_count / RECORDS for name in table.column_names}
    assert 0.02 < recorded["wife_pregnancy_weeks"] < 0.04
    assert 0.01 < recorded["reserved_until"] < 0.02
    assert 0.005 < recorded["full_time_student_until"] < 0.02
    assert 0.007 < recorded["conviction_articles"] < 0.013
    assert recorded["legislator"] < 0.0002
    weeks = table["wife_pregnancy_weeks"].drop_null().to_numpy()
    assert weeks.min() >= 0 and weeks.max() <= 40


def test_reservations_and_studies_are_partly_expired(table: pa.Table) -> None:
    callup = days(table["callup_date"])
    for column in ["reserved_until", "full_time_student_until"]:
        until = days(table[column])
        held = until != -1
        assert 0.05 < share(until[held] < callup[held]) < 0.35


def test_students_are_young(table: pa.Table) -> None:
    studying = days(table["full_time_student_until"]) != -1
    assert (ages(table)[studying] < 25).all()


def test_conviction_articles_mix_listed_and_other(table: pa.Table) -> None:
    articles = set(pc.list_flatten(table["conviction_articles"]).to_pylist())
    assert {"158", "228", "131", "134", "205.1"} <= articles
    assert all(re.fullmatch(r"\d+(\.\d+)?", article) for article in articles)


def test_places(table: pa.Table) -> None:
    regions = set(table["region"].to_pylist())
    assert len(regions) >= 15
    assert {"Moscow", "Sverdlovsk Oblast", "Republic of Buryatia"} <= regions
    offices = set(table["commissariat"].to_pylist())
    assert all(office.endswith((" city", " district")) for office in offices)
