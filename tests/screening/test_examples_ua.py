"""The spec's Ukrainian register screens exactly to the expected findings with `ua-2022`:
the rejected rows of the examples README and exit 3; Ukrainian spellings and a cp1251
export read as the spec lists; explanations in Ukrainian."""

from __future__ import annotations

from pathlib import Path

import pytest

from nadzor.rules import resolve_rulebook
from tests.conftest import EXAMPLES, call_cli, finding_keys, read_csv_rows

REGISTER = EXAMPLES / "ua-2022-register.csv"
EXPECTED = EXAMPLES / "ua-2022-findings.csv"

pytestmark = pytest.mark.skipif(
    not REGISTER.is_file(), reason="the spec's examples are not beside the project"
)


def _screen(register: Path, out: Path, *extra: str) -> int:
    out.mkdir(parents=True, exist_ok=True)
    return call_cli(
        "screen", register, "--rulebook", "ua-2022", "--out", out / "findings.csv",
        "--rejects", out / "rejects.csv", "--summary", out / "summary.csv", *extra,
    )  # fmt: skip


@pytest.fixture(scope="module")
def screened(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ua")
    assert _screen(REGISTER, out) == 3
    return out


def test_the_register_gives_the_expected_findings(screened: Path) -> None:
    assert finding_keys(screened / "findings.csv") == finding_keys(EXPECTED)


def test_rows_40_to_44_are_rejected_with_their_reasons(screened: Path) -> None:
    rows = {int(r["row"]): r for r in read_csv_rows(screened / "rejects.csv")}
    assert sorted(rows) == [40, 41, 42, 43, 44]
    cells = {n: (r["record_id"], r["column"], r["value"]) for n, r in rows.items()}
    assert cells == {
        40: ("ua-bad-date", "callup_date", "2024-13-01"),
        41: ("ua-bad-vlk", "vlk_result", "придатна"),
        42: ("ua-bad-disability", "disability_group", "4"),
        43: ("ua-before-rulebook", "callup_date", "2022-02-23"),
        44: ("ua-clear", "record_id", "ua-clear"),
    }
    assert rows[40]["error"].startswith("not a date")
    assert "fit, limited, temp_unfit, unfit" in rows[41]["error"]
    assert "1 to 3" in rows[42]["error"]
    assert rows[43]["error"] == (
        "evaluation date 2022-02-23 is before rulebook ua-2022 (in force from 2022-02-24)"
    )
    assert rows[44]["error"] == "duplicate record_id: first seen in row 1"


def test_findings_cite_the_period_in_force_and_name_the_facts(screened: Path) -> None:
    found = {(f["record_id"], f["rule_id"]): f for f in read_csv_rows(screened / "findings.csv")}
    rules = {r.id: r for r in resolve_rulebook("ua-2022").rules}
    assert {f["rulebook"] for f in found.values()} == {"ua-2022@1.0.0"}
    for (_, rule_id), finding in found.items():
        assert finding["basis"] in {p.basis for p in rules[rule_id].periods}
    # UA22-CHILDREN-3 gains the alimony condition on 2024-05-18: the citation follows
    june = found[("ua-children-3", "UA22-CHILDREN-3")]
    may = found[("ua-children-3-arrears-may", "UA22-CHILDREN-3")]
    assert june["basis"] == "LMob art. 23(1) as amended by 3633-IX"
    assert may["basis"] == "LMob art. 23(1)"
    assert found[("ua-temp-unfit-capped", "UA22-TEMP-UNFIT")]["explanation"] == (
        "found temporarily unfit by the military-medical commission (VLK) on 2024-01-31 until"
        " 2024-12-31; the law allows at most 6 months, so the deferment runs until 2024-07-30"
    )
    summary = {r["record_id"]: r["verdict"] for r in read_csv_rows(screened / "summary.csv")}
    assert summary["ua-clear"] == summary["ua-clear-dmy"] == "clear"
    assert summary["ua-woman"] == "review" and summary["ua-children-3"] == "unlawful"


def test_ukrainian_spellings_read_as_the_spec_lists(screened: Path) -> None:
    """Ч, ТАК, ні, так, т, Ж, the VLK words and padded DD.MM.YYYY dates in the register."""
    keys = finding_keys(screened / "findings.csv")
    flagged = {k[0] for k in keys}
    assert "ua-clear-dmy" not in flagged  # Ч, ТАК, " 12.06.2024 "
    assert ("ua-not-citizen", "UA22-NOT-CITIZEN", "not_subject", "") in keys  # ні
    assert ("ua-age-26-old-law", "UA22-AGE-MIN", "not_subject", "") in keys  # ні
    assert "ua-age-served" not in flagged  # так
    assert ("ua-guardian", "UA22-GUARDIAN", "deferment", "") in keys  # т
    assert ("ua-woman", "UA22-WOMAN", "review", "") in keys  # Ж
    assert ("ua-unfit", "UA22-UNFIT", "not_subject", "") in keys  # непридатний
    assert ("ua-limited", "UA22-LIMITED-FIT", "review", "") in keys  # обмежено придатний
    capped = ("ua-temp-unfit-capped", "UA22-TEMP-UNFIT", "deferment", "2024-07-30")
    assert capped in keys  # тимчасово непридатний
    assert ("ua-higher-65", "UA22-AGE-MAX", "not_subject", "") in keys  # Higher_Officer


def test_the_record_type_declares_the_ukrainian_spellings() -> None:
    record = resolve_rulebook("ua-2022").record_type
    assert {"так", "т"} <= set(record.true_spellings)
    assert {"ні", "н"} <= set(record.false_spellings)
    assert record.column("sex").values == {"M": ("M", "Ч", "М"), "F": ("F", "Ж")}
    assert record.column("vlk_result").values == {
        "fit": ("fit", "придатний"),
        "limited": ("limited", "обмежено придатний"),
        "temp_unfit": ("temp_unfit", "тимчасово непридатний"),
        "unfit": ("unfit", "непридатний"),
    }


def test_a_cp1251_export_of_the_register_reads_the_same(screened: Path, tmp_path: Path) -> None:
    legacy = tmp_path / "register-cp1251.csv"
    legacy.write_bytes(REGISTER.read_text(encoding="utf-8").encode("cp1251"))
    with pytest.raises(UnicodeDecodeError):
        legacy.read_bytes().decode("utf-8")
    assert _screen(legacy, tmp_path / "out") == 3
    assert finding_keys(tmp_path / "out" / "findings.csv") == finding_keys(EXPECTED)
    rejects = read_csv_rows(tmp_path / "out" / "rejects.csv")
    assert [(r["row"], r["value"]) for r in rejects if r["column"] == "vlk_result"] == [
        ("41", "придатна")
    ]


def test_explanations_in_ukrainian(tmp_path: Path) -> None:
    assert _screen(REGISTER, tmp_path, "--lang", "uk") == 3
    found = {(f["record_id"], f["rule_id"]): f for f in read_csv_rows(tmp_path / "findings.csv")}
    assert found[("ua-children-3", "UA22-CHILDREN-3")]["explanation"].startswith(
        "3 дітей віком до 18 років на 01.06.2024 (народжені 02.05.2010, 19.07.2014, 30.11.2019)"
    )
    assert found[("ua-children-3-arrears-may", "UA22-CHILDREN-3")]["explanation"] == (
        "3 дітей віком до 18 років на 10.05.2024 (народжені 02.05.2010, 19.07.2014,"
        " 30.11.2019); відстрочка, доки троє з них не досягнуть 18 років, до 01.05.2028"
    )
    assert found[("ua-not-citizen", "UA22-NOT-CITIZEN")]["explanation"] == (
        "особа не є громадянином України (громадянство України: ні); призову на військову"
        " службу під час мобілізації підлягають лише громадяни України"
    )
    latin = [
        f["explanation"] for f in found.values() if any("a" <= c <= "z" for c in f["explanation"])
    ]
    assert latin == []  # no English word, no column name in the Ukrainian text


def test_a_bad_yes_no_value_names_the_ukrainian_pairs(tmp_path: Path) -> None:
    lines = REGISTER.read_text(encoding="utf-8").splitlines()
    register = tmp_path / "r.csv"
    register.write_text(
        "\n".join([lines[0], lines[1].replace(",true,private_sergeant", ",може,private_sergeant")])
        + "\n",
        encoding="utf-8",
    )
    assert _screen(register, tmp_path / "out") == 3
    [reject] = read_csv_rows(tmp_path / "out" / "rejects.csv")
    assert (reject["column"], reject["value"]) == ("ua_citizen", "може")
    assert reject["error"].endswith("да/нет, д/н, так/ні or т/н")
