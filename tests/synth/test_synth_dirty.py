"""--dirty: a small share of rows, each with one value that records.md rejects."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest

from nadzor.synth import DIRTY_SHARE, SynthOptions, write_register

RECORDS = 40_000
RULEBOOK_START = dt.date(2022, 9, 21)

BOOLS = {"true", "false", "1", "0", "yes", "no", "y", "n", "да", "нет"}
ENUMS = {
    "sex": {"m", "f", "м", "ж"},
    "rank_group": {"soldier", "junior_officer", "field_officer", "colonel", "general"},
    "health_category": {"a", "b", "v", "g", "d", "а", "б", "в", "г", "д"},
}
REQUIRED = {"record_id", "callup_date", "birth_date", "sex", "ru_citizen", "in_reserve"}
REQUIRED |= {"rank_group"}
DATES = {"callup_date", "birth_date", "health_exam_date", "reserved_until"}
DATES |= {"full_time_student_until"}
ARTICLE = re.compile(r"\d+(\.\d+)?")
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
DMY_DATE = re.compile(r"(\d{2})\.(\d{2})\.(\d{4})")


def parse_date(text: str) -> dt.date | None:
    """records.md: YYYY-MM-DD or DD.MM.YYYY, a real day within 1900..2100."""
    if iso := ISO_DATE.fullmatch(text):
        year, month, day = iso.groups()
    elif dmy := DMY_DATE.fullmatch(text):
        day, month, year = dmy.groups()
    else:
        return None
    try:
        found = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return found if dt.date(1900, 1, 1) <= found <= dt.date(2100, 12, 31) else None


def value_ok(column: str, text: str) -> bool:
    """Whether one value reads under records.md (empty = not recorded)."""
    value = text.strip()
    if not value:
        return column not in REQUIRED
    if column in DATES:
        return parse_date(value) is not None
    if column in ENUMS:
        return value.lower() in ENUMS[column]
    if column == "wife_pregnancy_weeks":
        return value.isdigit() and 0 <= int(value) <= 45
    if column == "children_birth_dates":
        return all(parse_date(item.strip()) for item in value.split(";") if item.strip())
    if column == "conviction_articles":
        return all(ARTICLE.fullmatch(item.strip()) for item in value.split(";") if item.strip())
    if column in {"record_id", "region", "commissariat"}:
        return True
    return value.lower() in BOOLS


def rejected_rows(rows: list[dict[str, str]]) -> set[int]:
    """Row numbers (from 0) that a reader following records.md must reject."""
    rejected: set[int] = set()
    seen: set[str] = set()
    for number, row in enumerate(rows):
        if not all(value_ok(column, text) for column, text in row.items()):
            rejected.add(number)
        else:
            callup = parse_date(row["callup_date"].strip())
            birth = parse_date(row["birth_date"].strip())
            assert callup is not None and birth is not None
            if birth >= callup or callup < RULEBOOK_START:
                rejected.add(number)
        if row["record_id"].strip() in seen:
            rejected.add(number)
        seen.add(row["record_id"].strip())
    return rejected


def read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def registers(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict[str, str]], ...]:
    folder = tmp_path_factory.mktemp("dirty")
    out = []
    for dirty in (False, True):
        target = folder / f"{dirty}.csv"
        write_register(target, SynthOptions(records=RECORDS, seed=3, dirty=dirty))
        out.append(read(target))
    return tuple(out)


def spoiled_cells(clean: list[dict[str, str]], dirty: list[dict[str, str]]) -> dict[int, list[str]]:
    cells: dict[int, list[str]] = {}
    for number, (before, after) in enumerate(zip(clean, dirty, strict=True)):
        changed = [column for column in before if before[column] != after[column]]
        if changed:
            cells[number] = changed
    return cells


def test_the_clean_register_has_no_rejects(registers: tuple[list[dict[str, str]], ...]) -> None:
    clean, _ = registers
    assert rejected_rows(clean) == set()


def test_dirty_rows_are_a_small_share(registers: tuple[list[dict[str, str]], ...]) -> None:
    clean, dirty = registers
    spoiled = spoiled_cells(clean, dirty)
    assert 0.5 * DIRTY_SHARE * RECORDS < len(spoiled) < 2 * DIRTY_SHARE * RECORDS


def test_each_dirty_row_has_one_bad_value_and_is_rejected(
    registers: tuple[list[dict[str, str]], ...],
) -> None:
    clean, dirty = registers
    spoiled = spoiled_cells(clean, dirty)
    assert all(len(columns) == 1 for columns in spoiled.values())
    assert rejected_rows(dirty) == set(spoiled)


def test_every_kind_of_bad_value_occurs(registers: tuple[list[dict[str, str]], ...]) -> None:
    clean, dirty = registers
    spoiled = spoiled_cells(clean, dirty)
    values = {(columns[0], dirty[number][columns[0]]) for number, columns in spoiled.items()}
    texts = {text for _, text in values}
    columns = {column for column, _ in values}
    assert {"maybe", "X", "50", "22.0", "abc"} <= texts
    assert any(re.fullmatch(r"\d{4}/\d{2}/\d{2}", text) for text in texts)
    assert any(text.startswith("31.02.") for text in texts)
    assert any(text.strip() == "" for text in texts)
    assert "record_id" in columns  # duplicates
    births_after = [
        number
        for number, cols in spoiled.items()
        if cols == ["birth_date"] and dirty[number]["birth_date"] >= dirty[number]["callup_date"]
    ]
    early = [n for n, cols in spoiled.items() if cols == ["callup_date"]]
    assert births_after
    assert any(dirty[n]["callup_date"] < RULEBOOK_START.isoformat() for n in early)


def test_duplicates_repeat_an_earlier_clean_id(registers: tuple[list[dict[str, str]], ...]) -> None:
    clean, dirty = registers
    spoiled = spoiled_cells(clean, dirty)
    first_row = {}
    for number, row in enumerate(dirty):
        first_row.setdefault(row["record_id"], number)
    duplicates = [
        n for n, cols in spoiled.items() if cols == ["record_id"] and dirty[n]["record_id"].strip()
    ]
    assert duplicates
    for number in duplicates:
        original = first_row[dirty[number]["record_id"]]
        assert original < number and original not in spoiled
