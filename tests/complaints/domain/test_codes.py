"""Receipt codes: 16 secure random digits, shown in groups of four, typed back any way."""

from __future__ import annotations

import re

import pytest

from nadzor.complaints.domain import format_code, new_receipt_code, normalize_code


def test_a_new_code_has_16_digits_and_is_not_repeated() -> None:
    codes = [new_receipt_code() for _ in range(2000)]
    assert all(re.fullmatch(r"[0-9]{16}", code) for code in codes)
    assert len(set(codes)) == len(codes)
    # leading zeros are kept, and every digit turns up in every position
    for position in range(16):
        assert {code[position] for code in codes} == set("0123456789")


def test_a_code_comes_from_the_secure_source(monkeypatch: pytest.MonkeyPatch) -> None:
    from nadzor.complaints.domain import _codes

    monkeypatch.setattr(_codes.secrets, "randbelow", lambda n: 42)
    assert new_receipt_code() == "0000000000000042"


def test_format_in_groups_of_four() -> None:
    assert format_code("1234567890123456") == "1234 5678 9012 3456"
    assert format_code("0000-0000 0000 0042") == "0000 0000 0000 0042"
    with pytest.raises(ValueError, match="16 digits"):
        format_code("123")


@pytest.mark.parametrize(
    "typed",
    [
        "1234567890123456",
        "1234 5678 9012 3456",
        "  1234 5678 9012 3456\n",
        "1234-5678-9012-3456",
        "1234 - 5678 - 9012 - 3456",
        "1234\u00a05678\u20139012\u20143456",
        "12 34 56 78 90 12 34 56",
    ],
)
def test_normalize_accepts_spaces_and_dashes(typed: str) -> None:
    assert normalize_code(typed) == "1234567890123456"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "123456789012345",
        "12345678901234567",
        "1234.5678.9012.3456",
        "1234_5678_9012_3456",
        "123456789012345a",
        "１２３４５６７８９０１２３４５６",
        "١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦",
        "1" * 16 + " " * 100,
    ],
)
def test_normalize_refuses_anything_else(typed: str) -> None:
    assert normalize_code(typed) is None


def test_normalize_refuses_what_is_not_text() -> None:
    assert normalize_code(1234567890123456) is None  # type: ignore[arg-type]
    assert normalize_code(None) is None  # type: ignore[arg-type]
