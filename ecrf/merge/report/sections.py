"""The merge report's document: its sections in order, and the notes that say how each number was counted."""
from __future__ import annotations

from ecrf import __version__
from ecrf.merge.report import sections_data, sections_merge
from ecrf.merge.report.doc import Document, Section, Text
from ecrf.merge.report.model import ReportData

NOTES = (
    "Every number is counted from the central database: for each installation, the files of its newest merged "
    "export bundle, as the site signed them. Nothing is re-derived from anything else.",
    "Completeness. Expected, per subject: the screening visit's forms as soon as the subject exists; the forms of "
    "every other visit once the subject is allocated, the visit not cancelled and its window opened (earliest "
    "date on or before the site's data-as-of date), for the subject's arm and once per timepoint; after a screen "
    "failure, only the forms entered. A form instance that exists always counts as expected. Log forms (adverse "
    "events, medications) have no schedule and are left out; removed entries do not count.",
    "Query age: whole days from the day a query was raised to the site's data-as-of date (the site's data stop "
    "there; a query answered since would otherwise look older).",
    "SDV: the items the study's monitoring plan asks to verify, on complete forms only (only finished entry is "
    "verified), counted by the same code that prints the site's casebooks and monitoring visit reports.",
    "Signatures: a casebook is awaiting signature when the subject's participation ended (completed, withdrawn, "
    "died, screen failure) and it has no valid casebook signature made on or after the end date.",
    "Adverse events and deaths are found from the study definition, not from fixed codes: the AE form is the one "
    "with an item whose CDASH name is AETOXGR (or AESEV); a death is a date in an item whose CDASH name is DTHDAT, "
    "or a subject whose status is 'died'. The arm is the subject's allocated arm.",
)


def report_document(data: ReportData, central: str) -> Document:
    sections = (
        sections_merge.alarm_section(data), sections_merge.bundle_section(data), sections_merge.site_section(data),
        sections_merge.enrolment_section(data), sections_data.completeness_section(data),
        sections_data.query_section(data), sections_data.sdv_section(data), sections_data.signature_section(data),
        sections_data.adverse_event_section(data), sections_data.death_section(data),
        Section("notes", "Notes", tuple(Text(note, "note") for note in NOTES)))
    return Document(title=f"Merge report: {data.study_oid}", subtitle=data.study_title,
                    footer=f"Central database {central} · made {data.made_at} · ecrf {__version__}",
                    sections=sections)
