"""The Russian catalogue: every entry translated, and the compiled file matches its source."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest

LOCALE = (
    Path(__file__).resolve().parents[2] / "src" / "nadzor" / "web" / "locale" / "ru" / "LC_MESSAGES"
)


def catalog(path: Path) -> dict[object, object]:
    with path.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]


def test_every_entry_is_translated() -> None:
    entries = catalog(LOCALE / "django.mo")
    untranslated = [key for key, value in entries.items() if key and not value]
    assert len(entries) > 300
    assert untranslated == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
def test_the_compiled_catalogue_matches_the_source(tmp_path: Path) -> None:
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(LOCALE / "django.po")], check=True)
    assert catalog(fresh) == catalog(LOCALE / "django.mo"), (
        "run `make messages` and commit django.mo"
    )
