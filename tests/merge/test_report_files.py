"""The merge report's files: a self-contained HTML page that escapes what the sites typed, the same sections as
a PDF, written atomically, and the `ecrf merged report` command."""
from __future__ import annotations

import argparse
import re
from dataclasses import replace
from pathlib import Path

import lxml.html
import pytest
from pypdf import PdfReader
from sqlalchemy import update

from ecrf.cli.merged_report import add_report_command
from ecrf.merge.central import schema
from ecrf.merge.central.db import open_central
from ecrf.merge.errors import ReportError
from ecrf.merge.report import write_report
from tests.merge.report_central import central_copy
from tests.pdf_fonts import font_names, unembedded_fonts

pytestmark = pytest.mark.req("MERGE-REPORT")
SECTIONS = ("Alarms", "Bundles", "Sites", "Enrolment", "Completeness", "Open queries", "Source data verification",
            "Signatures outstanding", "Adverse events", "Deaths by Day 28", "Notes")
HOSTILE_NAME = "<script>alert('site')</script>"
HOSTILE_REASON = '<img src="http://evil.example/x.png" onerror="alert(1)">'
HOSTILE_CODE = "CN<b onmouseover=alert(2)>"


def _report(tmp_path, multi_site, study, hostile: bool = False) -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    engine = open_central(central_copy(tmp_path, multi_site, study))
    if hostile:
        with engine.begin() as conn:
            sources = schema.sources
            first = sources.c.site_code == "CN01"
            conn.execute(update(sources).where(first).values(site_name=HOSTILE_NAME, site_code=HOSTILE_CODE))
            conn.execute(update(schema.bundles).where(schema.bundles.c.outcome == "refused")
                         .values(reason=HOSTILE_REASON))
    out = tmp_path / "out"
    out.mkdir()
    try:
        return write_report(engine, study, out)
    finally:
        engine.dispose()


def test_the_html_page_is_self_contained_and_holds_every_section(tmp_path, multi_site, study) -> None:  # type: ignore[no-untyped-def]
    html_path, _ = _report(tmp_path, multi_site, study)
    text = html_path.read_text(encoding="utf-8")
    page = lxml.html.fromstring(text)
    assert [h.text_content() for h in page.iter("h2")] == list(SECTIONS)
    assert not re.search(r"https?:|//[a-z]", text, re.IGNORECASE), "nothing refers to anything outside the file"
    assert "url(" not in text and not page.xpath("//script|//link|//iframe|//object|//embed|//img|//*[@src]")
    assert all(a.get("href", "").startswith("#") for a in page.iter("a"))
    charts = page.xpath("//figure/*[local-name()='svg']")
    assert len(charts) == 7 and all(svg.xpath(".//*[local-name()='rect' or local-name()='path']")
                                    for svg in charts)
    assert all(figure.getnext() is not None and figure.getnext().xpath(".//table") for figure in page.iter("figure"))
    assert "ALARM" in page.xpath("//section[@id='alarms']")[0].text_content()


def test_hostile_text_from_a_site_is_shown_never_run(tmp_path, multi_site, study) -> None:  # type: ignore[no-untyped-def]
    html_path, pdf_path = _report(tmp_path, multi_site, study, hostile=True)
    text = html_path.read_text(encoding="utf-8")
    page = lxml.html.fromstring(text)
    assert not page.xpath("//script|//img|//b")
    assert not [a for element in page.iter() for a in element.attrib if a.lower().startswith("on")]
    shown = page.text_content()
    assert HOSTILE_NAME in shown and HOSTILE_REASON in shown and HOSTILE_CODE in shown
    assert "<script>" not in text and "&lt;script&gt;" in text
    pdf_text = "".join(p.extract_text() for p in PdfReader(pdf_path).pages)
    assert "alert('site')" in pdf_text


def test_the_pdf_has_the_same_sections_and_numbered_pages(tmp_path, multi_site, study) -> None:  # type: ignore[no-untyped-def]
    _, pdf_path = _report(tmp_path, multi_site, study)
    reader = PdfReader(pdf_path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert all(title in text for title in SECTIONS)
    assert f"Page 1 of {len(reader.pages)}" in text and len(reader.pages) >= 3
    assert "Refused" in text and "CN05-001" in text
    pdf = pdf_path.read_bytes()  # every font inside the file, the charts' labels too (fit for archiving)
    assert font_names(pdf) and unembedded_fonts(pdf) == set()


def test_a_failed_report_leaves_the_previous_one_and_no_temporary_file(tmp_path, multi_site, study) -> None:  # type: ignore[no-untyped-def]
    html_path, pdf_path = _report(tmp_path, multi_site, study)
    before = html_path.read_bytes(), pdf_path.read_bytes()
    other = replace(study, info=replace(study.info, oid="OTHER-STUDY"))
    engine = open_central(tmp_path / "central.db", create=False)
    with pytest.raises(ReportError) as refused:
        write_report(engine, other, html_path.parent)
    engine.dispose()
    assert refused.value.code == "report-study-mismatch"
    assert (html_path.read_bytes(), pdf_path.read_bytes()) == before
    assert sorted(p.name for p in html_path.parent.iterdir()) == ["merge-report.html", "merge-report.pdf"]


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="ecrf")
    merged = parser.add_subparsers(dest="command").add_parser("merged").add_subparsers(dest="merged_command")
    add_report_command(merged)
    args = parser.parse_args(argv)
    return int(args.run(args))


def test_the_command_writes_both_files_into_a_new_folder_and_refuses_one_it_cannot_make(
        tmp_path, multi_site, study, capsys) -> None:  # type: ignore[no-untyped-def]
    central = central_copy(tmp_path, multi_site, study)
    out = tmp_path / "report"
    assert _run(["merged", "report", "--from", str(central), "--out", str(out)]) == 0
    assert str(out / "merge-report.html") in capsys.readouterr().out
    assert (out / "merge-report.pdf").read_bytes().startswith(b"%PDF")
    with pytest.raises(ReportError) as refused:
        _run(["merged", "report", "--from", str(central), "--out", str(tmp_path / "missing" / "report")])
    assert refused.value.code == "report-folder-missing"
    assert not (tmp_path / "missing").exists()


def test_an_empty_central_database_gives_a_report_that_says_so(tmp_path, study) -> None:  # type: ignore[no-untyped-def]
    engine = open_central(tmp_path / "central.db")
    html_path, pdf_path = write_report(engine, study, tmp_path)
    engine.dispose()
    page = lxml.html.fromstring(html_path.read_text(encoding="utf-8"))
    assert [h.text_content() for h in page.iter("h2")] == list(SECTIONS)
    shown = page.text_content()
    assert "No bundle has been merged yet." in shown and "No alarms" in shown and "No data yet." in shown
    assert "Notes" in "".join(p.extract_text() for p in PdfReader(pdf_path).pages)
