"""The casebook of one subject: what a monitor reads to review the subject's whole record.

Order: a title page (study, site, subject, export facts, the visit overview), every visit with its forms
and items, the log forms, queries / SDV / signatures / locks, then the subject's audit trail.
"""
from __future__ import annotations

from typing import Protocol

from reportlab.platypus import Flowable, PageBreak, Spacer

from ecrf import __version__
from ecrf.export.pdf.casebook_forms import log_blocks, utc_text, visit_blocks
from ecrf.export.pdf.casebook_history import history_blocks
from ecrf.export.pdf.casebook_monitoring import monitoring_blocks
from ecrf.export.pdf.style import Furniture, Metadata, build_pdf, cell, columns, heading, note, table
from ecrf.export.records import SiteFacts, SubjectRecord
from ecrf.study.model import Study
from ecrf.study.status import SUBJECT_STATUS_TEXT, UNFINISHED_FORM_STATUSES

# The records carry plain strings; look them up by value.
_SUBJECT_STATUS = {status.value: text for status, text in SUBJECT_STATUS_TEXT.items()}
FACT_COLUMNS = columns(22, 38, 22, 38)
OVERVIEW_COLUMNS = columns(11, 52, 18, 34, 18, 14, 33)


class CasebookSource(Protocol):
    """What a casebook shows besides the subject: an `ExportContext`, or its part a layout worker gets
    (`ecrf.export.pdf.casebook_pool`), which never holds the signing key."""

    @property
    def study(self) -> Study: ...

    @property
    def site(self) -> SiteFacts: ...

    @property
    def created_at(self) -> str: ...

    @property
    def export_seq(self) -> int: ...


def casebook_pdf(ctx: CasebookSource, subject: SubjectRecord) -> bytes:
    """The unsigned casebook of one subject."""
    site = ctx.site
    furniture = Furniture(title="Subject casebook", study=f"Study {site.study_oid}",
                          tag=f"Subject {subject.label} · site {site.site_code}",
                          footer=f"Site {site.site_code} {site.site_name} · exported {utc_text(ctx.created_at)} · "
                                 f"data as of {utc_text(site.as_of)}")
    meta = Metadata(title=f"Casebook of subject {subject.label}, study {site.study_oid}",
                    author=f"Site {site.site_code} {site.site_name}", subject=f"Study {site.study_oid} casebook",
                    creator=f"ecrf {__version__}")
    return build_pdf(casebook_flowables(ctx, subject), furniture, meta)


def casebook_flowables(ctx: CasebookSource, subject: SubjectRecord) -> list[Flowable]:
    study = ctx.study
    out = title_page(ctx, subject)
    out += [PageBreak(), *heading("Visits and forms", 12, space_before=0)]
    out += visit_blocks(study, subject)
    out += log_blocks(study, subject)
    out += monitoring_blocks(study, subject)
    out += [PageBreak(), *history_blocks(study, subject)]
    return out


def title_page(ctx: CasebookSource, subject: SubjectRecord) -> list[Flowable]:
    study, site = ctx.study, ctx.site
    info = study.info
    out: list[Flowable] = [*heading(f"Subject casebook 受试者病例报告 · {subject.label}", 16, space_before=0)]
    out += [note(info.title.en, 10, color=None), note(info.title.get("zh"), 10, color=None), Spacer(0, 8)]
    facts = [
        ("Study", f"{info.oid} ({info.short_title.en})", "Definition version",
         f"{info.version} (site created under {site.definition_version})"),
        ("Site", f"{site.site_code} {site.site_name}", "Subject ID", subject.subject_id or "not enrolled"),
        ("Screening no.", subject.screening_no, "Status", _SUBJECT_STATUS.get(subject.status, subject.status)),
        ("Arm", _arm(ctx, subject.arm), "Randomisation no.", subject.rand_no or "-"),
        ("Day 0", subject.day0 or "-", "Screened", utc_text(subject.created_at)),
        ("End of participation", _ended(subject), "Export", f"no. {ctx.export_seq}, {utc_text(ctx.created_at)}"),
        ("Data as of", utc_text(site.as_of), "Audit head", f"event {site.audit_head_seq}"),
    ]
    w = FACT_COLUMNS
    rows: list[list[object]] = [[k1, cell(v1, w[1]), k2, cell(v2, w[3])] for k1, v1, k2, v2 in facts]
    out.append(table(rows, w, header=False, size=8, bold_columns=(0, 2)))
    out += heading("Visit overview", 11, space_before=12)
    out.append(_overview(ctx, subject))
    return out


def _arm(ctx: CasebookSource, code: str | None) -> str:
    if not code:
        return "-"
    arm = next((a for a in ctx.study.arms if a.code == code), None)
    return f"{code} {arm.label.en} {arm.label.get('zh')}" if arm else code


def _ended(subject: SubjectRecord) -> str:
    if not subject.ended_on:
        return "-"
    return f"{subject.ended_on}: {subject.end_reason}" if subject.end_reason else subject.ended_on


def _overview(ctx: CasebookSource, subject: SubjectRecord) -> Flowable:
    w = OVERVIEW_COLUMNS
    labels = {v.code: v.label for v in ctx.study.visits}
    rows: list[list[object]] = [["Visit", "Label", "Target", "Window", "Actual", "Forms", "Note"]]
    counts: dict[str, list[int]] = {}
    for record in subject.forms:
        if record.visit:
            finished = record.status not in UNFINISHED_FORM_STATUSES
            counts.setdefault(record.visit, [0, 0])[0 if finished else 1] += 1
    for visit in subject.visits:
        label = labels.get(visit.visit)
        done, open_ = counts.get(visit.visit, [0, 0])
        forms = f"{done} done" + (f", {open_} open" if open_ else "")
        rows.append([visit.visit, cell(f"{label.en} {label.get('zh')}" if label else "", w[1]), visit.target_date,
                     f"{visit.earliest} to {visit.latest}", visit.actual_date or "", forms,
                     "cancelled" if visit.cancelled else ""])
    if not subject.visits:
        rows.append(["", cell("No visit schedule: the subject was not allocated.", w[1]), "", "", "", "", ""])
    return table(rows, w)
