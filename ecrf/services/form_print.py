"""Print one form at the site: blank from the study definition, or with the subject's saved values, as a PDF.

Reading only (Do.READ_DATA): printing changes nothing and writes no audit event, as the monitoring visit report.
A filled print shows what is saved, never what is typed and not saved yet (the editor asks first): the paper
must match the database as of the moment it names. The PDF is `ecrf.export.pdf.form_sheet`.
"""
from __future__ import annotations

from pathlib import Path

from ecrf.atomic import write_atomic
from ecrf.export.pdf.form_sheet import FormSheet, form_sheet_pdf
from ecrf.services.errors import ExportFailed, NotFound
from ecrf.services.export_records import form_record
from ecrf.services.permissions import Do
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef, find_instance, find_subject
from ecrf.store.models import Site


def form_sheet(session: SiteSession, ref: FormRef, *, filled: bool) -> FormSheet:
    """What the print of `ref` shows: its saved values when `filled`, else the blank form for the same place."""
    if ref.form not in session.study.forms:
        raise NotFound("print-form-unknown", form=ref.form)
    made_at = session.clock.stamp()[0]
    actor = session.actor
    with session.read(Do.READ_DATA) as db:
        site = db.get_one(Site, 1)
        record = None
        if filled:
            subject = find_subject(db, ref.subject)
            instance = find_instance(db, subject, ref)
            if instance is None or instance.deleted:
                raise NotFound("print-nothing-saved", where=str(ref))
            record = form_record(session.study, instance)
        return FormSheet(study=session.study, form=ref.form, visit=ref.visit, timepoint=ref.timepoint,
                         site_code=site.site_code, site_name=site.site_name, subject=ref.subject, made_at=made_at,
                         made_by=f"{actor.full_name} ({actor.username})", record=record)


def write_form_sheet(session: SiteSession, ref: FormRef, out: Path, *, filled: bool) -> FormSheet:
    """Make the print of `ref` and save its PDF at `out` (whole or not at all: written beside it, then renamed)."""
    sheet = form_sheet(session, ref, filled=filled)
    pdf = form_sheet_pdf(sheet)
    try:
        write_atomic(out, pdf)
    except OSError as exc:
        raise ExportFailed("print-not-written", path=str(out), reason=exc.strerror or str(exc)) from None
    return sheet


def suggested_name(ref: FormRef, *, filled: bool) -> str:
    """A file name that says what the PDF is: 'DEMO-003_D3_VS.pdf', 'blank_AE.pdf'."""
    where = "_".join(p for p in (ref.visit, ref.form, ref.timepoint, str(ref.repeat) if ref.repeat else "") if p)
    name = f"{ref.subject}_{where}" if filled else f"blank_{where}"
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name) + ".pdf"
