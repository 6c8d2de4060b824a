"""Intake benchmarks: pictures hashed and clustered, texts clustered, an hour of video hashed,
with the recall and precision of the clusters on generated transformed copies.

    python benchmarks/intake_bench.py [--images 10000] [--texts 100000] [--video-minutes 60]
        [--video-hd-minutes 0] [--video-hd-key-seconds 1] [--worker-images 1000]
        [--worker-texts 0] [--worker-hash-only] [--workdir benchmarks/data/intake]
        [--workers 2]

CPU times (user + system) are reported beside wall times, with the load average: the
decoding children's and the workers' CPU is counted once they have ended.

Pictures come in groups of five: an original and its copies re-encoded (JPEG quality 30),
resized to two thirds, cropped by 4 % on each side and watermarked. Texts come in stories
told one to five times (paraphrased: words changed, sentences reordered, one dropped).
Recall is the share of pairs of one group that share a cluster; precision the share of
pairs sharing a cluster that are of one group. The PDQ threshold is swept on a sample to
show where the chosen one stands. Everything is generated from seeds; nothing is fetched.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.intake.media import (  # noqa: E402
    IMAGE_TRANSFORMS,
    VIDEO_TRANSFORMS,
    copy_clip,
    make_clip,
    make_picture,
    save_picture,
)

from nadzor.intake._minhash import cluster_texts  # noqa: E402
from nadzor.intake._sandbox import Decoder  # noqa: E402
from nadzor.intake.domain import (  # noqa: E402
    PDQ_MAX_DISTANCE,
    UnionFind,
    cluster_pictures,
    near_pairs,
    videos_match,
)

# the version of the pictures' hashing (decoding scale, variants); cached hashes carry it
_HASHING = "v2"


def _load() -> str:
    return " / ".join(f"{n:.1f}" for n in os.getloadavg())


def pair_scores(truth: Sequence[str], found: Sequence[str]) -> tuple[float, float]:
    """(recall, precision) over pairs of members."""

    def pairs(labels: Sequence[str]) -> set[tuple[int, int]]:
        groups: dict[str, list[int]] = defaultdict(list)
        for i, label in enumerate(labels):
            groups[label].append(i)
        return {p for members in groups.values() for p in itertools.combinations(members, 2)}

    true, said = pairs(truth), pairs(found)
    both = len(true & said)
    return both / max(len(true), 1), both / max(len(said), 1)


def _children_cpu() -> float:
    """User + system seconds of the ended (and waited-for) children so far."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _hash_all(kind: str, paths: list[Path], views: Path, workers: int) -> list[list[bytes]]:
    decoders = [Decoder() for _ in range(workers)]
    try:
        chunks = [paths[i::workers] for i in range(workers)]

        def run(index: int) -> list[list[bytes]]:
            found = []
            for n, path in enumerate(chunks[index]):
                probed = decoders[index].probe(kind, path, views / f"{index}-{n}.jpg")
                if probed.error:
                    raise SystemExit(f"{path}: {probed.error}")
                found.append(probed.hashes)
            return found

        with ThreadPoolExecutor(workers) as pool:
            parts = list(pool.map(run, range(workers)))
    finally:
        for decoder in decoders:
            decoder.close()
    ordered: list[list[bytes]] = [[] for _ in paths]
    for index, part in enumerate(parts):
        for n, hashes in enumerate(part):
            ordered[index + n * workers] = hashes
    return ordered


