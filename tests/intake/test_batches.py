"""The worker's batches: many jobs claimed and written in one transaction each, a batch cut
short by its worker's death resumed without loss or duplication, and the in-memory index
of stored pictures (and of texts' bands) finding what the stored rows would."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from nadzor.cases.domain import Actor, Role
from tests.intake.media import STORIES, make_picture, paraphrase, save_picture

pytestmark = pytest.mark.django_db


def _add(actor: Actor, path: Path) -> Any:
    from nadzor.intake.services import Provenance, add_item

    with path.open("rb") as handle:
        return add_item(actor, handle, Provenance(), file_name=path.name).item


def _texts(actor: Actor) -> list[Any]:
    from nadzor.intake.services import Provenance, add_text

    said = [STORIES[0], paraphrase(STORIES[0]), STORIES[1], STORIES[2]]
    return [add_text(actor, text, Provenance()).item for text in said]


def _expire_leases() -> None:
    from django.utils import timezone

    from nadzor.store.models import Job

    Job.objects.filter(state="running").update(lease_until=timezone.now() - timedelta(seconds=1))


def test_a_batch_whose_worker_died_is_done_once_and_its_jobs_retried_one_at_a_time(
    staff: dict[Role, Actor], pictures: dict[str, Path]
) -> None:
    from nadzor.intake._queue import claim_batch
    from nadzor.intake.services import work
    from nadzor.store.models import IntakeHash, IntakeItem, Job, TextBand, TextPrint

    ira = staff[Role.INTAKE]
    texts = _texts(ira)
    shots = {name: _add(ira, path) for name, path in pictures.items()}
    queued = Job.objects.count()
    # a worker claims a batch and dies before writing anything
    dead = claim_batch("dead:1:abc", 6)
    assert len(dead) == 6 and all(job.attempts == 1 for job in dead)
    assert Job.objects.filter(state="running", worker="dead:1:abc").count() == 6
    # while its lease lasts, nobody else takes them
    assert {job.pk for job in claim_batch("alive:2:def", 100)}.isdisjoint(j.pk for j in dead)
    _expire_leases()
    # a job tried before comes alone, so that a file that ended its worker spends its own
    # attempts only
    again = claim_batch("alive:2:def", 100)
    assert len(again) == 1 and again[0].attempts == 2
    _expire_leases()
    work(until_idle=True)
    assert set(Job.objects.values_list("state", flat=True)) == {"done"}
    assert Job.objects.count() == queued
    # the died batch's jobs ran twice (its own and the next worker's), the rest once or
    # twice (claimed by the second worker, whose lease ran out too), never more
    assert set(
        Job.objects.filter(pk__in=[j.pk for j in dead]).values_list("attempts", flat=True)
    ) <= {2, 3}
    # one result each: a print and its bands per text, one hash row per picture
    assert TextPrint.objects.count() == len(texts)
    assert TextBand.objects.values("text_id").distinct().count() == len(texts)
    assert IntakeHash.objects.count() == len(shots)
    clusters = {name: IntakeItem.objects.get(pk=item.pk).cluster for name, item in shots.items()}
    assert {clusters[n] for n in ("original", "reencode", "resize", "crop", "watermark")} == {
        shots["original"].sha256
    }
    assert clusters["other"] == shots["other"].sha256
    told = [IntakeItem.objects.get(pk=item.pk).cluster for item in texts]
    assert told[0] == told[1] and len({told[0], told[2], told[3]}) == 3


def test_jobs_given_back_are_queued_without_an_attempt(staff: dict[Role, Actor]) -> None:
    from nadzor.intake._queue import claim_batch, give_back
    from nadzor.store.models import Job

    _texts(staff[Role.INTAKE])
    claimed = claim_batch("w:1:a", 4)
    give_back(claimed[2:])
    states = dict(Job.objects.filter(pk__in=[j.pk for j in claimed]).values_list("pk", "state"))
    assert [states[j.pk] for j in claimed] == ["running", "running", "queued", "queued"]
    assert set(Job.objects.filter(state="queued").values_list("attempts", flat=True)) == {0}
    # fresh jobs are claimed together again
    fresh = Job.objects.filter(state="queued").count()
    assert fresh == 6 and len(claim_batch("w:2:b", 10)) == fresh


def test_in_a_batch_a_job_not_ours_and_a_job_that_raises_leave_the_others_written(
    staff: dict[Role, Actor],
) -> None:
    from nadzor.intake._queue import claim_batch, complete_batch
    from nadzor.store.models import Job, TextPrint

    _texts(staff[Role.INTAKE])
    claimed = list(claim_batch("w:1:a", 3))
    Job.objects.filter(pk=claimed[1].pk).update(worker="w:2:b")  # taken over meanwhile
    written: list[int] = []

    def fine(n: int) -> Any:
        return lambda: written.append(n)

    def broken() -> None:
        TextPrint.objects.all().delete()  # undone with the savepoint
        raise ValueError("bad data")

    outcomes = complete_batch([(claimed[0], fine(0)), (claimed[1], fine(1)), (claimed[2], broken)])
    assert outcomes[:2] == [True, False] and isinstance(outcomes[2], ValueError)
    assert written == [0]
    assert Job.objects.get(pk=claimed[0].pk).state == "done"
    assert Job.objects.get(pk=claimed[1].pk).state == "running"
    assert Job.objects.get(pk=claimed[2].pk).state == "running"  # the caller releases it


def test_the_picture_index_catches_up_with_rows_added_and_removed_elsewhere(
    staff: dict[Role, Actor], tmp_path: Path
) -> None:
    from nadzor.intake._pictures import PictureIndex
    from nadzor.intake.services import work
    from nadzor.store.models import IntakeHash, IntakeItem

    ira = staff[Role.INTAKE]
    base = make_picture(21)
    first = _add(ira, save_picture(base, tmp_path / "a.jpg"))
    work(until_idle=True)
    index = PictureIndex()
    pdq = bytes(IntakeHash.objects.get(item=first).pdq)
    assert index.near(pdq, exclude=-1) == [first.pk]
    # another worker adds a copy: the index reads it on its next look
    copy = _add(ira, save_picture(base, tmp_path / "b.jpg", quality=30))
    work(until_idle=True)
    assert sorted(index.near(pdq, exclude=-1)) == sorted([first.pk, copy.pk])
    assert IntakeItem.objects.get(pk=copy.pk).cluster == first.sha256
    # a row removed is noticed, and the index read afresh
    IntakeHash.objects.filter(item=copy).delete()
    assert index.near(pdq, exclude=first.pk) == []


def test_a_batch_whose_transaction_fails_is_queued_again_not_a_crash(
    staff: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import OperationalError

    from nadzor.intake import _work
    from nadzor.intake._queue import claim_batch
    from nadzor.store.models import Job

    _texts(staff[Role.INTAKE])
    jobs = claim_batch("w:1:a", 3)

    def lost(done: object, **_: object) -> list[object]:
        raise OperationalError("the database went away")

    monkeypatch.setattr(_work, "complete_batch", lost)
    assert _work.run_jobs(jobs) == [False, False, False]
    again = Job.objects.filter(pk__in=[job.pk for job in jobs])
    assert {(job.state, job.attempts) for job in again} == {("queued", 1)}
    assert all("the database went away" in job.error for job in again)


def test_copies_added_together_end_in_one_cluster_named_by_the_first(
    staff: dict[Role, Actor],
) -> None:
    from nadzor.intake.services import Provenance, add_text, work
    from nadzor.store.models import IntakeItem, TextPrint

    ira = staff[Role.INTAKE]
    said = [STORIES[1], STORIES[0], paraphrase(STORIES[0]), paraphrase(STORIES[1]), STORIES[2]]
    items = [add_text(ira, text, Provenance()).item for text in said]
    work(until_idle=True)  # one batch: every text placed together
    told = [IntakeItem.objects.get(pk=item.pk).cluster for item in items]
    assert told[0] == told[3] == items[0].sha256
    assert told[1] == told[2] == items[1].sha256
    assert told[4] == items[4].sha256
    prints = dict(TextPrint.objects.values_list("key", "cluster"))
    assert [prints[item.sha256] for item in items] == told


@pytest.mark.parametrize("merged_after", [1, 100_000])  # bands in the arrays, or not yet
def test_a_text_in_a_later_batch_joins_a_cluster_another_worker_made(
    staff: dict[Role, Actor], monkeypatch: pytest.MonkeyPatch, merged_after: int
) -> None:
    from nadzor.intake import _texts
    from nadzor.intake._minhash import bands
    from nadzor.intake._queue import claim_batch
    from nadzor.intake._work import run_jobs
    from nadzor.intake.services import Provenance, add_text, work
    from nadzor.store.models import IntakeItem, TextPrint

    monkeypatch.setattr(_texts, "_MERGE", merged_after)
    ira = staff[Role.INTAKE]
    mine = _texts.TextIndex()
    mine.refresh()  # this worker has read the store while it was empty
    first = add_text(ira, STORIES[0], Provenance()).item
    second = add_text(ira, paraphrase(STORIES[0]), Provenance()).item
    work(until_idle=True)  # another worker clusters them
    joined = first.sha256
    assert IntakeItem.objects.get(pk=second.pk).cluster == joined
    later = add_text(ira, STORIES[0] + " Помогите.", Provenance()).item
    token = _texts.current.set(mine)
    try:
        assert all(run_jobs(claim_batch("w:9:z", 10)))
    finally:
        _texts.current.reset(token)
    assert IntakeItem.objects.get(pk=later.pk).cluster == joined
    stored = TextPrint.objects.get(key=first.sha256)
    assert stored.pk in mine.sharing(bands(bytes(stored.signature)))


def test_texts_placed_in_a_batch_cluster_as_placed_one_by_one(
    staff: dict[Role, Actor],
) -> None:
    from nadzor.intake._clusters import place_text
    from nadzor.intake._minhash import signature
    from nadzor.intake.services import Provenance, add_text, work
    from nadzor.store.models import IntakeItem, Job, TextBand, TextPrint

    ira = staff[Role.INTAKE]
    said = [
        STORIES[2],
        STORIES[0],
        paraphrase(STORIES[2]),
        STORIES[1],
        paraphrase(STORIES[0]),
        STORIES[0] + " Это правда.",
        paraphrase(STORIES[1]),
    ]
    items = [add_text(ira, text, Provenance()).item for text in said]
    for item in items:  # one by one, as texts were placed before batches
        place_text(item, signature(item.text))
    alone = [IntakeItem.objects.get(pk=item.pk).cluster for item in items]
    TextBand.objects.all().delete()
    TextPrint.objects.all().delete()
    IntakeItem.objects.update(cluster=models_sha())
    Job.objects.update(state="queued")
    work(until_idle=True)
    assert [IntakeItem.objects.get(pk=item.pk).cluster for item in items] == alone
    assert len(set(alone)) == 3


def models_sha() -> Any:
    from django.db.models import F

    return F("sha256")
