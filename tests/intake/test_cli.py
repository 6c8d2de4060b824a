"""`nadzor intake import | clusters` and `nadzor worker`, run as an operator would, in new
processes; a worker killed in the middle of a job leaves nothing lost and nothing twice."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CliResult, nadzor_process
from tests.intake.media import STORIES, paraphrase

pytestmark = pytest.mark.store


class Store:
    def __init__(self, url: str, root: Path) -> None:
        self.url = url
        self.env = {"NADZOR_EVIDENCE_DIR": str(root / "evidence")}

    def run(self, *args: object) -> CliResult:
        return nadzor_process(*args, db=self.url, env=self.env)

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Rows read (or changed) straight in the database, as an outside checker would."""
        if self.url.startswith("sqlite"):
            import sqlite3

            with sqlite3.connect(self.url.removeprefix("sqlite:///")) as con:
                return con.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as con, con.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall() if cur.description else []


@pytest.fixture
def store(store_url: str, tmp_path: Path) -> Store:
    found = Store(store_url, tmp_path)
    assert found.run("init").code == 0
    return found


def _folder(tmp_path: Path, clips: dict[str, Path]) -> tuple[Path, Path]:
    folder = tmp_path / "material"
    folder.mkdir()
    rows = ["path,source_url,platform,published_at,note"]
    for name, path in clips.items():
        shutil.copy(path, folder / f"{name}.mp4")
        rows.append(f"{name}.mp4,https://t.me/chan/{len(rows)},telegram,2022-10-0{len(rows)},")
    for number, text in enumerate([STORIES[0], paraphrase(STORIES[0]), STORIES[1]]):
        (folder / f"post{number}.txt").write_text(text, encoding="utf-8")
        rows.append(f"post{number}.txt,,vk,2022-10-12T08:00:00Z,в/ч 12345")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder, manifest


def _clusters(store: Store, tmp_path: Path) -> dict[str, dict[str, str]]:
    out = tmp_path / "clusters.csv"
    done = store.run("intake", "clusters", "--out", out)
    assert done.code == 0, done.err
    with out.open(encoding="utf-8") as handle:
        return {row["file_name"]: row for row in csv.DictReader(handle)}


def test_import_twice_adds_nothing_and_the_worker_clusters(
    store: Store, clips: dict[str, Path], tmp_path: Path
) -> None:
    folder, manifest = _folder(tmp_path, clips)
    first = store.run("intake", "import", folder, "--manifest", manifest)
    assert first.code == 0, first.err
    assert len(first.out.split()) == 9 and "9 item(s) added, 0 already present" in first.err
    again = store.run("intake", "import", folder, "--manifest", manifest)
    assert again.code == 0 and again.out == ""
    assert "0 item(s) added, 9 already present" in again.err
    assert store.query("SELECT COUNT(*) FROM nadzor_intake_item") == [(9,)]
    worked = store.run("worker", "--until-idle")
    assert worked.code == 0, worked.err
    rows = _clusters(store, tmp_path)
    assert set(rows) == {f"{n}.mp4" for n in clips} | {f"post{i}.txt" for i in range(3)}
    assert {row["status"] for row in rows.values()} == {"processed"}
    one = rows["original.mp4"]["cluster"]
    assert one == rows["original.mp4"]["sha256"]
    for name in ("reencode", "resize", "crop", "watermark"):
        assert rows[f"{name}.mp4"]["cluster"] == one
    assert rows["other.mp4"]["cluster"] == rows["other.mp4"]["sha256"]
    assert rows["post1.txt"]["cluster"] == rows["post0.txt"]["cluster"]
    assert rows["post2.txt"]["cluster"] != rows["post0.txt"]["cluster"]
    assert {row["kind"] for row in rows.values()} == {"video", "text"}
    actions = dict(store.query("SELECT action, COUNT(*) FROM audit_log GROUP BY action"))
    assert actions["intake.add"] == 9 and actions["intake.export"] == 1
    assert store.run("audit", "verify").code == 0


def test_a_bad_row_refuses_the_whole_import_naming_row_and_field(
    store: Store, clips: dict[str, Path], tmp_path: Path
) -> None:
    folder, manifest = _folder(tmp_path, clips)
    lines = manifest.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace("2022-10-03", "3 October")
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = store.run("intake", "import", folder, "--manifest", manifest)
    assert done.code == 2
    assert done.err.strip().splitlines() == [
        "nadzor: error: manifest row 4, field published_at: '3 October' is not a date"
        " (YYYY-MM-DD) or ISO 8601 time"
    ]
    assert store.query("SELECT COUNT(*) FROM nadzor_intake_item") == [(0,)]
    (folder / "program.mp4").write_bytes(b"\x7fELF\x02\x01\x01" + b"\x00" * 64)
    lines[3] = "program.mp4,,,,"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = store.run("intake", "import", folder, "--manifest", manifest)
    assert done.code == 2 and "manifest row 4, field path: program.mp4:" in done.err
    assert store.query("SELECT COUNT(*) FROM nadzor_intake_item") == [(0,)]


def test_a_killed_worker_loses_nothing_and_does_nothing_twice(
    store: Store, clips: dict[str, Path], tmp_path: Path
) -> None:
    folder, manifest = _folder(tmp_path, clips)
    assert store.run("intake", "import", folder, "--manifest", manifest).code == 0
    env = {**os.environ, "NADZOR_DATABASE_URL": store.url, **store.env}
    caught: list[int] = []
    for _round in range(5):
        worker = subprocess.Popen(
            [sys.executable, "-m", "nadzor", "worker", "--poll", "0.1"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            running: list[tuple[Any, ...]] = []
            while not running and worker.poll() is None:
                running = store.query(
                    "SELECT id FROM nadzor_job WHERE state = 'running' AND kind = 'hash'"
                )
                time.sleep(0.01)
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait()
        still = store.query(
            f"SELECT id FROM nadzor_job WHERE state = 'running' AND id = {running[0][0]}"
        )
        if still:
            caught.append(int(still[0][0]))
            break
    assert caught, "the worker was never caught in the middle of a job"
    # the killed worker's lease runs out (made to pass here rather than waited for)
    store.query("UPDATE nadzor_job SET lease_until = '2000-01-01 00:00:00' WHERE state = 'running'")
    done = store.run("worker", "--until-idle")
    assert done.code == 0, done.err
    assert store.query("SELECT DISTINCT state FROM nadzor_job") == [("done",)]
    assert store.query(f"SELECT attempts FROM nadzor_job WHERE id = {caught[0]}") == [(2,)]
    # a hash job per item, an extraction job per item with words (the three posts)
    assert store.query("SELECT COUNT(*) FROM nadzor_job") == [(12,)]
    # six frames per 12-second clip, once each; one print per text
    frames = store.query(
        "SELECT COUNT(*) FROM nadzor_intake_hash GROUP BY item_id ORDER BY item_id"
    )
    assert frames == [(6,)] * 6
    assert store.query("SELECT COUNT(*) FROM nadzor_intake_text_print") == [(3,)]
    rows = _clusters(store, tmp_path)
    assert len({rows[f"{n}.mp4"]["cluster"] for n in clips if n != "other"}) == 1
    assert store.run("audit", "verify").code == 0
