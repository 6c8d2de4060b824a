"""The Ukrainian catalogue: every entry translated, and the compiled file matches its source."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.web.test_translations import catalog

LOCALE = (
    Path(__file__).resolve().parents[3] / "src" / "nadzor" / "web" / "locale" / "uk" / "LC_MESSAGES"
)


def test_every_ukrainian_entry_is_translated() -> None:
    entries = catalog(LOCALE / "django.mo")
    assert len(entries) > 60
    assert [key for key, value in entries.items() if key and not value] == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
def test_the_compiled_ukrainian_catalogue_matches_the_source(tmp_path: Path) -> None:
    fresh = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(fresh), str(LOCALE / "django.po")], check=True)
    assert catalog(fresh) == catalog(LOCALE / "django.mo"), "run `make messages`"
