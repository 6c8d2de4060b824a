"""The worked example of docs/rulebooks.md, run as written: its files are taken from the
guide, checked, tested and used to screen the guide's register, and the findings must be
the ones the guide shows. The guide cannot drift from what the code does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import call_cli

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "rulebooks.md"


def _section() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index("## Worked example")
    return text[start : text.index("\n## ", start + 1)]


def _files(section: str) -> dict[str, str]:
    """`training-centres/...` file name line, then its fenced block."""
    pattern = re.compile(
        r"^`(training-centres/[\w/.-]+)`[^\n]*\n(?:[^\n]*\n)*?```yaml\n(.*?)```", re.M | re.S
    )
    return dict(pattern.findall(section))


def _blocks_after(section: str, marker: str) -> str:
    rest = section[section.index(marker) :]
    return rest.split("```\n", 2)[1]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("guide")
    files = _files(_section())
    assert set(files) >= {
        "training-centres/rulebook.yaml",
        "training-centres/record.yaml",
        "training-centres/parameters.yaml",
        "training-centres/rules.yaml",
        "training-centres/tests/inspections.yaml",
    }
    for name, body in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(body, encoding="utf-8")
    register = _blocks_after(_section(), "`inspections.csv`:")
    (root / "inspections.csv").write_text(register, encoding="utf-8")
    return root


def test_the_example_checks_and_its_tests_pass(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert call_cli("rulebook", "check", example / "training-centres") == 0
    assert call_cli("rulebook", "test", example / "training-centres") == 0
    assert " 0 failed" in capsys.readouterr().out


def test_the_example_screens_to_the_findings_shown(example: Path) -> None:
    out = example / "tc-findings.csv"
    code = call_cli(
        "screen",
        example / "inspections.csv",
        "--rulebook",
        example / "training-centres",
        "--out",
        out,
        "--summary",
        example / "tc-summary.csv",
    )
    assert code == 3
    section = _section()
    shown = section[section.index("writes `tc-findings.csv`:") :].split("```\n", 2)[1]
    assert out.read_text(encoding="utf-8").splitlines() == shown.splitlines()
    rejects = (example / "rejects.csv").read_text(encoding="utf-8").splitlines()
    assert rejects[1] == '5,"I-005","trainees","abc","not a whole number: expected digits only"'
