"""Limits on files: how many, how large, which types; each problem an error on `attachments`."""

from __future__ import annotations

import pytest

from nadzor.complaints.domain import (
    AttachmentLimits,
    ErrorCode,
    clean_file_name,
    count_error,
    describe_size,
    size_error,
    type_error,
)

ACCEPTED = frozenset({"application/pdf", "image/jpeg"})


def test_the_defaults() -> None:
    limits = AttachmentLimits()
    assert (limits.max_files, limits.max_bytes, limits.max_per_complaint) == (
        5,
        10 * 1024 * 1024,
        50,
    )
    with pytest.raises(ValueError):
        AttachmentLimits(max_files=0)
    with pytest.raises(ValueError):
        AttachmentLimits(max_bytes=True)


def test_count() -> None:
    limits = AttachmentLimits()
    assert count_error(0, limits) is None
    assert count_error(5, limits) is None
    error = count_error(6, limits)
    assert error is not None
    assert (error.field, error.code) == ("attachments", ErrorCode.TOO_MANY)
    assert error.message == "Too many files: at most 5 at a time, not 6."
    assert count_error(5, limits, already=45) is None
    later = count_error(3, limits, already=48)
    assert later is not None and later.code == ErrorCode.TOO_MANY
    assert "2 more" in later.message


def test_size_and_type_errors_name_the_file() -> None:
    error = size_error("C:\\Users\\me\\видео.mp4", AttachmentLimits())
    assert (error.field, error.code) == ("attachments", ErrorCode.TOO_LARGE)
    assert error.message == "The file “видео.mp4” is too large: at most 10 MB per file."
    assert type_error("a.pdf", "application/pdf", ACCEPTED) is None
    refused = type_error("setup.exe", "application/x-msdownload", ACCEPTED)
    assert refused is not None and refused.code == ErrorCode.BAD_TYPE
    assert "“setup.exe”" in refused.message
    empty = type_error("", "", ACCEPTED)
    assert empty is not None and empty.code == ErrorCode.EMPTY
    assert empty.message == "The file without a name is empty."


def test_sizes_in_words() -> None:
    assert describe_size(10 * 1024 * 1024) == "10 MB"
    assert describe_size(512 * 1024) == "512 KB"
    assert describe_size(1000) == "1000 bytes"


def test_file_names_lose_folders_and_control_characters() -> None:
    assert clean_file_name("../../etc/passwd") == "passwd"
    assert clean_file_name("C:\\temp\\фото 1.jpg") == "фото 1.jpg"
    assert clean_file_name("a\x00b\u202ec.pdf") == "abc.pdf"
    assert clean_file_name("x" * 300) == "x" * 255
