"""Reproducible CSV, a PDF with Cyrillic text on A4, XLSX, and charts as valid titled SVG."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def _report(seeded: dict[str, Any], **options: Any) -> Any:
    from nadzor.reports.services import make_report, parse_options

    return make_report(parse_options(*seeded["period"], **options))


def test_the_same_store_and_options_give_the_same_csv_bytes(seeded: dict[str, Any]) -> None:
    from nadzor.reports.services import to_csv

    with translation.override("ru"):
        first = to_csv(_report(seeded))
        second = to_csv(_report(seeded))
        public = to_csv(_report(seeded, public=True))
        assert to_csv(_report(seeded, public=True)) == public
    assert first == second
    text = first.decode()
    head = text.splitlines()
    from nadzor.audit.journal import head as audit_head

    assert f"audit_head,{audit_head()}" in head
    assert "rulebooks,ru-2022-provision@1.0.0;ru-2022@1.0.0" in head


def test_a_change_in_the_store_changes_the_csv(seeded: dict[str, Any]) -> None:
    from nadzor.audit.journal import append
    from nadzor.reports.services import to_csv

    before = to_csv(_report(seeded))
    append("system", "test.touch", "store:seed", {})
    assert to_csv(_report(seeded)) != before


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
def test_the_pdf_is_a4_with_cyrillic_text(seeded: dict[str, Any], tmp_path: Path) -> None:
    from nadzor.reports.services import render

    with translation.override("ru"):
        data = render(_report(seeded), "pdf", lang="ru")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 2
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89" in info or "595.28 x 841.89" in info  # A4 in points
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Курская область" in text
    assert "Отчёт" in text and "Жалобы" in text
    fonts = subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    assert "DejaVu" in fonts


def test_the_xlsx_holds_the_figures_and_their_filters(seeded: dict[str, Any]) -> None:
    import io

    from openpyxl import load_workbook

    from nadzor.reports.services import render

    report = _report(seeded)
    sheet = load_workbook(io.BytesIO(render(report, "xlsx"))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    sent = next(r for r in rows if r[5] and "value=sent_home" in str(r[5]) and r[1] in ("", None))
    figure = next(f for s in report.sections for f in s.figures if f.key == "sent_home")
    assert sent[4] == figure.cell.value


def test_the_charts_are_valid_svg_with_titles(seeded: dict[str, Any]) -> None:
    from nadzor.reports._charts import chart_svg

    report = _report(seeded)
    charted = [t for s in report.sections for t in s.tables if t.chart and t.rows]
    assert len(charted) >= 5
    for table in charted:
        root = ET.fromstring(chart_svg(table))
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        title = root.find(f"{SVG}title")
        assert title is not None and title.text == table.title
        assert "<script" not in chart_svg(table)
