"""Near-duplicates without the store: transformed copies of one picture, one clip and one
story are near; different ones are not (through the real decoder in its child process)."""

from __future__ import annotations

import itertools
from pathlib import Path

from nadzor.intake._minhash import cluster_texts, signature, similarity
from nadzor.intake._sandbox import run_probe
from nadzor.intake.domain import (
    PDQ_MAX_DISTANCE,
    TEXT_MIN_SIMILARITY,
    cluster_pictures,
    distances,
    videos_match,
)
from tests.intake.media import STORIES, paraphrase

COPIES = ("original", "reencode", "resize", "crop", "watermark")


def _hashes(kind: str, files: dict[str, Path], tmp_path: Path) -> dict[str, list[bytes]]:
    found = {}
    for name, path in files.items():
        probed = run_probe(kind, path, tmp_path / f"{name}.jpg")
        assert probed.error == "", (name, probed.error)
        found[name] = probed.hashes
    return found


def test_copies_of_a_picture_are_near_and_another_picture_is_not(
    pictures: dict[str, Path], tmp_path: Path
) -> None:
    hashes = _hashes("image", pictures, tmp_path)
    for a, b in itertools.combinations(COPIES, 2):
        assert distances(hashes[a][0], [hashes[b][0]])[0] <= PDQ_MAX_DISTANCE, (a, b)
    for name in COPIES:
        assert distances(hashes["other"][0], [hashes[name][0]])[0] > PDQ_MAX_DISTANCE, name
    # the batch clustering (the benchmark's) agrees: one cluster named by the first
    names = ["original", "other", "reencode", "resize", "crop", "watermark"]
    found = cluster_pictures(names, [hashes[n][0] for n in names])
    assert found == {n: ("other" if n == "other" else "original") for n in names}


def test_copies_of_a_clip_match_and_another_clip_does_not(
    clips: dict[str, Path], tmp_path: Path
) -> None:
    hashes = _hashes("video", clips, tmp_path)
    assert len(hashes["original"]) == 6  # a 12-second clip sampled every 2 seconds
    for a, b in itertools.combinations(COPIES, 2):
        assert videos_match(hashes[a], hashes[b]), (a, b)
    for name in COPIES:
        assert not videos_match(hashes["other"], hashes[name]), name


def test_a_paraphrased_story_is_near_and_other_stories_are_not() -> None:
    for story in STORIES:
        assert similarity(signature(story), signature(paraphrase(story))) >= TEXT_MIN_SIMILARITY
    for a, b in itertools.combinations(STORIES, 2):
        assert similarity(signature(a), signature(b)) < TEXT_MIN_SIMILARITY


def test_texts_cluster_by_story_under_the_first_seen_key() -> None:
    keys = ["a", "b", "c", "a2", "b2"]
    texts = [STORIES[0], STORIES[1], STORIES[2], paraphrase(STORIES[0]), paraphrase(STORIES[1])]
    assert cluster_texts(keys, texts) == {"a": "a", "b": "b", "c": "c", "a2": "a", "b2": "b"}
