"""Generated pictures, clips and texts with their transformed copies, for the near-duplicate
tests and the benchmark: every sample comes from a seed, nothing is downloaded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import av
import numpy as np
from PIL import Image, ImageDraw

__all__ = [
    "IMAGE_TRANSFORMS",
    "STORIES",
    "VIDEO_TRANSFORMS",
    "copy_clip",
    "make_clip",
    "make_picture",
    "paraphrase",
    "save_picture",
]

Transform = Callable[[Image.Image], Image.Image]


def make_picture(seed: int, size: tuple[int, int] = (480, 360)) -> Image.Image:
    """A smooth random scene with a few shapes: something a perceptual hash can see."""
    rng = np.random.default_rng(seed)
    coarse = (rng.random((6, 8, 3)) * 255).astype(np.uint8)
    picture = Image.fromarray(coarse).resize(size, Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(picture)
    w, h = size
    for _ in range(6):
        x, y = int(rng.integers(0, w - 60)), int(rng.integers(0, h - 60))
        s = int(rng.integers(30, 120))
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        if rng.random() < 0.5:
            draw.rectangle((x, y, x + s, y + s // 2), fill=colour)
        else:
            draw.ellipse((x, y, x + s, y + s), fill=colour)
    return picture


def _crop(picture: Image.Image, share: float = 0.04) -> Image.Image:
    w, h = picture.size
    dx, dy = int(w * share), int(h * share)
    return picture.crop((dx, dy, w - dx, h - dy))


def _watermark(picture: Image.Image) -> Image.Image:
    marked = picture.copy()
    draw = ImageDraw.Draw(marked)
    w, h = marked.size
    draw.rectangle((w - w // 4, h - h // 10, w - 4, h - 4), fill=(255, 255, 255))
    draw.text((w - w // 4 + 4, h - h // 10 + 2), "@channel", fill=(0, 0, 0))
    return marked


def _resize(picture: Image.Image) -> Image.Image:
    w, h = picture.size
    return picture.resize((w * 2 // 3 // 2 * 2, h * 2 // 3 // 2 * 2), Image.Resampling.BILINEAR)


IMAGE_TRANSFORMS: dict[str, Transform] = {
    "reencode": lambda p: p,  # saved again at a low JPEG quality by the caller
    "resize": _resize,
    "crop": _crop,
    "watermark": _watermark,
}


def save_picture(picture: Image.Image, path: Path, quality: int = 90) -> Path:
    picture.convert("RGB").save(path, "JPEG", quality=quality)
    return path


def make_clip(path: Path, seed: int, seconds: int = 12, fps: int = 10) -> Path:
    """A clip of a slow pan over a generated scene, with a moving shape."""
    scene = make_picture(seed, (640, 360))
    frames = []
    for i in range(seconds * fps):
        left = int(i * (320 / (seconds * fps)))
        frame = scene.crop((left, 0, left + 320, 240 + 0)).copy()
        ImageDraw.Draw(frame).ellipse((i % 280, 100, i % 280 + 40, 140), fill=(250, 250, 0))
        frames.append(frame)
    _encode(frames, path, fps)
    return path


def _encode(
    frames: list[Image.Image], path: Path, fps: int, codec: str = "libx264", crf: str = "23"
) -> None:
    with av.open(str(path), "w") as container:
        stream = container.add_stream(codec, rate=fps)
        stream.width, stream.height = frames[0].size
        stream.pix_fmt = "yuv420p"
        if codec == "libx264":
            stream.options = {"crf": crf, "preset": "ultrafast"}
        for picture in frames:
            frame = av.VideoFrame.from_image(picture.convert("RGB"))
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def _frames(path: Path) -> tuple[list[Image.Image], int]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        fps = int(stream.average_rate or 10)
        return [frame.to_image() for frame in container.decode(stream)], fps


def _even(picture: Image.Image) -> Image.Image:
    w, h = picture.size
    return picture.crop((0, 0, w // 2 * 2, h // 2 * 2))


VIDEO_TRANSFORMS = ("reencode", "resize", "crop", "watermark")


def copy_clip(source: Path, target: Path, how: str) -> Path:
    """A transformed copy of a clip: re-encoded (another codec, lower quality), resized,
    cropped by 4 % on each side or watermarked."""
    frames, fps = _frames(source)
    if how == "reencode":
        _encode(frames, target, fps, codec="mpeg4")
        return target
    change = IMAGE_TRANSFORMS[how]
    _encode([_even(change(f)) for f in frames], target, fps, crf="30")
    return target


STORIES = [
    (
        "Нас отправили на передовую без бронежилетов и зимней формы. Командир в/ч 12345"
        " сказал, что обмундирование выдадут позже, но прошло уже три недели, ночью минус"
        " пятнадцать, ребята болеют, врача в части нет."
    ),
    (
        "В учебном центре под Нижним Новгородом нет врачей, раненых не лечат, еды не хватает,"
        " спим на полу в спортзале, сто человек на одну душевую, нас никто не учит стрелять."
    ),
    (
        "Мобилизованных из Курской области держат в палатках возле станции, обещали отправить"
        " домой после медкомиссии, но комиссии так и не было, документы забрали и не вернули."
    ),
]

_SWAPS = {
    "Нас": "Нас всех",
    "сказал,": "заявил,",
    "прошло": "минуло",
    "ребята": "парни",
    "нет.": "тоже нет.",
    "еды": "продуктов",
    "спим": "мы спим",
    "обещали": "нам обещали",
    "забрали": "отобрали",
}


def paraphrase(text: str) -> str:
    """The same story told again: a few words changed and the sentences reordered."""
    words = [_SWAPS.get(w, w) for w in text.split()]
    sentences = " ".join(words).split(". ")
    return ". ".join(reversed(sentences))
