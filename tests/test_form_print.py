"""Printing one form at the site: blank from the definition or with the subject's saved values, as a real PDF
read back with pypdf; reading only (no audit event); refusals say what to do instead."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from ecrf.export.pdf.casebook_forms import display_value
from ecrf.export.pdf.form_sheet import form_sheet_pdf
from ecrf.services.errors import ExportFailed, NotFound
from ecrf.services.form_print import form_sheet, suggested_name, write_form_sheet
from ecrf.services.permissions import Do
from ecrf.services.subject_data import FormRef
from ecrf.store.models import FormInstance, Subject
from tests.pdf_fonts import unembedded_fonts
from tests.print_helpers import saved_visit_form
from tests.subject_helpers import last_seq


def pdf_text(path) -> str:  # type: ignore[no-untyped-def]
    reader = PdfReader(str(path))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def nurse(small_demo):  # type: ignore[no-untyped-def]
    session = small_demo.login("nurse")
    yield session
    session.close()


@pytest.mark.req("WARD-GUIDE-2")
def test_a_filled_form_prints_the_saved_values_and_writes_no_audit_event(nurse, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ref, values = saved_visit_form(nurse)
    before = last_seq(nurse)
    out = tmp_path / suggested_name(ref, filled=True)
    write_form_sheet(nurse, ref, out, filled=True)
    assert last_seq(nurse) == before
    text = pdf_text(out)
    assert f"Subject {ref.subject}" in text and "Form with saved values · VS" in text
    assert f"by {nurse.actor.full_name} (nurse)" in text
    study = nurse.study
    temp = values["TEMP"]
    assert display_value(study, next(i for i in study.forms["VS"].items if i.code == "TEMP"), temp) in text
    assert "Filled in by" not in text


@pytest.mark.req("WARD-GUIDE-2")
def test_a_blank_form_has_every_question_and_room_to_write(nurse, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ref, values = saved_visit_form(nurse)
    out = tmp_path / suggested_name(ref, filled=False)
    write_form_sheet(nurse, ref, out, filled=False)
    assert out.name.startswith("blank_")
    text = pdf_text(out)
    assert "Blank form · VS" in text and "Filled in by" in text and "Form with saved values" not in text
    for item in nurse.study.forms["VS"].items:
        assert item.label.en.split()[0] in text
    assert values["TEMP"].value not in re.findall(r"\d+\.\d", text)  # the subject's temperature is not on it
    assert unembedded_fonts(out.read_bytes()) == set()  # like every PDF of the app: every font inside the file


def test_a_blank_log_form_leaves_the_entry_number_to_fill_in(nurse) -> None:  # type: ignore[no-untyped-def]
    ref, _ = saved_visit_form(nurse)
    sheet = form_sheet(nurse, FormRef(ref.subject, "", "AE", "", 0), filled=False)
    pdf = PdfReader(io.BytesIO(form_sheet_pdf(sheet)))
    assert "Log entry" in pdf.pages[0].extract_text()


def test_a_form_never_saved_has_nothing_to_print_filled(nurse, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ref, _ = saved_visit_form(nurse)
    with pytest.raises(NotFound) as refused:
        form_sheet(nurse, FormRef(ref.subject, "", "AE", "", 99), filled=True)
    assert refused.value.code == "print-nothing-saved" and "blank" in str(refused.value).lower()
    with pytest.raises(NotFound) as unknown:
        form_sheet(nurse, FormRef(ref.subject, ref.visit, "NOPE"), filled=False)
    assert unknown.value.code == "print-form-unknown"


def test_an_unwritable_place_says_so_and_leaves_no_file(nurse, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ref, _ = saved_visit_form(nurse)
    (tmp_path / "out").mkdir()
    folder = tmp_path / "out" / "not-a-folder"
    folder.write_text("a file where the folder should be", encoding="utf-8")
    with pytest.raises(ExportFailed) as failed:
        write_form_sheet(nurse, ref, folder / "form.pdf", filled=True)
    assert failed.value.code == "print-not-written" and str(folder) in str(failed.value)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["not-a-folder"]


def test_a_filled_log_entry_names_its_entry_number(nurse) -> None:  # type: ignore[no-untyped-def]
    with nurse.read(Do.READ_DATA) as db:
        entry = db.scalars(select(FormInstance).where(FormInstance.visit_code == "", FormInstance.deleted.is_(False))
                           .order_by(FormInstance.id)).first()
        assert entry is not None, "the demo has a log entry"
        subject = db.get_one(Subject, entry.subject_pk)
        ref = FormRef(subject.subject_id or subject.screening_no, "", entry.form_code, "", entry.repeat)
    text = PdfReader(io.BytesIO(form_sheet_pdf(form_sheet(nurse, ref, filled=True)))).pages[0].extract_text()
    assert f"Log entry #{entry.repeat}" in text and f"Form with saved values · {entry.form_code}" in text
