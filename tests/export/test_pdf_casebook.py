"""Casebook PDFs: one signed PDF per subject with all its data, its history and the page furniture."""
from __future__ import annotations

import io
import re
from dataclasses import replace

import pytest
from pypdf import PdfReader

from ecrf.export.bundle import layout
from ecrf.export.pdf.casebook import casebook_pdf
from ecrf.export.pdf.casebook_forms import display_value
from ecrf.export.pdf.parts import CasebookPart
from ecrf.export.pdf.sign import pdf_signature_problem
from ecrf.export.records import ExportContext, SubjectRecord, ValueRecord
from tests.export.helpers import DemoRecords, run_part
from tests.export.monitoring_records import MEANING_EN, MEANING_ZH, monitored

LABEL = "DEMO-001"  # the demo subject with a corrected value and a removed log entry


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(texts: list[str]) -> str:
    """All pages as one line: a wrapped cell reads as one phrase (Chinese has no spaces between characters,
    so a line break inside Chinese text goes)."""
    return re.sub(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])", "", re.sub(r"\s+", " ", " ".join(texts)))


@pytest.fixture
def subject(demo_records: DemoRecords) -> SubjectRecord:
    return demo_records.subject(LABEL)


@pytest.fixture
def casebook(export_context: ExportContext, subject: SubjectRecord) -> list[str]:
    return page_texts(casebook_pdf(export_context, subject))


def value_of(subject: SubjectRecord, visit: str, form: str, item: str) -> str:
    record = next(f for f in subject.forms if (f.visit, f.form) == (visit, form))
    found = next(v for v in record.values if v.item == item)
    assert found.value is not None
    return found.value


@pytest.mark.req("EXPORT-SIGNED")
@pytest.mark.req("EXPORT-COMPLETE")
def test_part_writes_one_signed_casebook_per_subject(export_context: ExportContext,
                                                    demo_records: DemoRecords) -> None:
    run_part(CasebookPart(), export_context, demo_records)
    folder = export_context.staging / "pdf" / "casebooks"
    expected = {(export_context.staging / layout.casebook_pdf(s.label)).name for s in demo_records.subjects}
    assert {p.name for p in folder.iterdir()} == expected
    for path in sorted(folder.iterdir()):
        assert pdf_signature_problem(path.read_bytes(), export_context.identity.certificate) is None, path.name


@pytest.mark.req("EXPORT-COMPLETE")
def test_casebook_shows_the_subject_and_its_values(casebook: list[str], subject: SubjectRecord, study) -> None:  # type: ignore[no-untyped-def]
    text = flat(casebook)
    temperature = value_of(subject, "SCR", "VS", "TEMP")
    consent = value_of(subject, "SCR", "DM", "RFICDAT")
    assert subject.label in text and subject.screening_no in text
    assert f"{temperature} °C" in text
    assert consent in text and f"Day 0 {subject.day0}" in text
    vs = study.forms["VS"].label
    assert vs.en in text and vs.get("zh") in text
    assert "Body temperature" in text and "体温" in text
    assert study.info.title.get("zh") in text


@pytest.mark.req("EXPORT-COMPLETE")
def test_missing_codes_are_spelled_out_and_unentered_items_listed(casebook: list[str], subject: SubjectRecord) -> None:
    text = flat(casebook)
    missing = {v.missing for f in subject.forms for v in f.values if v.missing}
    assert "NA" in missing
    assert "NA = Not applicable" in text
    # End of study of a subject who completed: death items are never entered, but listed
    assert "DTHDAT Date of death" in text


@pytest.mark.req("EXPORT-COMPLETE")
def test_removed_log_entry_stays_with_its_reason(casebook: list[str], subject: SubjectRecord) -> None:
    removed = next(f for f in subject.forms if f.deleted)
    assert removed.deleted_reason
    assert f"removed: {removed.deleted_reason}" in flat(casebook)


def test_every_page_names_subject_site_study_and_page_x_of_n(casebook: list[str], subject: SubjectRecord,
                                                          export_context: ExportContext) -> None:
    total = len(casebook)
    assert total > 5
    for number, text in enumerate(casebook, start=1):
        assert f"Page {number} of {total}" in text
        assert "Subject casebook" in text and subject.label in text
        assert f"Site {export_context.site.site_code}" in text and export_context.site.site_name in text
        assert f"Study {export_context.site.study_oid}" in text


@pytest.mark.req("P11.10e")
@pytest.mark.req("EXPORT-COMPLETE")
def test_history_shows_old_and_new_value_who_when_and_why(casebook: list[str], subject: SubjectRecord) -> None:
    text = flat(casebook)
    change = next(e for e in subject.audit if e.action == "value" and e.old_value and e.reason)
    assert f"{change.old_value} → {change.new_value}" in text
    assert change.reason in text
    assert f"{change.at_utc[:10]} {change.at_utc[11:19]}Z (+00:00)" in text
    assert f"{change.username} ({change.role})" in text
    assert "Audit trail: other events" in text and "participation ended" in text


def test_monitoring_sections_say_none_recorded(export_context: ExportContext, subject: SubjectRecord) -> None:
    bare = replace(subject, queries=(), sdv=(), signatures=(), locks=())
    text = flat(page_texts(casebook_pdf(export_context, bare)))
    for section in ("Queries None recorded.", "Electronic signatures None recorded.", "Locks None recorded."):
        assert section in text
    # the plan asks to verify consent date and version: the form is listed, nothing verified yet
    assert "SCR DM Not verified 0 of 2" in text


@pytest.mark.req("P11.50")
@pytest.mark.req("EXPORT-COMPLETE")
def test_monitoring_sections_list_threads_sdv_signatures_and_locks(export_context: ExportContext,
                                                                   subject: SubjectRecord) -> None:
    text = flat(page_texts(casebook_pdf(export_context, monitored(subject))))
    assert "Queries None recorded." not in text
    for step in ("raised: Please check the chart", "answered (Confirmed correct): Checked: correct, 心率正常",
                 "closed: Thanks", "raised: Required data missing"):
        assert step in text, step
    assert "Q-0001 SCR VS TEMP Closed manual" in text and "Q-0002 SCR Open automatic" in text
    assert "SCR VS Changed since verified 1 of 3 OXYSAT" in text
    # 11.50: the printed name, the meaning (both languages, with its version), date and time, and the state
    assert "Dr Lin Zhao (investigator)" in text
    assert MEANING_EN in text and MEANING_ZH in text and "text version 1" in text
    assert "2026-11-25 05:00:00Z valid" in text
    assert "BROKEN 2026-11-25 06:00:00Z: PULSE changed: typing error" in text
    assert "subject: whole casebook" in text
    assert "form: SCR VS 2026-11-25 07:00:00Z by investigator locked" in text


def test_values_are_decoded_for_the_reader(study) -> None:  # type: ignore[no-untyped-def]
    sex = study.forms["DM"].item("SEX")
    temp = study.forms["VS"].item("TEMP")

    def value(text: str | None, missing: str | None = None) -> ValueRecord:
        return ValueRecord("X", text, missing, "2026-01-01T00:00:00Z", "nurse")

    assert display_value(study, sex, value("F")) == "Female (F)"
    assert display_value(study, temp, value("37.2")) == "37.2 °C"
    assert display_value(study, temp, value(None, "ND")) == "ND = Not done"
    assert display_value(study, temp, None) == ""
    assert display_value(study, None, value("kept as stored")) == "kept as stored"

