"""POST /api/v1/check and `nadzor check` give what `nadzor screen` gives the same record."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from nadzor.rules import resolve_rulebook
from nadzor.screening import check_records
from nadzor.web.check.limits import check_requests
from tests.conftest import EXAMPLES, read_csv_rows

pytestmark = pytest.mark.django_db

RECORD: dict[str, Any] = {
    "callup_date": "2022-10-01",
    "birth_date": "1990-01-01",
    "sex": "M",
    "ru_citizen": True,
    "in_reserve": True,
    "rank_group": "soldier",
    "health_category": "G",
    "health_exam_date": "2022-09-01",
}


def _post(client: Client, body: dict[str, Any]) -> Any:
    return client.post("/api/v1/check", json.dumps(body), content_type="application/json")


def test_a_record_gets_verdict_and_findings(client: Client) -> None:
    response = _post(client, {"rulebook": "ru-2022", "record": RECORD, "lang": "ru"})
    assert response.status_code == 200
    body = response.json()
    assert body["verdict"] == "unlawful"
    assert [(f["rule_id"], f["deferment_until"]) for f in body["findings"]] == [
        ("RU22-HEALTH-G", "2023-03-01")
    ]
    assert body["rejects"] == []
    assert not response.cookies


def test_a_value_that_cannot_be_read_is_a_reject_naming_the_field(client: Client) -> None:
    body = _post(client, {"rulebook": "ru-2022", "record": {**RECORD, "sex": "X"}}).json()
    assert body["verdict"] is None and body["findings"] == []
    assert [(r["column"], r["value"]) for r in body["rejects"]] == [("sex", "X")]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"rulebook": "../../etc", "record": RECORD}, "rulebook"),
        ({"rulebook": "ru-2022"}, "record"),
        ({"rulebook": "ru-2022", "record": RECORD, "lang": "de"}, "lang"),
        ({"rulebook": "ru-2022", "record": RECORD, "extra": 1}, "extra"),
    ],
)
def test_a_bad_request_is_422_naming_the_field(
    client: Client, body: dict[str, Any], field: str
) -> None:
    response = _post(client, body)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == field


def test_every_example_record_checks_through_the_api_as_it_screens(client: Client) -> None:
    register = EXAMPLES / "ru-2022-register.csv"
    if not register.is_file():
        pytest.skip("the spec's examples are not beside the project")
    rows = read_csv_rows(register)
    whole = check_records(resolve_rulebook("ru-2022"), rows)
    ids = [r["record_id"] for r in rows]
    duplicated = {i for i in ids if ids.count(i) > 1}
    seen: list[dict[str, Any]] = []
    for row in rows:
        if row["record_id"] in duplicated:
            continue  # a duplicate id is an error of a register, not of one record
        check_requests.clear()
        body = _post(client, {"rulebook": "ru-2022", "record": row}).json()
        seen += body["findings"]
        if body["rejects"]:
            assert body["verdict"] is None
        else:
            assert body["verdict"] == whole.verdicts[row["record_id"]]
    duplicated = {
        r["record_id"] for r in rows if [x["record_id"] for x in rows].count(r["record_id"]) > 1
    }
    expected = [
        {**f, "deferment_until": f["deferment_until"].isoformat() if f["deferment_until"] else None}
        for f in whole.findings
        if f["record_id"] not in duplicated
    ]
    key = lambda f: (f["record_id"], f["rule_id"])  # noqa: E731
    assert sorted(seen, key=key) == sorted(expected, key=key)


def test_the_command_prints_the_same_json(tmp_path: Path, run_cli: Any) -> None:
    path = tmp_path / "record.json"
    path.write_text(json.dumps(RECORD), encoding="utf-8")
    result = run_cli("check", "--rulebook", "ru-2022", "--json", path)
    assert result.code == 0
    body = json.loads(result.out)
    assert body["verdict"] == "unlawful"
    assert [f["rule_id"] for f in body["findings"]] == ["RU22-HEALTH-G"]
    table = run_cli("check", path)
    assert table.code == 0 and "RU22-HEALTH-G" in table.out and "unlawful" in table.out


def test_the_command_exits_3_on_a_reject_and_2_on_a_bad_file(tmp_path: Path, run_cli: Any) -> None:
    path = tmp_path / "record.json"
    path.write_text(json.dumps({**RECORD, "birth_date": "13.13.1990"}), encoding="utf-8")
    assert run_cli("check", path).code == 3
    path.write_text("{not json", encoding="utf-8")
    bad = run_cli("check", path)
    assert bad.code == 2 and "is not JSON" in bad.err


def test_the_command_has_help(run_cli: Any) -> None:
    result = run_cli("check", "--help")
    assert result.code == 0 and "RECORD" in result.out and "--json" in result.out
