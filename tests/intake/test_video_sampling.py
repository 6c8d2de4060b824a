"""Sampling a video decodes from the key frame before each sampling time when key frames
come often, and finds the very frames that decoding every frame would."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from nadzor.intake import _probe
from tests.intake.media import make_picture

STEP = 2.0


def _clip(path: Path, *, gop: int, preset: str, seconds: int = 14, fps: int = 10) -> Path:
    scene = np.asarray(make_picture(31, (640, 240)))
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 320, 240, "yuv420p"
        # "medium" codes B-frames (decoded out of order); "ultrafast" none
        stream.options = {"crf": "23", "preset": preset, "g": str(gop)}
        for i in range(seconds * fps):
            left = i * 320 // (seconds * fps)
            frame = np.ascontiguousarray(scene[:, left : left + 320])
            frame[100:140, i % 280 : i % 280 + 40] = (250, 250, 0)
            for packet in stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def _every_frame(path: Path) -> list[str]:
    """The hashes of the first frame at or after every STEP seconds, decoding all frames."""
    found = []
    due = 0.0
    with av.open(str(path)) as container:
        for frame in container.decode(container.streams.video[0]):
            if frame.time is None or frame.time + 1e-6 < due:
                continue
            found.append(_probe._pdq(frame.to_image())[0])
            due += STEP
    return found


@pytest.mark.parametrize(
    ("gop", "preset"), [(10, "ultrafast"), (10, "medium"), (7, "medium"), (300, "medium")]
)
def test_sampled_frames_are_those_of_decoding_every_frame(
    tmp_path: Path, gop: int, preset: str
) -> None:
    clip = _clip(tmp_path / "clip.mp4", gop=gop, preset=preset)
    found = _probe.probe("video", clip, tmp_path / "view.jpg")
    assert "error" not in found and not found.get("warning")
    assert found["hashes"] == _every_frame(clip)
    assert len(found["hashes"]) == 7  # 14 seconds sampled every 2
