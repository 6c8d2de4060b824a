"""The Russian and Ukrainian catalogues: every entry translated, the Ukrainian one with
every entry of the Russian one, and each compiled file matching its source."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path

import pytest

LOCALES = Path(__file__).resolve().parents[2] / "src" / "nadzor" / "web" / "locale"
LANGUAGES = ["ru", "uk"]


def catalog(path: Path) -> dict[object, object]:
    with path.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]


def compiled(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / "django.mo"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated(language: str) -> None:
    entries = catalog(compiled(language))
    untranslated = [key for key, value in entries.items() if key and not value]
    assert len(entries) > 300
    assert untranslated == []


def test_every_russian_entry_has_a_ukrainian_one() -> None:
    ukrainian = catalog(compiled("uk"))
    missing = [key for key in catalog(compiled("ru")) if key not in ukrainian]
    assert missing == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_the_source(tmp_path: Path, language: str) -> None:
    fresh = tmp_path / "django.mo"
    source = compiled(language).with_suffix(".po")
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(source)], check=True)
    assert catalog(fresh) == catalog(compiled(language)), "run `make messages` and commit django.mo"
