"""The monitoring visit report as a PDF (reportlab, the casebook's fonts and styles): who visited, the period,
what they verified, the queries raised, answered and closed in the period, and what is still open.

Not signed. Bundle PDFs carry the site's PAdES signature, but a monitor holds no site key, and their personal
Ed25519 key has no X.509 certificate a PDF signature could name. The page says so, and names the audit event
the report is as of, so each line can be checked against the site's audit trail (every verification and
query step is an audit event there). The sponsor's copy of the facts is the signed bundle.
"""
from __future__ import annotations

from reportlab.platypus import Flowable, Spacer

from ecrf import __version__
from ecrf.export.pdf.casebook_forms import utc_text
from ecrf.export.pdf.casebook_monitoring import query_blocks, where
from ecrf.export.pdf.style import REMOVED, Furniture, Metadata, build_pdf, cell, columns, heading, note, table
from ecrf.export.visit_records import OutstandingForm, VerifiedForm, VisitReport
from ecrf.study.status import SDV_STATE_TEXT

FACT_COLUMNS = columns(24, 56, 24, 56)
FACT_SIZE = 8  # the facts' table is set a little larger than the lists; its cells wrap at that size
VERIFIED_COLUMNS = columns(22, 36, 82, 40)  # subject, form, items, last verified
OUTSTANDING_COLUMNS = columns(22, 36, 40, 22, 60)  # subject, form, state, n of m, changed since verified
_SDV_STATE = {s.value: text for s, text in SDV_STATE_TEXT.items()}
NONE = "None."
UNSIGNED = ("This report is not electronically signed: monitors hold no site signing key. It states the site as of "
            "audit event {seq}; every verification and query step listed is an audit event of the site's trail, "
            "and the next export bundle carries them signed.")


def visit_report_pdf(report: VisitReport) -> bytes:
    furniture = Furniture(title="Monitoring visit report", study=f"Study {report.study_oid}",
                          tag=f"Site {report.site_code} · {report.full_name}",
                          footer=f"Site {report.site_code} {report.site_name} · made {utc_text(report.made_at)} · "
                                 f"as of audit event {report.audit_head_seq} · not signed")
    meta = Metadata(title=f"Monitoring visit report, site {report.site_code}, study {report.study_oid}",
                    author=f"{report.full_name} ({report.username})", subject=f"Study {report.study_oid} monitoring",
                    creator=f"ecrf {__version__}")
    return build_pdf(visit_report_flowables(report), furniture, meta)


def visit_report_flowables(report: VisitReport) -> list[Flowable]:
    out: list[Flowable] = [*heading("Monitoring visit report 监查访视报告", 16, space_before=0)]
    out += [_facts(report), Spacer(0, 4), note(UNSIGNED.format(seq=report.audit_head_seq), color=REMOVED)]
    out += heading("In this visit 本次访视", 12, space_before=12)
    out += _verified(report.verified)
    out += query_blocks(report.raised, "Queries raised 已提出的质疑")
    out += query_blocks(report.answered, "Queries answered 已回复的质疑")
    out += query_blocks(report.closed, "Queries closed or cancelled 已关闭或取消的质疑")
    out += heading("Still open 尚未完成", 12, space_before=14)
    out += query_blocks(report.open_queries, "Open and answered queries 未关闭的质疑")
    out += _outstanding(report.outstanding)
    return out


def _facts(report: VisitReport) -> Flowable:
    period = f"{utc_text(report.period.since)} to {utc_text(report.period.until)}"
    summary = (f"{report.items_verified} items on {len(report.verified)} forms verified; {len(report.raised)} "
               f"queries raised, {len(report.answered)} answered, {len(report.closed)} closed or cancelled")
    rows: list[list[object]] = [
        ["Study", report.study_oid, "Site", cell(f"{report.site_code} {report.site_name}", FACT_COLUMNS[3], FACT_SIZE)],
        ["Monitor", cell(f"{report.full_name} ({report.username}, {report.role})", FACT_COLUMNS[1], FACT_SIZE),
         "Period (UTC)", cell(period, FACT_COLUMNS[3], FACT_SIZE)],
        ["Made", utc_text(report.made_at), "As of", f"audit event {report.audit_head_seq}"],
        ["Summary", cell(summary, FACT_COLUMNS[1], FACT_SIZE), "Still open",
         cell(f"{len(report.open_queries)} queries; {len(report.outstanding)} forms to verify", FACT_COLUMNS[3],
              FACT_SIZE)],
    ]
    return table(rows, FACT_COLUMNS, header=False, size=FACT_SIZE, bold_columns=(0, 2))


def _verified(verified: tuple[VerifiedForm, ...]) -> list[Flowable]:
    out = heading("Source data verified 已核查的源数据", 10.5, space_before=8)
    if not verified:
        return [*out, note(NONE)]
    w = VERIFIED_COLUMNS
    rows: list[list[object]] = [["Subject", "Form", "Items verified", "Last verified"]]
    for v in verified:
        items = ", ".join(v.items)
        if v.changed_since:
            items += f" (changed since: {', '.join(v.changed_since)})"
        rows.append([v.subject, cell(where(v.visit, v.form, v.timepoint, v.repeat), w[1]), cell(items, w[2]),
                     utc_text(v.last_at)])
    return [*out, table(rows, w)]


def _outstanding(outstanding: tuple[OutstandingForm, ...]) -> list[Flowable]:
    out = heading("Forms to verify 待核查的表单", 10.5, space_before=8)
    if not outstanding:
        return [*out, note(NONE)]
    w = OUTSTANDING_COLUMNS
    rows: list[list[object]] = [["Subject", "Form", "State", "Verified", "Changed since verified"]]
    for o in outstanding:
        p, r = o.progress, o.progress.record
        rows.append([o.subject, cell(where(r.visit, r.form, r.timepoint, r.repeat), w[1]),
                     cell(_SDV_STATE.get(p.state.value, p.state.value), w[2]), f"{p.done} of {len(p.required)}",
                     cell(", ".join(p.changed), w[4])])
    return [*out, table(rows, w)]
