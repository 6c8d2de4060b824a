"""The pure intake domain: unit numbers, the manifest, kinds, clusters, permissions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from nadzor.cases.domain import Actor, Denied, Role
from nadzor.intake.domain import (
    IntakeOp,
    ItemKind,
    ManifestError,
    UnionFind,
    find_units,
    kind_of,
    may_intake,
    parse_manifest,
    require_intake,
    shingles,
)


@pytest.mark.parametrize(
    ("text", "value", "mention"),
    [
        ("служит в в/ч 12345 под Курском", "12345", "в/ч 12345"),
        ("В/Ч №54321, казарма 3", "54321", "В/Ч №54321"),
        ("войсковая часть 98765 не выдала форму", "98765", "войсковая часть 98765"),
        ("из войсковой части 11111", "11111", "войсковой части 11111"),
        ("в.ч. 2222 и ничего", "2222", "в.ч. 2222"),
        ("військова частина А1234", "A1234", "військова частина А1234"),
        ("солдати в/ч А 4321", "A4321", "в/ч А 4321"),
    ],
)
def test_unit_numbers_with_their_mention(text: str, value: str, mention: str) -> None:
    [found] = find_units(text)
    assert found.kind == "unit" and found.value == value
    assert text[found.start : found.end] == mention


def test_numbers_that_are_not_units_are_not_units() -> None:
    assert find_units("в 2022 году 12345 человек, телефон 8 900 123-45-67, вч") == []
    assert find_units("в/ч 123") == []  # too short for a unit number
    assert find_units("в/ч 1234567") == []  # too long


def test_a_manifest_is_read_whole() -> None:
    rows = parse_manifest(
        "path,source_url,platform,published_at,note\n"
        "a/clip.mp4,https://t.me/c/1,telegram,2022-10-12,первый\n"
        "b.jpg,,,2022-10-12T08:30:00+03:00,\n"
    )
    assert [r.path for r in rows] == ["a/clip.mp4", "b.jpg"]
    assert rows[0].published_at == datetime(2022, 10, 12, tzinfo=UTC)
    assert rows[1].published_at == datetime(2022, 10, 12, 5, 30, tzinfo=UTC)
    assert rows[0].row == 2 and rows[0].note == "первый"


@pytest.mark.parametrize(
    ("text", "row", "field"),
    [
        ("source_url\nx\n", 1, "path"),
        ("path,colour\nx,red\n", 1, "colour"),
        ("path\n", 2, "path"),
        ("path,published_at\na,2022-10-12\nb,12.10.2022\n", 3, "published_at"),
        ('path\na\n""\n', 3, "path"),
        ("path\na\n../etc/passwd\n", 3, "path"),
        ("path\n/etc/passwd\n", 2, "path"),
        ("path\na\na\n", 3, "path"),
        ("path,note\na,x,y\n", 2, "path"),
        ("path,platform\na," + "x" * 101 + "\n", 2, "platform"),
    ],
)
def test_a_bad_manifest_names_row_and_field(text: str, row: int, field: str) -> None:
    with pytest.raises(ManifestError) as caught:
        parse_manifest(text)
    assert (caught.value.row, caught.value.field) == (row, field)
    assert str(caught.value).startswith(f"manifest row {row}, field {field}: ")


def test_kinds_come_from_the_sniffed_type() -> None:
    assert kind_of("video/mp4") is ItemKind.VIDEO
    assert kind_of("image/jpeg") is ItemKind.IMAGE
    assert kind_of("audio/mpeg") is ItemKind.AUDIO
    assert kind_of("text/plain") is ItemKind.TEXT
    assert kind_of("application/pdf") is ItemKind.OTHER


def test_clusters_are_named_by_their_first_seen_member() -> None:
    found = UnionFind(["a", "b", "c", "d", "e"])
    found.join("d", "b")
    found.join("e", "d")
    found.join("c", "a")
    assert found.clusters() == {"a": "a", "b": "b", "c": "a", "d": "b", "e": "b"}
    found.join("e", "c")
    assert set(found.clusters().values()) == {"a"}


def test_shingles_cut_word_endings() -> None:
    assert shingles("военкомат отправил") == shingles("военкоматы отправили") == {"военк отпра"}


def test_who_may_do_what_with_items() -> None:
    def actor(role: Role) -> Actor:
        return Actor("x", role)

    assert may_intake(actor(Role.INTAKE), IntakeOp.ADD)
    assert not may_intake(actor(Role.INTAKE), IntakeOp.VERIFY)
    assert not may_intake(actor(Role.INVESTIGATOR), IntakeOp.SENSITIVE)
    assert may_intake(actor(Role.SUPERVISOR), IntakeOp.SENSITIVE)
    for role in (Role.ANALYST, Role.ADMIN):
        with pytest.raises(Denied):
            require_intake(actor(role), IntakeOp.VIEW)
