"""Case references: NZ-YYYY-NNNNNN, written and read back exactly."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nadzor.cases.domain import REFERENCE_PATTERN, format_reference, parse_reference

YEARS = st.integers(min_value=1000, max_value=9999)
NUMBERS = st.integers(min_value=1, max_value=999_999)


@pytest.mark.parametrize(
    ("year", "number", "text"),
    [
        (2026, 123, "NZ-2026-000123"),
        (2022, 1, "NZ-2022-000001"),
        (1000, 999_999, "NZ-1000-999999"),
        (9999, 100_000, "NZ-9999-100000"),
    ],
)
def test_format_and_parse(year: int, number: int, text: str) -> None:
    assert format_reference(year, number) == text
    assert parse_reference(text) == (year, number)


@given(YEARS, NUMBERS)
def test_round_trip(year: int, number: int) -> None:
    text = format_reference(year, number)
    assert re.fullmatch(REFERENCE_PATTERN, text)
    assert parse_reference(text) == (year, number)


@given(st.text(alphabet="NZnz-0123456789 ١２", max_size=16))
def test_parse_accepts_exactly_what_the_pattern_matches(text: str) -> None:
    if re.fullmatch(REFERENCE_PATTERN, text):
        assert format_reference(*parse_reference(text)) == text
    else:
        with pytest.raises(ValueError, match="is not a case reference"):
            parse_reference(text)


@pytest.mark.parametrize(
    ("year", "number"),
    [
        (999, 1),
        (10_000, 1),
        (0, 1),
        (-2026, 1),
        (2026, 0),
        (2026, -1),
        (2026, 1_000_000),
        (True, 1),
        (2026, True),
    ],
)
def test_format_rejects(year: int, number: int) -> None:
    with pytest.raises(ValueError, match=r"reference (year|number)"):
        format_reference(year, number)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "NZ-2026-123",  # not padded
        "NZ-2026-0000123",  # seven digits
        "NZ-26-000123",  # two-digit year
        "NZ-0999-000123",  # year with a leading zero
        "NZ-2026-000000",  # no case number zero
        "nz-2026-000123",  # case-sensitive
        "Nz-2026-000123",
        "NZ 2026 000123",
        "NZ-2026-000123\n",
        " NZ-2026-000123",
        "NZ-2026-000123 ",
        "XNZ-2026-000123",
        "NZ-２０２６-000123",  # full-width digits
        "NZ-2026-٠٠٠١٢٣",  # Arabic-Indic digits
        "NZ_2026_000123",
        "NZ-2026-000123-1",
    ],
)
def test_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="is not a case reference like NZ-2026-000123"):
        parse_reference(text)


def test_a_long_text_is_cut_short_in_the_message() -> None:
    with pytest.raises(ValueError) as err:
        parse_reference("x" * 1000)
    assert len(str(err.value)) < 100
