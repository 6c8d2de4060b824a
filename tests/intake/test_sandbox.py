"""The decoding child: a file over the memory limit is refused with a reason, and the next
file is decoded all the same; a child that dies is replaced."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import numpy as np
from PIL import Image

from nadzor.intake._sandbox import Decoder, Limits, run_probe
from tests.intake.media import make_picture, save_picture


def test_a_file_over_the_memory_limit_gets_a_reason_and_the_next_file_is_decoded(
    tmp_path: Path,
) -> None:
    huge = tmp_path / "huge.png"
    noise = (np.random.default_rng(0).random((500, 600, 3)) * 255).astype("uint8")
    Image.fromarray(noise).resize((6000, 5000)).save(huge)
    small = save_picture(make_picture(3), tmp_path / "small.jpg")
    # the 30-megapixel picture needs some 90 MB a copy in RGB and the decoder holds two at
    # once (about 380 MB in all); a small one decodes in under 150 MB
    decoder = Decoder(Limits(memory_mb=250))
    try:
        refused = decoder.probe("image", huge, tmp_path / "v1.jpg")
        assert refused.error.startswith("decoding needs more")
        assert not refused.hashes
        fine = decoder.probe("image", small, tmp_path / "v2.jpg")
        assert fine.error == "" and len(fine.hashes[0]) == 96
    finally:
        decoder.close()


def test_a_child_that_dies_is_replaced(tmp_path: Path) -> None:
    small = save_picture(make_picture(4), tmp_path / "small.jpg")
    decoder = Decoder()
    try:
        assert decoder.probe("image", small, tmp_path / "v1.jpg").error == ""
        child = decoder._child
        assert child is not None
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        again = decoder.probe("image", small, tmp_path / "v2.jpg")
        assert again.error == "" and decoder._child is not None
        assert decoder._child.pid != child.pid
    finally:
        decoder.close()


def test_audio_gives_its_metadata_and_no_picture_hashes(tmp_path: Path) -> None:
    import av

    path = tmp_path / "voice.wav"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("pcm_s16le", rate=8000, layout="mono")
        tone = (np.sin(np.arange(8000 * 3) / 5) * 3000).astype("int16").reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(tone, format="s16", layout="mono")
        frame.sample_rate = 8000
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    probed = run_probe("audio", path, tmp_path / "none.jpg")
    assert probed.error == "" and probed.hashes == []
    assert probed.metadata["duration"] == 3.0
    assert probed.metadata["codecs"] == ["audio:pcm_s16le"]
    assert not (tmp_path / "none.jpg").exists()
