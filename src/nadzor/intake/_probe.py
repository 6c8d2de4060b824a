"""The decoder, run only in a child process under the limits `_sandbox` sets: it reads a
file's metadata, its perceptual hashes and writes a viewing copy without metadata.

`python -m nadzor.intake._probe KIND FILE VIEW` prints one JSON object on standard output;
`python -m nadzor.intake._probe --serve` answers one JSON request per line
(`{"kind", "path", "view"}`) with one JSON line each, until its input closes.

A file the decoder cannot read gives `{"error": "..."}`; a file over the limits is ended by
the operating system, which the parent reports.
"""

from __future__ import annotations

import json
import sys
import warnings
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

__all__ = ["probe"]

MAX_PIXELS = 40_000_000
_HASH_SIDE = 256
_VIEW_SIDE = 320
_FRAME_SECONDS = 2.0
# EXIF tags read from images (their numbers in the EXIF standard)
_MAKE, _MODEL, _DATETIME, _SOFTWARE = 0x010F, 0x0110, 0x0132, 0x0131
_EXIF_IFD, _GPS_IFD, _ORIGINAL = 0x8769, 0x8825, 0x9003


class Unreadable(Exception):  # noqa: N818 - reads as the verdict it is
    """The file is not what its bytes claim, or is damaged."""


def _pdq(picture: Any) -> tuple[str, int]:
    """The PDQ hashes of the picture and of its centre without a border of each share in
    `CROP_VARIANTS` (so that a copy cropped by a few per cent meets one of them), joined."""
    import numpy as np
    import pdqhash
    from PIL import Image

    from nadzor.intake.domain import CROP_VARIANTS

    picture = picture.convert("RGB")
    picture.thumbnail((_HASH_SIDE, _HASH_SIDE), Image.Resampling.BILINEAR, reducing_gap=2.0)
    width, height = picture.size
    packed = b""
    qualities = []
    for share in CROP_VARIANTS:
        dx, dy = int(width * share), int(height * share)
        part = picture.crop((dx, dy, width - dx, height - dy)) if share else picture
        bits, quality = pdqhash.compute(np.asarray(part))
        packed += np.packbits(np.asarray(bits, dtype=np.uint8)).tobytes()
        qualities.append(int(quality))
    return packed.hex(), qualities[0]


def _write_view(picture: Any, view: Path) -> None:
    """A small JPEG made from the pixels alone: no EXIF, no GPS, no comments."""
    from PIL import Image

    copy = picture.convert("RGB")
    copy.thumbnail((_VIEW_SIDE, _VIEW_SIDE), Image.Resampling.BILINEAR, reducing_gap=2.0)
    clean = Image.new("RGB", copy.size)
    clean.paste(copy)
    clean.save(view, "JPEG", quality=80)


def _ratio(value: Any) -> float:
    return float(Fraction(value)) if not isinstance(value, tuple) else value[0] / value[1]


def _gps(exif: Any) -> dict[str, float] | None:
    try:
        gps = exif.get_ifd(_GPS_IFD)
        if not gps or 2 not in gps or 4 not in gps:
            return None
        lat = sum(_ratio(x) / 60**i for i, x in enumerate(gps[2]))
        lon = sum(_ratio(x) / 60**i for i, x in enumerate(gps[4]))
        if str(gps.get(1, "N")).upper().startswith("S"):
            lat = -lat
        if str(gps.get(3, "E")).upper().startswith("W"):
            lon = -lon
        return {"latitude": round(lat, 6), "longitude": round(lon, 6)}
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None


