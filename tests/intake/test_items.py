"""Items in the store: added once by their bytes, audited, worked by the worker into
clusters, suggestions, searchable; verification and links."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from nadzor.cases.domain import Actor, Denied, Role
from tests.intake.media import STORIES, paraphrase

pytestmark = pytest.mark.django_db


def _actions(prefix: str = "intake.") -> list[str]:
    from nadzor.store.models import AuditEntry

    return list(
        AuditEntry.objects.filter(action__startswith=prefix)
        .order_by("seq")
        .values_list("action", flat=True)
    )


def _add(actor: Actor, path: Path, **given: Any) -> Any:
    from nadzor.intake.services import Provenance, add_item

    with path.open("rb") as handle:
        return add_item(actor, handle, Provenance(**given), file_name=path.name)


def _work() -> None:
    from nadzor.intake.services import work

    work(until_idle=True)


def test_the_same_bytes_are_one_item_and_the_original_is_kept_read_only(
    staff: dict[Role, Actor], pictures: dict[str, Path]
) -> None:
    from nadzor.intake.services import original_path

    ira = staff[Role.INTAKE]
    first = _add(ira, pictures["original"], source_url="https://t.me/x/1", platform="telegram")
    again = _add(ira, pictures["original"], source_url="https://vk.com/y")
    assert first.created and not again.created
    assert again.item.pk == first.item.pk and again.item.source_url == "https://t.me/x/1"
    stored = original_path(first.item.sha256)
    assert stored.read_bytes() == pictures["original"].read_bytes()
    assert stored.stat().st_mode & 0o222 == 0  # nobody may write it
    assert _actions() == ["intake.add"]  # the repeat added nothing, not even an entry


def test_worker_clusters_transformed_pictures_and_keeps_a_different_one_apart(
    staff: dict[Role, Actor], pictures: dict[str, Path]
) -> None:
    from nadzor.store.models import IntakeItem, Job

    ira = staff[Role.INTAKE]
    added = {name: _add(ira, path).item for name, path in pictures.items()}
    _work()
    items = {name: IntakeItem.objects.get(pk=item.pk) for name, item in added.items()}
    assert {item.state for item in items.values()} == {"processed"}
    copies = {items[n].cluster for n in ("original", "reencode", "resize", "crop", "watermark")}
    assert copies == {added["original"].sha256}  # named by the first-seen item
    assert items["other"].cluster == added["other"].sha256
    assert set(Job.objects.values_list("state", flat=True)) == {"done"}


def test_worker_clusters_transformed_clips(
    staff: dict[Role, Actor], clips: dict[str, Path]
) -> None:
    from nadzor.store.models import IntakeItem

    sofia = staff[Role.SUPERVISOR]
    added = {name: _add(sofia, path).item for name, path in clips.items()}
    _work()
    items = {name: IntakeItem.objects.get(pk=item.pk) for name, item in added.items()}
    copies = {items[n].cluster for n in ("original", "reencode", "resize", "crop", "watermark")}
    assert copies == {added["original"].sha256}
    assert items["other"].cluster == added["other"].sha256
    meta = json.loads(items["original"].metadata.plain)
    assert meta["duration"] == pytest.approx(12, abs=0.5)
    assert meta["width"] == 320 and "video:h264" in meta["codecs"]


def test_texts_cluster_with_each_other_and_with_complaints(staff: dict[Role, Actor]) -> None:
    from nadzor.intake.services import ItemFilters, Provenance, add_text, triage_clusters
    from nadzor.store.models import IntakeItem, TextPrint

    ira = staff[Role.INTAKE]
    complaint = _complaint(STORIES[0])
    first = add_text(ira, STORIES[0], Provenance(platform="telegram")).item
    second = add_text(ira, paraphrase(STORIES[0]), Provenance(platform="vk")).item
    other = add_text(ira, STORIES[1], Provenance()).item
    _work()
    one = IntakeItem.objects.get(pk=first.pk).cluster
    # the complaint came first: the story's cluster is named after it
    assert one == f"complaint:{complaint}"
    assert IntakeItem.objects.get(pk=second.pk).cluster == one
    assert IntakeItem.objects.get(pk=other.pk).cluster == other.sha256
    assert TextPrint.objects.get(complaint_id=complaint).cluster == one
    rows = triage_clusters(ira, ItemFilters())
    assert [(r.copies, r.complaints) for r in rows] == [(2, 1), (1, 0)]


def _complaint(text: str) -> int:
    from datetime import date

    from django.utils import timezone

    from nadzor.store.models import Complaint

    now = timezone.now()
    return int(
        Complaint.objects.create(
            category="other",
            text=text,
            created_at=now,
            updated_at=now,
            due_on=date.today(),
            lookup_digest="d" * 64,
            code_hash="x",
        ).pk
    )


def test_suggestions_from_russian_and_ukrainian_texts_with_their_spans(
    staff: dict[Role, Actor],
) -> None:
    from nadzor.intake.services import Provenance, add_text
    from nadzor.store.models import IntakeSuggestion

    ira = staff[Role.INTAKE]
    russian = (
        "Мобилизованных из в/ч 12345 держат в Нижнем Новгороде, жалобу отправили в"
        " Министерство обороны 12 октября 2022 года. Командир Иван Петров молчит."
    )
    ukrainian = (
        "Солдати військової частини А1234 скаржаться, що їх тримають у наметах біля Житомира."
    )
    items = [add_text(ira, t, Provenance()).item for t in (russian, ukrainian)]
    _work()
    found = {
        (s.kind, s.value): russian[s.start : s.end]
        for s in IntakeSuggestion.objects.filter(item=items[0])
    }
    assert found[("unit", "12345")] == "в/ч 12345"
    assert found[("place", "Нижний Новгород")] == "Нижнем Новгороде"
    assert ("date", "2022-10-12") in found
    assert any(kind == "organisation" for kind, _ in found)
    # people are never suggested or stored
    assert not any("Петров" in value or "Иван" in value for _, value in found)
    ukr = {(s.kind, s.value) for s in IntakeSuggestion.objects.filter(item=items[1])}
    assert ("unit", "A1234") in ukr
    assert any(kind == "place" for kind, _ in ukr)


def test_search_by_text_source_date_unit_and_cluster(staff: dict[Role, Actor]) -> None:
    from datetime import UTC, date, datetime

    from nadzor.intake.services import ItemFilters, Provenance, add_text, search_items

    ira = staff[Role.INTAKE]
    old = datetime(2022, 10, 1, tzinfo=UTC)
    a = add_text(
        ira, STORIES[0], Provenance(source_url="https://t.me/chan/5", published_at=old)
    ).item
    b = add_text(ira, STORIES[1], Provenance(platform="vk")).item
    _work()

    def found(**given: Any) -> set[str]:
        return {i.sha256 for i in search_items(ira, ItemFilters(**given))}

    assert found(text="бронежилетов") == {a.sha256}
    assert found(source="t.me") == {a.sha256}
    assert found(source="VK") == {b.sha256}
    assert found(date_from=date(2022, 9, 30), date_to=date(2022, 10, 2)) == {a.sha256}
    assert found(unit="в/ч 12345") == {a.sha256}
    assert found(unit="54321") == set()
    assert found(cluster=b.cluster) == {b.sha256}


def test_verification_and_links_are_audited_and_limited_to_their_roles(
    staff: dict[Role, Actor], case: Any
) -> None:
    from nadzor.cases.services import BadInput
    from nadzor.intake.services import (
        Provenance,
        add_text,
        item_page,
        link_case,
        link_complaint,
        set_verification,
    )

    ira, ivan, sofia = staff[Role.INTAKE], staff[Role.INVESTIGATOR], staff[Role.SUPERVISOR]
    item = add_text(ira, STORIES[2], Provenance()).item
    with pytest.raises(Denied):
        set_verification(ira, item.sha256, "verified", "seen")
    with pytest.raises(BadInput):
        set_verification(sofia, item.sha256, "verified", " ")
    set_verification(sofia, item.sha256, "corroborated", "two independent posts")
    assert link_case(sofia, item.sha256, case.reference)
    assert not link_case(sofia, item.sha256, case.reference)
    number = _complaint("текст")
    assert link_complaint(ivan, item.sha256, number)
    with pytest.raises(Denied):
        item_page(staff[Role.ANALYST], item.sha256)
    page = item_page(sofia, item.sha256)
    assert page.item.verification == "corroborated" and page.item.verified_by.username == "sofia"
    assert {(link.case_id, link.complaint_id) for link in page.links} == {
        (case.pk, None),
        (None, number),
    }
    assert _actions() == [
        "intake.add",
        "intake.verify",
        "intake.link",
        "intake.link",
        "intake.view",
    ]


def test_gps_is_kept_apart_and_shown_only_to_supervisors_and_the_view_copy_has_no_metadata(
    staff: dict[Role, Actor], tmp_path: Path
) -> None:
    from PIL import Image

    from nadzor.intake.services import item_page, view_path
    from tests.intake.media import make_picture

    picture = make_picture(9)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Model 7"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (55.0, 45.0, 0.0), 3: "E", 4: (37.0, 37.0, 0.0)})
    path = tmp_path / "gps.jpg"
    picture.save(path, "JPEG", exif=exif)
    item = _add(staff[Role.INTAKE], path).item
    _work()
    sofia_sees = item_page(staff[Role.SUPERVISOR], item.sha256)
    assert sofia_sees.sensitive == {"gps": {"latitude": 55.75, "longitude": 37.616667}}
    assert sofia_sees.metadata["device"] == "PhoneMaker Model 7"
    ira_sees = item_page(staff[Role.INTAKE], item.sha256)
    assert ira_sees.sensitive is None and "gps" not in json.dumps(ira_sees.metadata)
    with Image.open(view_path(item.sha256)) as view:
        assert not view.getexif() and "exif" not in view.info


def test_hostile_files_get_a_clear_status_and_the_worker_goes_on(
    staff: dict[Role, Actor], clips: dict[str, Path], tmp_path: Path
) -> None:
    from PIL import Image

    from nadzor.store.models import IntakeItem

    ira = staff[Role.INTAKE]
    truncated = tmp_path / "truncated.mp4"
    data = clips["original"].read_bytes()
    truncated.write_bytes(data[: len(data) // 3])
    bomb = tmp_path / "bomb.png"
    Image.new("1", (20000, 20000)).save(bomb)
    liar = tmp_path / "photo.jpg"  # a PNG signature, then nothing an image decoder can read
    liar.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\x0dIHDR" + b"junk" * 500)
    good = tmp_path / "good.mp4"
    shutil.copy(clips["other"], good)
    added = {p.name: _add(ira, p).item for p in (truncated, bomb, liar, good)}
    _work()
    state = {n: IntakeItem.objects.get(pk=i.pk) for n, i in added.items()}
    assert state["good.mp4"].state == "processed"
    for name in ("truncated.mp4", "bomb.png", "photo.jpg"):
        assert state[name].state == "failed", name
        assert state[name].state_reason, name
    assert "decompression bomb" in state["bomb.png"].state_reason
    assert state["photo.jpg"].kind == "image" and state["photo.jpg"].file_name == "photo.jpg"


def test_files_of_types_not_accepted_are_refused(staff: dict[Role, Actor], tmp_path: Path) -> None:
    from nadzor.cases.services import BadInput

    program = tmp_path / "video.mp4"
    program.write_bytes(b"\x7fELF\x02\x01\x01" + b"\x00" * 200)
    with pytest.raises(BadInput, match="not accepted"):
        _add(staff[Role.INTAKE], program)
