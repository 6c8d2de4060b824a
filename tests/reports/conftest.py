"""A seeded store for the report tests: cases of every kind over two months, findings of
several rules and outcomes, resolutions by remedy, complaints answered early, late or never."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from nadzor.cases.domain import Actor, Role

PERIOD = ("2026-03-01", "2026-04-30")
REGIONS = ["Курская область", "Белгородская область", "Москва", "Тыва", ""]
KINDS = ["unlawful_callup", "provision", "conditions", "training"]
REMEDIES = ["sent_home", "deferment_granted", "kit_issued", "conditions_fixed", "discharged"]
RULES = ["R-HEALTH", "R-AGE", "R-STUDENT", "P-KIT", "F-BEDS"]
OUTCOMES = ["not_subject", "deferment", "review"]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


@pytest.fixture
def seeded(staff: dict[Role, Actor]) -> dict[str, Any]:
    """~300 cases and ~120 complaints from late February to early May 2026."""
    from nadzor.audit.journal import append
    from nadzor.store.models import (
        Case,
        Complaint,
        ComplaintMessage,
        Finding,
        ScreeningRun,
    )

    rng = random.Random(20260301)
    start = dt.date(2026, 2, 20)
    cases = []
    for n in range(300):
        created = start + dt.timedelta(days=rng.randrange(80))
        kind = rng.choice(KINDS)
        status = rng.choice(
            ["new", "triage", "investigating", "resolved", "resolved", "closed_unfounded"]
        )
        resolved_at = None
        remedy = ""
        if status == "resolved":
            remedy = rng.choice(REMEDIES)
            resolved_at = _at(created + dt.timedelta(days=rng.randrange(1, 40)), 15)
        cases.append(
            Case(
                reference=f"NZ-2026-{n + 1:06d}",
                kind=kind,
                status=status,
                region=rng.choice(REGIONS),
                facility=rng.choice(["в/ч 12345", "в/ч 54321", "полигон Прудбой", ""]),
                source="reg.csv" if n % 2 else "",
                record_id=f"r{n}" if n % 2 else "",
                created_at=_at(created),
                updated_at=_at(created),
                registered_on=created,
                due_on=created + dt.timedelta(days=30),
                remedy=remedy,
                resolved_at=resolved_at,
            )
        )
    Case.objects.bulk_create(cases)
    stored = list(Case.objects.order_by("pk"))
    run_start = _at(dt.date(2026, 3, 10), 9)
    findings = []
    for case in stored:
        if not case.record_id:
            continue
        for rule in rng.sample(RULES, rng.randrange(1, 3)):
            findings.append(
                Finding(
                    case=case,
                    source="reg.csv",
                    record_id=case.record_id,
                    rule_id=rule,
                    rulebook="ru-2022@1.0.0" if rule.startswith("R") else "ru-2022-provision@1.0.0",
                    outcome=rng.choice(OUTCOMES),
                    imported_at=case.created_at,
                )
            )
    Finding.objects.bulk_create(findings)
    # the provision rulebook measures sums owed: every other P-KIT finding concerns a sum
    for n, pk in enumerate(
        Finding.objects.filter(rule_id="P-KIT").order_by("pk").values_list("pk", flat=True)
    ):
        if n % 2 == 0:
            Finding.objects.filter(pk=pk).update(amount=1000 * (n + 1))
    ScreeningRun.objects.create(
        source="reg.csv", file_name="findings.csv", rulebooks="ru-2022@1.0.0",
        started_at=run_start, finished_at=_at(dt.date(2026, 3, 31), 23),
        actor="system", records_with_findings=40, findings_read=60, findings_added=60,
        cases_created=40, cases_joined=0,
    )  # fmt: skip
    complaints = []
    for n in range(120):
        created = start + dt.timedelta(days=rng.randrange(80))
        complaints.append(
            Complaint(
                category=rng.choice(["unlawful_callup", "provision", "conditions", "abuse"]),
                region=rng.choice(REGIONS),
                text="Текст жалобы, который нельзя публиковать",
                status=rng.choice(["new", "triaged", "closed"]),
                created_at=_at(created),
                updated_at=_at(created),
                due_on=created + dt.timedelta(days=30),
                lookup_digest=f"{n:064d}",
                code_hash="x",
            )
        )
    Complaint.objects.bulk_create(complaints)
    messages = []
    for complaint in Complaint.objects.all():
        choice = rng.randrange(3)
        if choice == 2:
            continue
        after = rng.randrange(1, 29) if choice == 0 else rng.randrange(31, 59)
        messages.append(
            ComplaintMessage(
                complaint=complaint, sender="staff", text="Ответ",
                at=complaint.created_at + dt.timedelta(days=after),
            )
        )  # fmt: skip
    ComplaintMessage.objects.bulk_create(messages)
    append("system", "test.seed", "store:seed", {"cases": 300})
    return {"period": PERIOD}


@pytest.fixture
def client_as(staff: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch) -> Any:
    """A test client signed in as the user of that role (None: anonymous)."""
    from django.test import Client

    from nadzor.store.models import User

    def make(role: Role | None) -> Client:
        client = Client()
        if role is not None:
            client.force_login(User.objects.get(username=staff[role].name))
        return client

    return make
