"""A register that is not UTF-8 is read in a code page of its record type's languages."""

from __future__ import annotations

from pathlib import Path

import pytest

from nadzor.screening import open_register
from nadzor.screening._encodings import legacy_encodings

HEADER = "record_id,place"


def _write(path: Path, rows: list[str], encoding: str) -> Path:
    path.write_bytes(("\n".join([HEADER, *rows]) + "\n").encode(encoding))
    return path


def _places(path: Path, languages: tuple[str, ...]) -> tuple[list[str], list[str]]:
    source = open_register(str(path), languages=languages)
    places = [p for batch in source.batches() for p in batch.column("place").to_pylist()]
    return places, source.warnings


def test_a_western_register_in_cp1252_reads_its_accents(tmp_path: Path) -> None:
    rows = ["1,Müller Straße", "2,Café de la Gare", "3,Äußere Kaserne"]
    places, warnings = _places(_write(tmp_path / "de.csv", rows, "cp1252"), ("de", "en"))
    assert places == ["Müller Straße", "Café de la Gare", "Äußere Kaserne"]
    assert warnings == ["file is not valid UTF-8: read as cp1252"]


def test_a_cyrillic_register_in_cp1251_reads_as_before(tmp_path: Path) -> None:
    rows = ["1,Тверская область", "2,Свердловская область"]
    places, warnings = _places(_write(tmp_path / "ru.csv", rows, "cp1251"), ("ru",))
    assert places == ["Тверская область", "Свердловская область"]
    assert warnings == ["file is not valid UTF-8: read as cp1251"]


def test_a_ukrainian_register_in_cp1251_keeps_its_letters(tmp_path: Path) -> None:
    rows = ['1,"Київська область"', '2,"Житомирська область; Ґудзь, Їжак"']
    places, _ = _places(_write(tmp_path / "uk.csv", rows, "cp1251"), ("uk",))
    assert places == ["Київська область", "Житомирська область; Ґудзь, Їжак"]


@pytest.mark.parametrize(
    ("languages", "first"),
    [(("ru",), "cp1251"), (("uk",), "cp1251"), (("be",), "cp1251"), (("en",), "cp1252"),
     (("fr", "ru"), "cp1252"), (("pl",), "cp1250"), ((), "cp1251")],
)  # fmt: skip
def test_the_candidates_follow_the_languages(languages: tuple[str, ...], first: str) -> None:
    found = legacy_encodings(languages)
    assert found[0] == first
    if languages and all(lang in ("en", "fr", "pl") for lang in languages):
        assert "cp1251" not in found, "a Latin register is never read as Cyrillic"


@pytest.mark.parametrize(
    ("encoding", "accidental"),
    [
        # a small letter and `і` in KOI8-U, a capital and `і` in Windows-1251, are two bytes
        # that happen to form valid UTF-8 (`пі` reads as `Ц`, `Ні` as `ͳ`)
        ("koi8_u", ["2,пі", "3,ні", "4,Сумська обл."]),
        ("cp1251", ["2,Ні", "3,Сі", "4,Сумська обл."]),
    ],
)
def test_a_ukrainian_line_that_is_valid_utf8_by_accident_keeps_its_letters(
    tmp_path: Path, encoding: str, accidental: list[str]
) -> None:
    rows = ["1,Житомирська область", *accidental]
    places, warnings = _places(_write(tmp_path / "ua.csv", rows, encoding), ("uk",))
    assert places == [row.split(",", 1)[1] for row in rows]
    assert warnings == [f"file is not valid UTF-8: read as {encoding}"]


def test_utf8_lines_added_to_a_ukrainian_legacy_file_are_read_as_utf8(tmp_path: Path) -> None:
    path = tmp_path / "ua-mixed.csv"
    legacy = "\n".join([HEADER, "1,Житомирська область", "2,пі"]).encode("koi8_u")
    path.write_bytes(legacy + '\n3,"Київ"\n'.encode())
    places, warnings = _places(path, ("uk",))
    assert places == ["Житомирська область", "пі", "Київ"]
    assert len(warnings) == 1 and "koi8_u" in warnings[0]
