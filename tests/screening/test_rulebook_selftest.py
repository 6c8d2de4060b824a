"""The rulebooks' own tests (tests as data) pass through the real engine path."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from nadzor.rules import builtin_rulebooks, resolve_rulebook
from nadzor.screening import run_rulebook_tests
from tests.conftest import CliResult

#: the fewest tests each built-in rulebook keeps (edges on both sides of every threshold)
_FEWEST = {"ru-2022": 300, "ru-2022-provision": 50, "ru-2022-facilities": 40, "ua-2022": 100}


@pytest.mark.parametrize("name", sorted(builtin_rulebooks()))
def test_every_built_in_rulebook_passes_all_its_own_tests(name: str) -> None:
    book = resolve_rulebook(name, with_tests=True)
    assert len(book.tests) >= _FEWEST.get(name, 1)
    result = run_rulebook_tests(book)
    failures = [
        f"{f.case.file}:{f.case.line} {f.case.name}: {'; '.join(f.problems)}"
        for f in result.failures
    ]
    assert failures == []
    assert result.passed == len(book.tests)


def test_a_wrong_expectation_fails_with_expected_and_actual(
    run_cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    root = tmp_path / "ru-2022"
    shutil.copytree(builtin_rulebooks()["ru-2022"], root, ignore=shutil.ignore_patterns("tests"))
    (root / "tests").mkdir()
    (root / "tests" / "one.yaml").write_text(
        "defaults: {callup_date: 2022-09-28, birth_date: 1990-05-14, sex: M, ru_citizen: true,\n"
        "           in_reserve: true, rank_group: soldier, health_category: A}\n"
        "cases:\n"
        "  - name: a woman is only reviewed\n"
        "    record: {sex: F}\n"
        "    expect: [RU22-WOMAN]\n"
        "  - name: wrongly expects a deferment\n"
        "    record: {children_birth_dates: [2010-01-01, 2012-01-01, 2014-01-01, 2016-01-01]}\n"
        "    expect: [{rule: RU22-CHILDREN-4, until: 2026-01-01}]\n",
        encoding="utf-8",
    )
    result = run_cli("rulebook", "test", root)
    assert result.code == 1
    assert "1 passed, 1 failed" in result.out
    assert "one.yaml:7: wrongly expects a deferment" in result.out
    assert "expected until 2026-01-01, got 2025-12-31" in result.out
