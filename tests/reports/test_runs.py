"""Each findings import records its screening run, and a report of the period lists it."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db


def _findings(path: Path) -> Path:
    path.write_text(
        "record_id,rule_id,outcome,deferment_until,basis,explanation,rulebook\n"
        "r1,RU22-AGE-LIMIT,not_subject,,b,e,ru-2022@1.0.0\n"
        "r1,RU22-HEALTH-D,not_subject,,b,e,ru-2022@1.0.0\n"
        "r2,RU22-STUDENT,deferment,2027-01-01,b,e,ru-2022@1.0.1\n",
        encoding="utf-8",
    )
    return path


def test_an_import_records_its_run_and_a_repeat_records_an_empty_one(
    staff: dict[object, object], tmp_path: Path
) -> None:
    from nadzor.cases.services import import_findings
    from nadzor.store.models import ScreeningRun

    path = _findings(tmp_path / "findings.csv")
    import_findings(path, source="reg-A")
    run = ScreeningRun.objects.get()
    assert (run.source, run.file_name, run.actor) == ("reg-A", "findings.csv", "system")
    assert run.rulebooks == "ru-2022@1.0.0;ru-2022@1.0.1"
    assert (run.records_with_findings, run.findings_read, run.findings_added) == (2, 3, 3)
    assert (run.cases_created, run.cases_joined) == (2, 0)
    assert run.judged_on is None and run.started_at <= run.finished_at
    import_findings(path, source="reg-A")
    again = ScreeningRun.objects.order_by("-pk").first()
    assert again is not None and (again.findings_added, again.cases_created) == (0, 0)


def test_the_report_lists_the_run_with_the_cases_it_touched(
    staff: dict[object, object], tmp_path: Path
) -> None:
    from django.utils import timezone

    from nadzor.cases.services import import_findings
    from nadzor.reports.services import build_report, items, measure, parse_options

    import_findings(_findings(tmp_path / "findings.csv"), source="reg-B")
    today = timezone.now().date()
    opts = parse_options(today, today)
    report = build_report(opts)
    (run,) = report.runs
    assert run.source == "reg-B" and run.cases.value == 2
    link = run.cases.link or {}
    assert items(opts, measure("run"), link["dim"], link["value"]).count() == 2
    assert report.rulebooks == ["ru-2022@1.0.0", "ru-2022@1.0.1"]


def test_a_run_carries_the_judgment_day_of_its_findings(
    staff: dict[object, object], tmp_path: Path
) -> None:
    import datetime as dt

    from nadzor.cases.services import import_findings
    from nadzor.store.models import ScreeningRun

    path = tmp_path / "provision.csv"
    path.write_text(
        "record_id,rule_id,outcome,deferment_until,basis,explanation,rulebook,as_of\n"
        "p1,PROV-SELF-BOUGHT,breach,,b,e,ru-2022-provision@1.0.0,2022-12-05\n"
        "p2,PROV-SELF-BOUGHT,breach,,b,e,ru-2022-provision@1.0.0,2022-12-05\n",
        encoding="utf-8",
    )
    import_findings(path, source="prov")
    assert ScreeningRun.objects.get().judged_on == dt.date(2022, 12, 5)


def test_a_bad_judgment_day_refuses_the_file_naming_row_and_field(
    staff: dict[object, object], tmp_path: Path
) -> None:
    from nadzor.cases.services import BadInput, import_findings
    from nadzor.store.models import Finding

    path = tmp_path / "provision.csv"
    path.write_text(
        "record_id,rule_id,outcome,rulebook,as_of\n"
        "p1,PROV-SELF-BOUGHT,breach,ru-2022-provision@1.0.0,5 Dec\n",
        encoding="utf-8",
    )
    with pytest.raises(BadInput, match=r"row 1: as_of '5 Dec' is not a date"):
        import_findings(path, source="prov")
    assert not Finding.objects.exists()
