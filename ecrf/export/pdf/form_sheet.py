"""One form printed at the site: blank (a paper worksheet for the ward) or with a subject's saved values.

Built from the same pieces as the bundle PDFs, so a printed form looks like the casebook: the page furniture
and tables of `style`, the blank CRF's answer spaces (tick boxes, lines with the entry format) and the
casebook's answer table (values decoded: 'Female (F)', '37.7 °C', 'ND = Not done'). Unlike the annotated blank
CRF it carries no data-manager annotations: it is for the people who fill it in.

A filled print says which moment it shows (the values saved as of the time printed) and that the database
stays the record; a blank print has lines for the subject, the date and who filled it in.
"""
from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.platypus import Flowable, Spacer

from ecrf import __version__
from ecrf.export.pdf.blank_crf import Answer, answer_lines
from ecrf.export.pdf.casebook_forms import form_status, item_table, utc_text
from ecrf.export.pdf.style import (
    MUTED,
    Furniture,
    Metadata,
    build_pdf,
    cell,
    columns,
    heading,
    note,
    table,
)
from ecrf.export.records import FormRecord
from ecrf.study.model import Form, Item, Study

QUESTION_COLUMNS = columns(95, 85)  # question (both languages), answer space
FACT_COLUMNS = columns(28, 62, 28, 62)
WRITE_HERE = "_______________________"
FILLED_NOTE = ("A printed copy of the values saved in ecrf as of {at}. The database stays the record: a later "
               "change there is not on this paper. 打印件，显示截至 {at} 保存在 ecrf 中的数值；以数据库为准。")
BLANK_NOTE = ("Fill in by hand and enter into ecrf the same day. * marks a required item. "
              "手工填写后请当天录入 ecrf。* 为必填项。")


@dataclass(frozen=True)
class FormSheet:
    """What one printed form shows. `record` None prints the form blank; `subject` '' leaves a line for it."""

    study: Study
    form: str  # form code
    visit: str  # visit code; '' for a log form (adverse events, medications)
    timepoint: str
    site_code: str
    site_name: str
    subject: str
    made_at: str  # UTC text
    made_by: str  # "Full Name (username)"
    record: FormRecord | None = None


def form_sheet_pdf(sheet: FormSheet) -> bytes:
    study, info = sheet.study, sheet.study.info
    form = study.forms[sheet.form]
    kind = "Blank form" if sheet.record is None else "Form with saved values"
    furniture = Furniture(title=f"{kind} · {form.code}", study=f"Study {info.oid}",
                          tag=f"Subject {sheet.subject}" if sheet.subject else "Subject ________",
                          footer=f"Site {sheet.site_code} · printed {utc_text(sheet.made_at)} by {sheet.made_by} · "
                                 f"definition {info.version}")
    meta = Metadata(title=f"{kind} {form.code}, study {info.oid}" + (f", subject {sheet.subject}" if sheet.subject
                                                                       else ""),
                    author=f"Site {sheet.site_code} {sheet.site_name}", subject=f"Study {info.oid} {form.code}",
                    creator=f"ecrf {__version__}")
    return build_pdf(sheet_flowables(sheet, form), furniture, meta)


def sheet_flowables(sheet: FormSheet, form: Form) -> list[Flowable]:
    out = heading(f"{form.code} · {form.label.en} {form.label.get('zh')}", 14, space_before=0)
    out += [_facts(sheet), Spacer(0, 4)]
    if form.help:
        out += [note(form.help.en), note(form.help.get("zh"))]
    if sheet.record is None:
        out += [note(BLANK_NOTE), Spacer(0, 3), blank_items(sheet.study, form)]
    else:
        out += [note(FILLED_NOTE.format(at=utc_text(sheet.made_at))), note(form_status(sheet.record)), Spacer(0, 3),
                item_table(sheet.study, sheet.record)]
    return out


def _facts(sheet: FormSheet) -> Flowable:
    study, w = sheet.study, FACT_COLUMNS
    rows: list[list[object]] = [
        ["Study", cell(f"{study.info.oid} {study.info.title.en}", w[1]), "Site",
         cell(f"{sheet.site_code} {sheet.site_name}", w[3])],
        ["Subject 受试者", sheet.subject or WRITE_HERE, "Visit 访视", cell(visit_text(sheet), w[3])],
    ]
    if sheet.record is None:
        rows.append(["Date 日期", "____-__-__", "Filled in by 填写人", WRITE_HERE])
    return table(rows, w, header=False, bold_columns=(0, 2))


def visit_text(sheet: FormSheet) -> str:
    """'D3 Day 3 第3天 · T1 1 h after dose', or for a log form 'Log entry #2 记录'."""
    study = sheet.study
    if not sheet.visit:
        repeat = sheet.record.repeat if sheet.record is not None else 0
        return f"Log entry #{repeat} 记录" if repeat else "Log entry 记录 #____"
    visit = next((v for v in study.visits if v.code == sheet.visit), None)
    text = f"{sheet.visit} {visit.label.en} {visit.label.get('zh')}" if visit else sheet.visit
    if sheet.timepoint:
        timepoint = study.timepoints.get(sheet.timepoint)
        text += f" · {sheet.timepoint} {timepoint.en}" if timepoint else f" · {sheet.timepoint}"
    return text


def blank_items(study: Study, form: Form) -> Flowable:
    """Question and answer space of every entered item (calculated items say so instead of a line)."""
    q_w = QUESTION_COLUMNS[0]
    rows: list[list[object]] = [[cell("Question 问题", q_w, bold=True), "Answer 回答"]]
    for item in form.items:
        rows.append([cell(question_text(item), q_w), Answer(answer_lines(study, item))])
    return table(rows, QUESTION_COLUMNS, row_colors=_asked_only_rows(form))


def question_text(item: Item) -> str:
    text = f"{'* ' if item.required else ''}{item.label.en}\n{item.label.get('zh')}"
    if item.show_if:
        text += f"\nOnly when: {item.show_if.text}"
    return text


def _asked_only_rows(form: Form) -> dict[int, Color]:
    """Items asked only under a condition are greyed, so the eye finds the ones always asked."""
    return {n: MUTED for n, item in enumerate(form.items, start=1) if item.show_if}
