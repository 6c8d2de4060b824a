"""Sums owed: the rulebook's measure gives each payment finding its sum, from the register."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

_HEADER = (
    "record_id,unit,region,mobilized_on,arrived_on,deployed_on,winter_kit_issued_on,"
    "kit_self_bought,armour_issued,helmet_issued,payment_order_date,payment_paid_on,"
    "payment_amount\n"
)


def test_an_import_with_the_register_stores_the_sum_each_payment_finding_concerns(
    staff: dict[object, object], tmp_path: Path
) -> None:
    from django.utils import timezone

    from nadzor.cases.services import import_findings
    from nadzor.reports.services import build_report, measure, parse_options, sum_of
    from nadzor.store.models import Finding

    register = tmp_path / "provision.csv"
    register.write_text(
        _HEADER + "p1,в/ч 1,Тыва,2022-10-01,,,,,,,2022-10-28,,\n"
        "p2,в/ч 1,Тыва,2022-10-01,,,,,,,2022-10-28,2022-11-01,150000\n"
        "p3,в/ч 2,Тыва,2022-10-01,,,,,,,2022-10-28,2022-12-01,195000\n"
        "p4,в/ч 2,Тыва,2022-10-01,,,,yes,,,,,\n",
        encoding="utf-8",
    )
    findings = tmp_path / "findings.csv"
    book = "ru-2022-provision@1.0.0"
    findings.write_text(
        "record_id,rule_id,outcome,rulebook,as_of\n"
        f"p1,PROV-PAY-UNPAID,breach,{book},2022-12-05\n"
        f"p2,PROV-PAY-SHORT,breach,{book},2022-12-05\n"
        f"p3,PROV-PAY-LATE,breach,{book},2022-12-05\n"
        f"p4,PROV-SELF-BOUGHT,breach,{book},2022-12-05\n",
        encoding="utf-8",
    )
    import_findings(findings, source="prov", register=register)
    amounts = dict(Finding.objects.values_list("record_id", "amount"))
    assert amounts == {"p1": 195000, "p2": 45000, "p3": 195000, "p4": None}
    today = timezone.now().date()
    opts = parse_options(today, today)
    assert sum_of(opts, measure("owed")) == 435000
    assert sum_of(opts, measure("owed"), "rule", "PROV-PAY-SHORT") == 45000
    assert sum_of(opts, measure("owed"), "facility", "в/ч 2") == 195000
    report = build_report(opts)
    section = next(s for s in report.sections if s.key == "provision")
    shown = {f.key: f.cell.value for f in section.figures}
    assert (shown["owed"], shown["owed_sum"]) == (3, 435000)
    by_rule = next(t for t in section.tables if t.key == "owed.rule")
    assert by_rule.columns[1].endswith("руб.") or by_rule.columns[1].endswith("RUB")
    assert {r.value: [c.value for c in r.cells] for r in by_rule.rows} == {
        "PROV-PAY-UNPAID": [1, 195000],
        "PROV-PAY-SHORT": [1, 45000],
        "PROV-PAY-LATE": [1, 195000],
    }


def test_without_the_register_the_sums_are_unknown_not_zero(
    staff: dict[object, object], tmp_path: Path
) -> None:
    from nadzor.cases.services import import_findings
    from nadzor.store.models import Finding

    findings = tmp_path / "findings.csv"
    findings.write_text(
        "record_id,rule_id,outcome,rulebook\np1,PROV-PAY-UNPAID,breach,ru-2022-provision@1.0.0\n",
        encoding="utf-8",
    )
    import_findings(findings, source="prov")
    assert Finding.objects.get().amount is None
