"""`nadzor report` on a store with imported example findings: every format, same CSV twice,
the import's screening run in the report, a report in Ukrainian, bad options exit 2."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.conftest import nadzor_process


def test_report_in_every_format_after_an_import(
    store_url: str, examples: Path, tmp_path: Path
) -> None:
    assert nadzor_process("init", db=store_url).code == 0
    findings = tmp_path / "findings.csv"
    screened = nadzor_process(
        "screen", examples / "ru-2022-register.csv", "--out", findings, db=store_url
    )
    assert screened.code in (0, 3), screened.err
    imported = nadzor_process(
        "cases", "import", findings, "--source", "voenkomat-1",
        "--register", examples / "ru-2022-register.csv", db=store_url,
    )  # fmt: skip
    assert imported.code == 0, imported.err
    today = dt.date.today()
    period = ["--from", (today - dt.timedelta(days=7)).isoformat(), "--to", today.isoformat()]
    outputs = {}
    for fmt in ("csv", "html", "xlsx", "pdf"):
        out = tmp_path / f"report.{fmt}"
        done = nadzor_process("report", *period, "--format", fmt, "--out", out, db=store_url)
        assert done.code == 0, done.err
        outputs[fmt] = out.read_bytes()
    again = tmp_path / "again.csv"
    nadzor_process("report", *period, "--format", "csv", "--out", again, db=store_url)
    assert again.read_bytes() == outputs["csv"]
    text = outputs["csv"].decode()
    head = nadzor_process("audit", "head", db=store_url).out.strip()
    assert f"audit_head,{head}" in text
    assert "rulebooks,ru-2022@" in text
    assert "voenkomat-1" in text  # the import's screening run
    assert outputs["pdf"].startswith(b"%PDF")
    assert outputs["xlsx"].startswith(b"PK")
    assert "Загрузки результатов проверки за период" in outputs["html"].decode()
    public = tmp_path / "public.csv"
    done = nadzor_process(
        "report", *period, "--public", "--format", "csv", "--out", public, db=store_url
    )
    assert done.code == 0
    assert "voenkomat-1" not in public.read_text()


def test_bad_options_exit_2_with_one_line(store_url: str, tmp_path: Path) -> None:
    assert nadzor_process("init", db=store_url).code == 0
    out = tmp_path / "r.csv"
    for args, words in [
        (["--from", "2026-13-01", "--to", "2026-12-31", "--format", "csv"], "--from"),
        (["--from", "2026-02-01", "--to", "2026-01-01", "--format", "csv"], "before"),
        (["--from", "2026-01-01", "--to", "2026-01-31", "--format", "doc"], "--format"),
    ]:
        done = nadzor_process("report", *args, "--out", out, db=store_url)
        assert done.code == 2, done.err
        assert words in done.err and len(done.err.strip().splitlines()) == 1
    assert not out.exists()


def test_a_report_in_ukrainian(store_url: str, tmp_path: Path) -> None:
    assert nadzor_process("init", db=store_url).code == 0
    out = tmp_path / "report.html"
    period = ["--from", "2026-01-01", "--to", "2026-01-31"]
    done = nadzor_process(
        "report", *period, "--lang", "uk", "--format", "html", "--out", out, db=store_url
    )
    assert done.code == 0, done.err
    page = out.read_text()
    assert "Призов і справи" in page and "Відкрито справ" in page
    assert "Cases opened" not in page
