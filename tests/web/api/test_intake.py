"""The intake API: search, one item with its metadata, add (multipart), links, clusters."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from nadzor.cases.domain import Actor, Role
from tests.web.api.conftest import Api

pytestmark = pytest.mark.django_db

STORY = (
    "Нас привезли в в/ч 12345 под Курском, зимней формы нет, спим в палатках, "
    "командир сказал покупать всё самим."
)


def _gps_picture(path: Path) -> Path:
    from PIL import Image

    from tests.intake.media import make_picture

    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (55.0, 45.0, 0.0), 3: "E", 4: (37.0, 37.0, 0.0)})
    make_picture(9).save(path, "JPEG", exif=exif)
    return path


def _work() -> None:
    from nadzor.intake.services import work

    work(until_idle=True)


def _actions() -> list[str]:
    from nadzor.store.models import AuditEntry

    return list(
        AuditEntry.objects.filter(action__startswith="intake.")
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_a_text_is_added_once_by_its_bytes_and_audited(as_role: dict[Role, Api]) -> None:
    ira = as_role[Role.INTAKE]
    form = {"text": STORY, "platform": "Telegram", "published_at": "2022-10-12"}
    first = ira.upload("/intake/items", form)
    assert first.status == 201, first.body
    item = first.body
    assert item["kind"] == "text" and item["platform"] == "Telegram"
    assert item["published_at"].startswith("2022-10-12")
    assert item["state"] == "queued" and item["jobs"]
    again = ira.upload("/intake/items", form)
    assert again.status == 200 and again.body["sha256"] == item["sha256"]
    assert _actions().count("intake.add") == 1
    _work()
    done = ira.get(f"/intake/items/{item['sha256']}").body
    assert done["state"] == "processed"
    units = [s for s in done["suggestions"] if s["kind"] == "unit"]
    assert units and units[0]["value"] == "12345" and "12345" in units[0]["span"]
    assert {j["state"] for j in done["jobs"]} == {"done"}


def test_a_file_upload_takes_the_web_uploads_checks(
    as_role: dict[Role, Api], tmp_path: Path
) -> None:
    ira = as_role[Role.INTAKE]
    picture = _gps_picture(tmp_path / "gps.jpg")
    with picture.open("rb") as handle:
        added = ira.upload("/intake/items", {"file": handle, "source_url": "https://t.me/x/1"})
    assert added.status == 201, added.body
    assert added.body["kind"] == "image" and added.body["file_name"] == "gps.jpg"
    script = io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200)
    script.name = "clip.mp4"
    refused = ira.upload("/intake/items", {"file": script})
    assert refused.status == 415 and refused.error["field"] == "file"
    neither = ira.upload("/intake/items", {"note": "nothing"})
    assert neither.status == 422 and neither.error["field"] == "file"
    bad_day = ira.upload("/intake/items", {"text": "x", "published_at": "12.10.2022"})
    assert bad_day.status == 422 and bad_day.error["field"] == "published_at"


def test_gps_is_given_only_to_roles_that_may_see_personal_data(
    as_role: dict[Role, Api], tmp_path: Path
) -> None:
    with _gps_picture(tmp_path / "gps.jpg").open("rb") as handle:
        sha = as_role[Role.INTAKE].upload("/intake/items", {"file": handle}).body["sha256"]
    _work()
    boss = as_role[Role.SUPERVISOR].get(f"/intake/items/{sha}").body
    assert boss["sensitive"] == {"gps": {"latitude": 55.75, "longitude": 37.616667}}
    ira = as_role[Role.INTAKE].get(f"/intake/items/{sha}").body
    assert ira["sensitive"] is None and "55.75" not in str(ira)
    # the answer to the upload shows the item too: every showing is a view in the log
    assert _actions().count("intake.view") == 3


def test_search_filters_and_the_clusters(as_role: dict[Role, Api]) -> None:
    ira = as_role[Role.INTAKE]
    ira.upload("/intake/items", {"text": STORY, "platform": "Telegram"})
    ira.upload("/intake/items", {"text": STORY + " Это правда.", "platform": "VK"})
    ira.upload("/intake/items", {"text": "Совсем другая история о плохой еде в столовой."})
    _work()
    everything = ira.get("/intake/items")
    assert everything.status == 200 and everything.body["count"] == 3
    assert ira.get("/intake/items", source="telegram").body["count"] == 1
    assert ira.get("/intake/items", unit="в/ч 12345").body["count"] == 2
    assert ira.get("/intake/items", kind="image").body["count"] == 0
    assert ira.get("/intake/items", kind="poem").status == 422
    page = ira.get("/intake/items", limit=1, offset=1).body
    assert (page["count"], len(page["items"])) == (3, 1)
    groups = ira.get("/intake/clusters").body["items"]
    assert sorted(g["copies"] for g in groups) == [1, 2]
    story = next(g for g in groups if g["copies"] == 2)
    members = ira.get("/intake/items", cluster=story["cluster"]).body["items"]
    assert {m["sha256"] for m in members} >= {story["first"]["sha256"]}


def test_links_to_cases_and_complaints(
    as_role: dict[Role, Api], staff: dict[Role, Actor], case: Any, complaint: Any
) -> None:
    sha = as_role[Role.INTAKE].upload("/intake/items", {"text": STORY}).body["sha256"]
    ivan = as_role[Role.INVESTIGATOR]
    boss = as_role[Role.SUPERVISOR]
    made = boss.post(f"/intake/items/{sha}/links", {"case": case.reference})
    assert made.status == 201 and made.body["case"] == case.reference
    assert boss.post(f"/intake/items/{sha}/links", {"case": case.reference}).status == 200
    number = complaint.complaint_id
    to_complaint = ivan.post(f"/intake/items/{sha}/links", {"complaint": number})
    assert to_complaint.status == 201 and to_complaint.body["complaint"] == number
    assert ivan.post(f"/intake/items/{sha}/links", {"complaint": 10**9}).status == 404
    both = ivan.post(f"/intake/items/{sha}/links", {"case": case.reference, "complaint": 1})
    assert both.status == 422
    links = boss.get(f"/intake/items/{sha}").body["links"]
    assert [(x["case"], x["complaint"]) for x in links] == [(case.reference, None), (None, number)]
    assert (
        as_role[Role.INTAKE].post(f"/intake/items/{sha}/links", {"case": case.reference}).status
        == 403
    )
    assert _actions().count("intake.link") == 2


def test_who_may_use_the_intake_api(as_role: dict[Role, Api], anonymous: Api) -> None:
    sha = as_role[Role.INTAKE].upload("/intake/items", {"text": STORY}).body["sha256"]
    unknown = "0" * 64
    for path in (
        "/intake/items",
        f"/intake/items/{sha}",
        f"/intake/items/{unknown}",
        "/intake/clusters",
    ):
        assert anonymous.get(path).status == 401, path
        assert as_role[Role.ANALYST].get(path).status == 403, path
        assert as_role[Role.ADMIN].get(path).status == 403, path
    assert as_role[Role.SUPERVISOR].get(f"/intake/items/{unknown}").status == 404
    assert anonymous.upload("/intake/items", {"text": "x"}).status == 401
    assert as_role[Role.ANALYST].upload("/intake/items", {"text": "x"}).status == 403
