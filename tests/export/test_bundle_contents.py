"""The real demo bundle, read the way a data manager would: unfinished forms are there with their status,
removed log entries with their reason, in every format."""
from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from ecrf.export.bundle.layout import ITEMS_LONG, ODM, casebook_pdf, form_csv
from ecrf.export.odm.read import read_form_states
from tests.export.helpers import DemoRecords

pytestmark = pytest.mark.req("EXPORT-COMPLETE")


def _rows(archive: zipfile.ZipFile, name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"), newline="")))


def test_forms_saved_but_not_complete_are_exported_with_their_status(demo_bundle: Path,
                                                                     demo_records: DemoRecords) -> None:
    unfinished = [(s, f) for s in demo_records.subjects for f in s.forms if f.status == "in_progress" and f.values]
    assert unfinished, "the demo has forms in progress"
    subject, form = unfinished[0]
    with zipfile.ZipFile(demo_bundle) as archive:
        long_rows = [r for r in _rows(archive, ITEMS_LONG)
                     if (r["subject"], r["visit"], r["form"], r["timepoint"]) == (subject.label, form.visit, form.form,
                                                                                  form.timepoint)]
        wide = [r for r in _rows(archive, form_csv(form.form))
                if (r["subject"], r["visit"], r["timepoint"]) == (subject.label, form.visit, form.timepoint)]
        states = read_form_states(io.BytesIO(archive.read(ODM)))
        casebook = PdfReader(io.BytesIO(archive.read(casebook_pdf(subject.label))))
        text = "\n".join(page.extract_text() for page in casebook.pages)
    assert {r["form_status"] for r in long_rows} == {"in_progress"}
    assert len(long_rows) == len(form.values)
    assert [r["status"] for r in wide] == ["in_progress"]
    assert states[(subject.label, form.visit, form.form, form.timepoint, form.repeat)].status == "in_progress"
    assert "in progress" in text.lower()


def test_removed_log_entries_stay_in_the_bundle_with_their_reason(demo_bundle: Path,
                                                                  demo_records: DemoRecords) -> None:
    removed = [(s, f) for s in demo_records.subjects for f in s.forms if f.deleted]
    assert removed, "the demo removes a duplicate log entry"
    subject, form = removed[0]
    with zipfile.ZipFile(demo_bundle) as archive:
        wide = [r for r in _rows(archive, form_csv(form.form))
                if (r["subject"], r["repeat"]) == (subject.label, str(form.repeat))]
        states = read_form_states(io.BytesIO(archive.read(ODM)))
    assert [(r["deleted"], r["deleted_reason"]) for r in wide] == [("true", form.deleted_reason)]
    state = states[(subject.label, "", form.form, "", form.repeat)]
    assert state.removed and state.removal_reason == form.deleted_reason