def _image(path: Path, view: Path) -> dict[str, Any]:
    from PIL import Image, ImageOps, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    warnings.simplefilter("error", Image.DecompressionBombWarning)
    try:
        with Image.open(path) as picture:
            width, height = picture.size
            if picture.width * picture.height > MAX_PIXELS:
                raise Unreadable(
                    f"the image has {picture.width}×{picture.height} pixels, more than"
                    f" {MAX_PIXELS} (a decompression bomb?)"
                )
            exif = picture.getexif()
            # JPEG decodes at a reduced scale (1/2, 1/4 or 1/8, in the decoder's inverse DCT)
            # straight away: the viewing copy needs _VIEW_SIDE pixels on the long side and the
            # hashes fewer, so the request keeps the picture's shape with that long side
            scale = _VIEW_SIDE / max(width, height, 1)
            picture.draft("RGB", (max(1, int(width * scale)), max(1, int(height * scale))))
            picture.load()
            meta: dict[str, Any] = {
                "format": picture.format or "",
                "width": width,
                "height": height,
            }
            details = exif.get_ifd(_EXIF_IFD)
            created = details.get(_ORIGINAL) or exif.get(_DATETIME)
            device = " ".join(str(exif.get(t, "")).strip() for t in (_MAKE, _MODEL)).strip()
            if created:
                meta["created"] = str(created)
            if device:
                meta["device"] = device
            if exif.get(_SOFTWARE):
                meta["software"] = str(exif.get(_SOFTWARE))
            sensitive = {"gps": gps} if (gps := _gps(exif)) else {}
            upright = ImageOps.exif_transpose(picture).convert("RGB")
            # one reduced picture serves both: the viewing copy first, then the hashes
            # from it (a 320-pixel copy shrunk to 256 hashes within a few bits of the
            # full-size picture shrunk to 256)
            upright.thumbnail((_VIEW_SIDE, _VIEW_SIDE), Image.Resampling.BILINEAR, reducing_gap=2.0)
            _write_view(upright, view)
            digest, quality = _pdq(upright)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise Unreadable(
            f"the image is too large to decode safely (a decompression bomb?): {exc}"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise Unreadable(f"the image cannot be decoded: {exc}") from None
    return {"metadata": meta, "sensitive": sensitive, "hashes": [digest], "quality": quality}


def _tags(tags: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """Container tags split into the plain (creation time, device) and the sensitive
    (location)."""
    plain: dict[str, str] = {}
    sensitive: dict[str, str] = {}
    for key, value in tags.items():
        name = key.lower()
        if "location" in name or "gps" in name or "xyz" in name:
            sensitive["gps"] = value
        elif "creation_time" in name or name.endswith(".creationdate"):
            plain["created"] = value
        elif name.endswith((".make", ".model")) or name in ("make", "model"):
            plain["device"] = f"{plain.get('device', '')} {value}".strip()
        elif name in ("encoder", "handler_name", "major_brand"):
            plain[name] = value
    return plain, sensitive


def _sampled(container: Any, stream: Any) -> Iterator[Any]:
    """The first frame at or after every `_FRAME_SECONDS`, in order.

    Packets are read without decoding; between sampling times only the packets from the
    last key frame before the next sampling time are decoded (the decoder is reset before
    that key frame), so a video whose key frames come more often than its samples is not
    decoded whole. With no key frame in between, decoding simply goes on. A key frame
    starts a picture anew, so the frame found is the one decoding everything would give.
    """
    due = 0.0
    waiting = False  # a frame was taken: packets wait until the next sampling time
    pending: list[Any] = []  # packets not decoded yet, from the last key frame if any
    gap = False  # packets were dropped before `pending`: the decoder restarts
    for packet in container.demux(stream):
        if waiting and packet.size:
            if packet.is_keyframe:
                gap = gap or bool(pending)
                pending = []
            pending.append(packet)
            if packet.pts is None or float(packet.pts * packet.time_base) + 1e-6 < due:
                continue
            waiting = False
            if gap:
                stream.codec_context.flush_buffers()
            batch, pending, gap = pending, [], False
        else:
            if gap:
                stream.codec_context.flush_buffers()
            batch = [*pending, packet]
            pending, waiting, gap = [], False, False
        for number, queued in enumerate(batch):
            for frame in stream.decode(queued):
                if waiting or frame.time is None or frame.time + 1e-6 < due:
                    continue
                yield frame
                due += _FRAME_SECONDS
                waiting = True
            if waiting:
                # the rest of this batch goes back to waiting (decoded packets behind it)
                pending = list(batch[number + 1 :])
                break


def _media(path: Path, view: Path, with_frames: bool) -> dict[str, Any]:
    import av

    hashes: list[str] = []
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.FFmpegError, UnicodeDecodeError, ValueError) as exc:
        raise Unreadable(f"the file cannot be opened as audio or video: {exc}") from None
    damaged = ""
    with container:
        plain, sensitive = _tags(dict(container.metadata))
        meta: dict[str, Any] = {"container": container.format.name, **plain}
        if container.duration is not None:
            meta["duration"] = round(container.duration / 1_000_000, 3)
        codecs = []
        for stream in container.streams:
            codecs.append(f"{stream.type}:{stream.codec_context.name}")
            more_plain, more_sensitive = _tags(dict(stream.metadata))
            meta.update({k: v for k, v in more_plain.items() if k not in meta})
            sensitive.update(more_sensitive)
            if stream.type == "video" and "width" not in meta:
                meta["width"] = stream.codec_context.width
                meta["height"] = stream.codec_context.height
        meta["codecs"] = codecs
        videos = container.streams.video
        if with_frames and videos:
            stream = videos[0]
            stream.thread_type = "AUTO"
            try:
                for frame in _sampled(container, stream):
                    picture = frame.to_image()
                    if picture.width * picture.height > MAX_PIXELS:
                        raise Unreadable("the video's frames are too large to decode safely")
                    digest, _quality = _pdq(picture)
                    hashes.append(digest)
                    if len(hashes) == 1:
                        _write_view(picture, view)
            except av.FFmpegError as exc:
                damaged = f"decoding stopped at {len(hashes) * _FRAME_SECONDS:.0f} s: {exc}"
            if not hashes:
                raise Unreadable(damaged or "no picture could be decoded from the video")
    result: dict[str, Any] = {"metadata": meta, "sensitive": sensitive, "hashes": hashes}
    if damaged:
        result["warning"] = damaged
    return result


def probe(kind: str, path: Path, view: Path) -> dict[str, Any]:
    try:
        if kind == "image":
            return _image(path, view)
        if kind in ("video", "audio"):
            return _media(path, view, with_frames=kind == "video")
        return {"metadata": {}, "sensitive": {}, "hashes": []}
    except Unreadable as exc:
        return {"error": str(exc)}
    except MemoryError:
        return {"error": "decoding needs more memory than allowed"}


def serve() -> None:
    for line in sys.stdin:
        asked = json.loads(line)
        outcome = probe(asked["kind"], Path(asked["path"]), Path(asked["view"]))
        sys.stdout.write(json.dumps(outcome, ensure_ascii=False) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        serve()
    else:
        outcome = probe(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
        sys.stdout.write(json.dumps(outcome, ensure_ascii=False))