def images(count: int, workdir: Path, workers: int) -> None:
    folder = workdir / "images"
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    truth: list[str] = []
    started = time.perf_counter()
    for group in range(max(count // 5, 2)):
        base = make_picture(10_000 + group, (640, 480))
        target = folder / f"{group}-original.jpg"
        if not target.exists():
            save_picture(base, target)
        paths.append(target)
        truth.append(str(group))
        for name, change in IMAGE_TRANSFORMS.items():
            target = folder / f"{group}-{name}.jpg"
            if not target.exists():
                save_picture(change(base), target, quality=30 if name == "reencode" else 85)
            paths.append(target)
            truth.append(str(group))
    print(f"images: {len(paths)} generated in {time.perf_counter() - started:.1f} s")
    views = workdir / "views"
    views.mkdir(exist_ok=True)
    # named by the hashing's version: hashes of an earlier decoder are not reused
    cache = workdir / f"image-hashes-{_HASHING}-{len(paths)}.txt"
    started, children = time.perf_counter(), _children_cpu()
    if cache.exists():
        hashes = [[bytes.fromhex(line)] for line in cache.read_text().split()]
        print("images: hashes read from the previous run (hashing not timed again)")
    else:
        hashes = _hash_all("image", paths, views, workers)
        cache.write_text("\n".join(h[0].hex() for h in hashes))
    hashed, hashed_cpu = time.perf_counter() - started, _children_cpu() - children
    started, cpu = time.perf_counter(), time.process_time()
    keys = [str(i) for i in range(len(paths))]
    found = cluster_pictures(keys, [h[0] for h in hashes])
    clustered, clustered_cpu = time.perf_counter() - started, time.process_time() - cpu
    recall, precision = pair_scores(truth, [found[k] for k in keys])
    print(
        f"images: {len(paths)} hashed in {hashed:.1f} s ({workers} decoding children,"
        f" {hashed_cpu:.1f} s CPU of the children), clustered in {clustered:.1f} s"
        f" ({clustered_cpu:.1f} s CPU); total {hashed + clustered:.1f} s wall,"
        f" {hashed_cpu + clustered_cpu:.1f} s CPU; load average {_load()}"
    )
    print(f"images: threshold {PDQ_MAX_DISTANCE}: recall {recall:.4f}, precision {precision:.4f}")
    edges = near_pairs([h[0] for h in hashes], limit=80)
    for limit in (31, 40, 48, 52, 56, 60, 64, 72, 80):
        joined = UnionFind(keys)
        for i, j, distance in edges:
            if distance <= limit:
                joined.join(keys[i], keys[j])
        part = joined.clusters()
        r, p = pair_scores(truth, [part[k] for k in keys])
        print(f"images: sweep: threshold {limit}: recall {r:.4f}, precision {p:.4f}")
    false = [d for i, j, d in edges if truth[i] != truth[j]]
    print(f"images: nearest two different pictures: {min(false) if false else '> 80'} bits apart")
    per_copy = defaultdict(int)
    for i, path in enumerate(paths):
        how = path.stem.split("-", 1)[1]
        original = keys[i - ["original", *IMAGE_TRANSFORMS].index(how)]
        per_copy[how] += found[keys[i]] == found[original]
    groups = len(paths) // 5
    print("images: copies found with their original: " + ", ".join(
        f"{how} {n}/{groups}" for how, n in per_copy.items() if how != "original"
    ))  # fmt: skip


_WORDS = [
    "нас",
    "отправили",
    "на",
    "передовую",
    "без",
    "бронежилетов",
    "зимней",
    "формы",
    "командир",
    "сказал",
    "что",
    "обмундирование",
    "выдадут",
    "позже",
    "прошло",
    "три",
    "недели",
    "ночью",
    "минус",
    "ребята",
    "болеют",
    "врача",
    "в",
    "части",
    "нет",
    "учебном",
    "центре",
    "под",
    "городом",
    "раненых",
    "не",
    "лечат",
    "еды",
    "не",
    "хватает",
    "спим",
    "на",
    "полу",
    "спортзале",
    "сто",
    "человек",
    "одну",
    "душевую",
    "никто",
    "не",
    "учит",
    "стрелять",
    "мобилизованных",
    "из",
    "области",
    "держат",
    "в",
    "палатках",
    "возле",
    "станции",
    "обещали",
    "отправить",
    "домой",
    "после",
    "медкомиссии",
    "комиссии",
    "так",
    "и",
    "не",
    "было",
    "документы",
    "забрали",
    "вернули",
    "деньги",
    "платят",
    "задерживают",
    "выплаты",
    "жалобу",
    "написали",
    "прокуратуру",
    "ответа",
    "нет",
    "казарме",
    "холодно",
    "отопления",
    "воды",
    "лекарств",
    "аптечки",
    "пустые",
    "каски",
    "старые",
    "автоматы",
    "ржавые",
    "патронов",
    "мало",
    "сухпаек",
    "просрочен",
    "кормят",
    "раз",
    "день",
    "увольнительных",
    "не",
    "дают",
    "родным",
    "звонить",
    "запрещают",
    "телефоны",
    "отобрали",
    "больных",
    "отправляют",
    "на",
    "позиции",
    "ранены",
    "двое",
    "пропал",
    "один",
    "батальон",
    "бросили",
    "окопы",
    "копаем",
    "сами",
    "лопат",
    "выдали",
    "машины",
    "сломаны",
    "топлива",
    "дороги",
]


def _story(rng: random.Random) -> list[list[str]]:
    return [
        [rng.choice(_WORDS) for _ in range(rng.randint(8, 14))] for _ in range(rng.randint(3, 6))
    ]


def _retell(story: list[list[str]], rng: random.Random) -> str:
    sentences = [[w if rng.random() > 0.12 else rng.choice(_WORDS) for w in s] for s in story]
    rng.shuffle(sentences)
    if len(sentences) > 3 and rng.random() < 0.5:
        sentences.pop()
    return ". ".join(" ".join(s) for s in sentences) + "."


def _told(count: int) -> tuple[list[str], list[str], list[str]]:
    """(keys, texts, stories) of `count` generated tellings, shuffled."""
    rng = random.Random(7)
    keys: list[str] = []
    bodies: list[str] = []
    truth: list[str] = []
    story_number = 0
    while len(bodies) < count:
        story = _story(rng)
        for telling in range(rng.randint(1, 5)):
            keys.append(f"{story_number}.{telling}")
            bodies.append(_retell(story, rng))
            truth.append(str(story_number))
        story_number += 1
    keys, bodies, truth = keys[:count], bodies[:count], truth[:count]
    order = list(range(len(keys)))
    rng.shuffle(order)
    return [keys[i] for i in order], [bodies[i] for i in order], [truth[i] for i in order]


def texts(count: int) -> None:
    keys, bodies, truth = _told(count)
    stories = len(set(truth))
    started, cpu = time.perf_counter(), time.process_time()
    found = cluster_texts(keys, bodies)
    took, used = time.perf_counter() - started, time.process_time() - cpu
    recall, precision = pair_scores(truth, [found[k] for k in keys])
    print(
        f"texts: {len(keys)} ({stories} stories) clustered in {took:.1f} s wall,"
        f" {used:.1f} s CPU, load average {_load()}"
    )
    print(f"texts: recall {recall:.4f}, precision {precision:.4f}")


def video(minutes: float, workdir: Path) -> None:
    folder = workdir / "video"
    folder.mkdir(parents=True, exist_ok=True)
    seconds = int(minutes * 60)
    long = folder / f"long-{seconds}.mp4"
    started = time.perf_counter()
    if not long.exists():
        make_clip(long, seed=99, seconds=seconds, fps=10)
    print(
        f"video: {seconds} s clip (320x240, 10 frames/s) made in {time.perf_counter() - started:.1f} s"
    )
    decoder = Decoder()
    children = _children_cpu()
    try:
        started = time.perf_counter()
        probed = decoder.probe("video", long, folder / "view.jpg")
        took = time.perf_counter() - started
    finally:
        decoder.close()
    if probed.error:
        raise SystemExit(f"video: {probed.error}")
    print(
        f"video: {seconds} s hashed in {took:.1f} s ({_children_cpu() - children:.1f} s CPU,"
        f" {len(probed.hashes)} frames sampled); load average {_load()}"
    )
    clips = {"original": make_clip(folder / "clip.mp4", seed=5)}
    for how in VIDEO_TRANSFORMS:
        clips[how] = copy_clip(clips["original"], folder / f"clip-{how}.mp4", how)
    clips["other"] = make_clip(folder / "other.mp4", seed=6)
    decoder = Decoder()
    try:
        hashes = {n: decoder.probe("video", p, folder / "v.jpg").hashes for n, p in clips.items()}
    finally:
        decoder.close()
    for name in (*VIDEO_TRANSFORMS, "other"):
        print(
            f"video: {name} matches the original: {videos_match(hashes['original'], hashes[name])}"
        )


def video_hd(minutes: float, workdir: Path, key_seconds: float) -> None:
    """A generated 1080p clip (25 frames/s, H.264, a key frame every `key_seconds`, as
    phones record) hashed by the worker's decoder."""
    import av
    import numpy as np

    folder = workdir / "video"
    folder.mkdir(parents=True, exist_ok=True)
    seconds, fps = int(minutes * 60), 25
    path = folder / f"hd-{seconds}-{key_seconds:g}.mp4"
    started = time.perf_counter()
    if not path.exists():
        scene = np.asarray(make_picture(7, (2400, 1080)))
        with av.open(str(path), "w") as container:
            stream = container.add_stream("libx264", rate=fps)
            stream.width, stream.height, stream.pix_fmt = 1920, 1080, "yuv420p"
            gop = str(max(1, int(key_seconds * fps)))
            stream.options = {"crf": "23", "preset": "ultrafast", "g": gop}
            for i in range(seconds * fps):
                left = i * 480 // (seconds * fps)
                frame = np.ascontiguousarray(scene[:, left : left + 1920])
                x = (i * 7) % 1800
                frame[500:560, x : x + 60] = (250, 250, 0)
                for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                    container.mux(packet)
            for packet in stream.encode():
                container.mux(packet)
    print(f"video: {seconds} s 1080p clip made in {time.perf_counter() - started:.1f} s")
    decoder = Decoder()
    children = _children_cpu()
    try:
        started = time.perf_counter()
        probed = decoder.probe("video", path, folder / "hd-view.jpg")
        took = time.perf_counter() - started
    finally:
        decoder.close()
    if probed.error:
        raise SystemExit(f"video: {probed.error}")
    print(
        f"video: {seconds} s of 1080p (a key frame every {key_seconds:g} s) hashed in"
        f" {took:.1f} s ({_children_cpu() - children:.1f} s CPU, {len(probed.hashes)} frames"
        f" sampled); load average {_load()}"
    )


def worker(
    count: int, workdir: Path, workers: int, *, kind: str = "image", hash_only: bool = False
) -> None:
    """End to end: `nadzor intake import` of generated pictures (or texts) into a fresh
    SQLite store, then `workers` processes of `nadzor worker --until-idle` side by side.
    With `hash_only`, the extraction jobs are marked done first: the hash jobs (hashes and
    clusters) are timed alone."""
    import csv
    import os
    import shutil
    import sqlite3
    import subprocess

    folder = workdir / f"worker-{kind}"
    shutil.rmtree(folder, ignore_errors=True)
    files = folder / "files"
    files.mkdir(parents=True)
    rows = ["path,source_url,platform,published_at,note"]
    truth: dict[str, str] = {}
    if kind == "text":
        for key, body, story in zip(*_told(count), strict=True):
            target = files / f"{key}.txt"
            target.write_text(body, encoding="utf-8")
            rows.append(f"{target.name},,,,")
            truth[target.name] = story
    for group in range(max(count // 5, 2) if kind == "image" else 0):
        base = make_picture(50_000 + group, (640, 480))
        for name, change in {"original": lambda p: p, **IMAGE_TRANSFORMS}.items():
            target = files / f"{group}-{name}.jpg"
            save_picture(change(base), target, quality=30 if name == "reencode" else 85)
            rows.append(f"{target.name},,,,")
            truth[target.name] = str(group)
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    env = {
        **os.environ,
        "NADZOR_DATABASE_URL": f"sqlite:///{folder / 'store.db'}",
        "NADZOR_EVIDENCE_DIR": str(folder / "evidence"),
    }
    nadzor = [sys.executable, "-m", "nadzor"]
    subprocess.run([*nadzor, "init"], env=env, check=True, capture_output=True)
    started = time.perf_counter()
    subprocess.run(
        [*nadzor, "intake", "import", str(files), "--manifest", str(folder / "manifest.csv")],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    imported = time.perf_counter() - started
    if hash_only:
        with sqlite3.connect(folder / "store.db") as db:
            db.execute("UPDATE nadzor_job SET state = 'done' WHERE kind = 'extract'")
    started, children = time.perf_counter(), _children_cpu()
    running = [
        subprocess.Popen([*nadzor, "worker", "--until-idle"], env=env, stderr=subprocess.DEVNULL)
        for _ in range(workers)
    ]
    for process in running:
        process.wait()
    worked, worked_cpu = time.perf_counter() - started, _children_cpu() - children
    subprocess.run(
        [*nadzor, "intake", "clusters", "--out", str(folder / "clusters.csv")],
        env=env, check=True, capture_output=True,
    )  # fmt: skip
    with (folder / "clusters.csv").open(encoding="utf-8") as handle:
        listed = list(csv.DictReader(handle))
    recall, precision = pair_scores(
        [truth[r["file_name"]] for r in listed], [r["cluster"] for r in listed]
    )
    print(
        f"worker: {len(listed)} {kind}s imported in {imported:.1f} s, worked by {workers}"
        f" worker(s) in {worked:.1f} s ({worked_cpu:.1f} s CPU of the workers and their"
        f" decoders{', extraction jobs skipped' if hash_only else ''});"
        f" recall {recall:.4f}, precision {precision:.4f}; load average {_load()}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=10_000)
    parser.add_argument("--texts", type=int, default=100_000)
    parser.add_argument("--video-minutes", type=float, default=60)
    parser.add_argument("--video-hd-minutes", type=float, default=0)
    parser.add_argument("--video-hd-key-seconds", type=float, default=1.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-images", type=int, default=1000)
    parser.add_argument("--worker-texts", type=int, default=0)
    parser.add_argument("--worker-hash-only", action="store_true")
    parser.add_argument("--workdir", type=Path, default=HERE / "data" / "intake")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    if args.images:
        images(args.images, args.workdir, args.workers)
    if args.texts:
        texts(args.texts)
    if args.video_minutes:
        video(args.video_minutes, args.workdir)
    if args.video_hd_minutes:
        video_hd(args.video_hd_minutes, args.workdir, args.video_hd_key_seconds)
    if args.worker_images:
        worker(args.worker_images, args.workdir, args.workers)
    if args.worker_texts:
        worker(
            args.worker_texts,
            args.workdir,
            args.workers,
            kind="text",
            hash_only=args.worker_hash_only,
        )


if __name__ == "__main__":
    main()
