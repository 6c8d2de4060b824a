"""Generated media for the intake tests, made once per session (the clips take a moment)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.intake.media import (
    IMAGE_TRANSFORMS,
    VIDEO_TRANSFORMS,
    copy_clip,
    make_clip,
    make_picture,
    save_picture,
)


@pytest.fixture(scope="session")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """`original`, its four transformed copies, and `other` (a different picture)."""
    folder = tmp_path_factory.mktemp("pictures")
    base = make_picture(1)
    found = {"original": save_picture(base, folder / "original.jpg")}
    for name, change in IMAGE_TRANSFORMS.items():
        quality = 30 if name == "reencode" else 85
        found[name] = save_picture(change(base), folder / f"{name}.jpg", quality=quality)
    found["other"] = save_picture(make_picture(2), folder / "other.jpg")
    return found


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """`original`, its four transformed copies, and `other` (a different clip)."""
    folder = tmp_path_factory.mktemp("clips")
    found = {"original": make_clip(folder / "original.mp4", seed=1)}
    for how in VIDEO_TRANSFORMS:
        found[how] = copy_clip(found["original"], folder / f"{how}.mp4", how)
    found["other"] = make_clip(folder / "other.mp4", seed=2)
    return found


@pytest.fixture
def case(staff: dict[Any, Any]) -> Any:
    from nadzor.cases.domain import Kind, Role
    from nadzor.cases.services import NewCase, create_case

    return create_case(
        staff[Role.SUPERVISOR],
        NewCase(kind=Kind.CONDITIONS, title="Tents at the station", region="Kursk"),
    )
