"""Findings stored on a case as an import stores them, for the tests of the pages and the
API that show them."""

from __future__ import annotations

import datetime as dt
from typing import Any


def add_club_finding(case: Any) -> None:
    """A facilities finding judged on 2022-10-12 (40 people sleeping in a club), with its
    English explanation and the register's values: the page and the API retell it in
    their language from those values."""
    from django.utils import timezone

    from nadzor.store.models import Finding

    Finding.objects.create(
        case=case,
        source="inspections",
        record_id="f1",
        rule_id="FAC-FORBIDDEN-PREMISES",
        rulebook="ru-2022-facilities@1.0.0",
        outcome="breach",
        basis="Charter of the Internal Service: living there is prohibited",
        explanation="40 people sleeping in a club on 2022-10-12; living there is prohibited",
        imported_at=timezone.now(),
        evaluated_on=dt.date(2022, 10, 12),
        facts={
            "period": 0,
            "values": {"occupants": 40, "premises": "club", "inspected_on": "2022-10-12"},
        },
    )
