"""The Russian and Ukrainian catalogues: every entry translated, and each compiled file matches its source."""

from __future__ import annotations

import gettext
import re
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


UKRAINIAN = LOCALE.parent.parent / "uk" / "LC_MESSAGES"
_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")


def test_every_russian_entry_has_a_ukrainian_one_with_the_same_placeholders() -> None:
    russian, ukrainian = catalog(LOCALE / "django.mo"), catalog(UKRAINIAN / "django.mo")
    missing = [key for key in russian if key and not ukrainian.get(key)]
    assert missing == []
    for key, text in ukrainian.items():
        english = key[0] if isinstance(key, tuple) else key
        wanted = set(_PLACEHOLDER.findall(str(english).split("\x04")[-1]))
        assert set(_PLACEHOLDER.findall(str(text))) == wanted, key


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
def test_the_compiled_ukrainian_catalogue_matches_the_source(tmp_path: Path) -> None:
    fresh = tmp_path / "django.mo"
    subprocess.run(
        ["msgfmt", "--check", "-o", str(fresh), str(UKRAINIAN / "django.po")], check=True
    )
    assert catalog(fresh) == catalog(UKRAINIAN / "django.mo"), (
        "run `make messages` and commit django.mo"
    )
