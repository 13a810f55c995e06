"""The annotated blank CRF: every form of the definition, bilingual, with its annotations, signed."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from ecrf.export.bundle import layout
from ecrf.export.pdf.parts import BlankCrfPart
from ecrf.export.pdf.sign import pdf_signature_problem
from ecrf.export.records import ExportContext
from tests.export.helpers import DemoRecords, run_part


@pytest.fixture
def blank_crf(export_context: ExportContext, demo_records: DemoRecords) -> tuple[bytes, list[str]]:
    run_part(BlankCrfPart(), export_context, demo_records)
    pdf = (export_context.staging / layout.BLANK_CRF).read_bytes()
    return pdf, [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.req("EXPORT-SIGNED")
def test_blank_crf_is_written_once_and_signed(blank_crf: tuple[bytes, list[str]],
                                             export_context: ExportContext) -> None:
    pdf, _ = blank_crf
    assert [p.name for p in (export_context.staging / "pdf").iterdir()] == ["blank_crf.pdf"]
    assert pdf_signature_problem(pdf, export_context.identity.certificate) is None


def test_every_form_appears_with_both_labels(blank_crf: tuple[bytes, list[str]], study) -> None:  # type: ignore[no-untyped-def]
    text = re.sub(r"\s+", " ", " ".join(blank_crf[1]))
    for code, form in study.forms.items():
        assert f"{code} · {form.label.en} {form.label.get('zh')}" in text, code
    assert "Schedule of assessments" in text


def test_items_carry_their_annotations_and_choices(blank_crf: tuple[bytes, list[str]], study) -> None:  # type: ignore[no-untyped-def]
    text = re.sub(r"\s+", " ", " ".join(blank_crf[1]))
    temp = study.forms["VS"].item("TEMP")
    assert f"TEMP · CDASH {temp.cdash} · SDTM {temp.sdtm}" in text
    assert "hard 30–45 · soft 35–41" in text and "unit °C" in text
    assert "AETERM · CDASH AETERM" in text and "体温" in text
    sex = study.forms["DM"].item("SEX")
    for choice in sex.codelist.items:
        assert f"{choice.label.en} {choice.label.get('zh')} ({choice.code})" in text
    assert "show if SEX == 'F'" in text and "derive age(BRTHDAT, RFICDAT)" in text
    assert "ND Not done" in text


def test_every_page_has_title_version_and_page_x_of_n(blank_crf: tuple[bytes, list[str]], study) -> None:  # type: ignore[no-untyped-def]
    pages = blank_crf[1]
    for number, text in enumerate(pages, start=1):
        assert "Annotated blank CRF" in text and f"Page {number} of {len(pages)}" in text
        assert f"Definition version {study.info.version}" in text
