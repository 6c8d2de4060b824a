"""Yes/no spellings belong to the record type: a rulebook may add its own (Ukrainian
`так/ні`) or replace the defaults, and explanations show the language's words."""

from __future__ import annotations

import shutil
from pathlib import Path

from nadzor.rules import load_rulebook
from nadzor.screening import run_rulebook_tests

FACILITY = Path(__file__).resolve().parents[1] / "rules" / "fixtures" / "facility-2023"

TESTS = """\
defaults:
  inspected_on: 2023-09-01
  facility: Camp A
  beds: 100
  occupants: 60
  winter_kit_issued: full
cases:
  - name: ні is no
    record: {has_medic: ні}
    expect: [FAC-NO-MEDIC]
  - name: Т is yes
    record: {has_medic: Т}
    expect: []
  - name: так is yes
    record: {has_medic: так}
    expect: []
  - name: the defaults are gone (keep_defaults false) - да is rejected
    record: {has_medic: да}
    reject: [has_medic]
  - name: and true too
    record: {has_medic: "true"}
    reject: [has_medic]
"""


def test_a_record_type_declares_its_own_yes_no_spellings(tmp_path: Path) -> None:
    root = shutil.copytree(FACILITY, tmp_path / "facility-2023")
    record = root / "record.yaml"
    record.write_text(
        record.read_text(encoding="utf-8").replace(
            "columns:\n",
            "spellings: {true_values: [так, т], false_values: [ні, н], keep_defaults: false}\n"
            "columns:\n",
            1,
        ),
        encoding="utf-8",
    )
    shutil.rmtree(root / "tests")
    (root / "tests").mkdir()
    (root / "tests" / "spellings.yaml").write_text(TESTS, encoding="utf-8")
    book = load_rulebook(root)
    assert book.record_type.true_spellings == ("так", "т")
    assert book.record_type.false_spellings == ("ні", "н")
    result = run_rulebook_tests(book)
    assert not result.failures, [f.problems for f in result.failures]
    assert result.passed == 5
