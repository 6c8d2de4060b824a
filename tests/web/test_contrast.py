"""WCAG 1.4.11 (non-text contrast), computed from the style sheet itself: the borders of
inputs and the focus ring keep at least 3:1 against every background they sit on, and
targets are at least 24 by 24 CSS pixels."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[2] / "src/nadzor/web/static/nadzor/nadzor.css").read_text()
MINIMUM = 3.0
ROOT_FONT_PX = 17  # :root's font-size


def variables() -> dict[str, str]:
    root = re.search(r":root\s*\{(.*?)\}", CSS, re.S)
    assert root
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{6})", root.group(1)))


def colour(value: str) -> str:
    value = value.strip()
    found = re.fullmatch(r"var\(--([a-z-]+)\)", value)
    return variables()[found.group(1)] if found else value


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rule(selector_part: str) -> str:
    """The declarations of the first rule whose selector contains `selector_part`."""
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", CSS):
        if selector_part in selectors:
            return body
    raise AssertionError(f"no rule for {selector_part}")


def backgrounds() -> list[str]:
    """Every background a field or a focused element can sit on: the page, cards and
    fields (white), and the tinted notices."""
    found = {colour("var(--bg)"), colour("var(--card)"), "#ffffff"}
    found |= set(re.findall(r"background:\s*(#[0-9a-fA-F]{6})", CSS))
    return sorted(found)


def test_the_contrast_formula() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54


@pytest.mark.parametrize("background", backgrounds())
def test_input_borders_contrast_with_what_is_around_them(background: str) -> None:
    body = rule("input[type=text]")
    border = re.search(r"border:\s*\d+px solid ([^;]+);", body)
    assert border, "inputs have a solid border"
    assert contrast(colour(border.group(1)), background) >= MINIMUM
    invalid = re.search(r"border-color:\s*([^;]+);", rule(".field.invalid input"))
    assert invalid and contrast(colour(invalid.group(1)), background) >= MINIMUM


@pytest.mark.parametrize("background", backgrounds())
def test_the_focus_ring_contrasts_with_what_is_around_it(background: str) -> None:
    body = rule(":focus-visible")
    ring = re.search(r"outline:\s*(\d+)px solid ([^;]+);", body)
    assert ring and int(ring.group(1)) >= 2
    assert "outline-offset" in body, "the ring stands off the element, on the background"
    assert contrast(colour(ring.group(2)), background) >= MINIMUM
    for element in ("button:focus-visible", "input:focus-visible", "a:focus-visible"):
        assert element in CSS


def test_buttons_coloured_by_the_accent_or_danger_contrast_with_their_ring() -> None:
    ring = colour("var(--focus)")
    for fill in (colour("var(--accent)"), colour("var(--danger)")):
        # the ring is set off by 2px of page background, which itself contrasts with both
        assert contrast(fill, colour("var(--bg)")) >= MINIMUM
    assert contrast(ring, colour("var(--bg)")) >= MINIMUM


def test_checkboxes_and_radios_are_at_least_24_pixels() -> None:
    body = rule("input[type=checkbox]")
    for side in ("width", "height"):
        size = re.search(rf"{side}:\s*([0-9.]+)rem", body)
        assert size and float(size.group(1)) * ROOT_FONT_PX >= 24
