"""The data part of a casebook: each visit with its forms and every item, and the log forms (AE, CM).

Values are shown decoded as a monitor reads them: a codelist label with its code, numbers with their
unit, missing codes spelled out (ND = Not done). Items without a value show an empty answer.
"""
from __future__ import annotations

from collections.abc import Iterable

from reportlab.platypus import Flowable

from ecrf.export.pdf.fonts import text_width
from ecrf.export.pdf.style import PAD, REMOVED, SMALL, cell, columns, heading, note, table
from ecrf.export.records import FormRecord, SubjectRecord, ValueRecord, VisitRecord
from ecrf.study.model import Form, Item, Study
from ecrf.study.status import FORM_STATUS_TEXT

ITEM_COLUMNS = columns(21, 58, 42, 59)  # code (fits the longest item code, ORF1AB_CT), question, 问题, answer
STATUS = {s.value: text.lower() for s, text in FORM_STATUS_TEXT.items()}
LOG_COLUMNS_MAX = 8  # wider log forms are split over several tables, each with the entry number


def display_value(study: Study, item: Item | None, value: ValueRecord | None) -> str:
    """The value as text for a reader: 'Female (F)', '37.7 °C', 'ND = Not done'; '' when never entered."""
    if value is None:
        return ""
    if value.missing:
        meaning = study.missing_codes.get(value.missing)
        return f"{value.missing} = {meaning.en}" if meaning else value.missing
    if value.value is None:
        return ""
    if item is None:
        return value.value
    if item.codelist is not None:
        codes = value.value.split(";") if item.value_type.value == "multi_choice" else [value.value]
        return "; ".join(f"{_code_label(item, code)} ({code})" for code in codes)
    if item.unit is not None:
        return f"{value.value} {item.unit.en}"
    return value.value


def _code_label(item: Item, code: str) -> str:
    for choice in item.codelist.items if item.codelist else ():
        if str(choice.code) == code:
            return choice.label.en
    return "(unknown code)"


def utc_text(at_utc: str) -> str:
    """'2026-05-09T08:30:00.123Z' → '2026-05-09 08:30:00Z'."""
    return f"{at_utc[:10]} {at_utc[11:19]}Z" if len(at_utc) >= 19 else at_utc


def form_title(study: Study, record: FormRecord) -> str:
    form = study.forms.get(record.form)
    label = f"{form.label.en} {form.label.get('zh')}" if form else "(form not in the definition)"
    parts = [f"{record.form} {label}"]
    if record.timepoint:
        timepoint = study.timepoints.get(record.timepoint)
        parts.append(f"{record.timepoint} {timepoint.en}" if timepoint else record.timepoint)
    if record.repeat:
        parts.append(f"entry #{record.repeat}")
    return " · ".join(parts)


def form_status(record: FormRecord) -> str:
    status = f"Status: {STATUS.get(record.status, record.status)}"
    saved = f"last saved {utc_text(record.updated_at)} by {record.updated_by}" if record.updated_at else ""
    version = f"definition {record.definition_version}"
    removed = f"REMOVED: {record.deleted_reason or 'no reason recorded'}" if record.deleted else ""
    return " · ".join(p for p in (removed, status, saved, version) if p)


def item_table(study: Study, record: FormRecord) -> Flowable:
    form = study.forms.get(record.form)
    values = {v.item: v for v in record.values}
    _, label_w, zh_w, value_w = ITEM_COLUMNS
    # The header row repeats on each page a long form spans; its first cell says whose rows these are.
    where = " ".join(p for p in (record.visit or "Log", record.form, record.timepoint) if p)
    rows: list[list[object]] = [[cell(where, ITEM_COLUMNS[0], bold=True), "Question", cell("问题", zh_w, bold=True),
                                 "Answer"]]
    for item in form.items if form else ():
        label = f"{item.label.en} (calculated)" if item.is_calculated else item.label.en
        rows.append([item.code, cell(label, label_w), cell(item.label.get("zh"), zh_w),
                     cell(display_value(study, item, values.pop(item.code, None)), value_w)])
    for code, value in values.items():  # stored under a code the current definition no longer has
        rows.append([code, cell("(not in the form definition)", label_w), "", cell(display_value(study, None, value),
                                                                                    value_w)])
    return table(rows, ITEM_COLUMNS)


def form_block(study: Study, record: FormRecord) -> list[Flowable]:
    status = note(form_status(record), color=REMOVED) if record.deleted else note(form_status(record))
    return [*heading(form_title(study, record), 8.5, space_before=5), status, item_table(study, record)]


def visit_blocks(study: Study, subject: SubjectRecord) -> list[Flowable]:
    """Every visit of the subject in schedule order, each with its forms."""
    scheduled = {v.visit: v for v in subject.visits}
    by_visit: dict[str, list[FormRecord]] = {}
    for record in subject.forms:
        if record.visit:
            by_visit.setdefault(record.visit, []).append(record)
    order = [v.code for v in study.visits if v.code in scheduled or v.code in by_visit]
    order += [code for code in by_visit if code not in order]  # a visit the definition no longer has
    out: list[Flowable] = []
    for code in order:
        out += _visit_heading(study, code, scheduled.get(code))
        records = by_visit.get(code, [])
        if not records:
            out.append(note("No data entered at this visit."))
            continue
        for record in records:
            out += form_block(study, record)
        out += _not_started(study, subject, code, records)
    return out


def _visit_heading(study: Study, code: str, visit: VisitRecord | None) -> list[Flowable]:
    known = {v.code: v for v in study.visits}.get(code)
    label = f"{known.label.en} {known.label.get('zh')}" if known else "(visit not in the definition)"
    out = heading(f"Visit {code} · {label}", 10.5, space_before=10)
    if visit is None:
        line = "Not on the subject's schedule (the schedule starts at allocation)."
    else:
        line = (f"Target date {visit.target_date} (window {visit.earliest} to {visit.latest}) · "
                f"actual date {visit.actual_date or 'none entered'}")
        if visit.cancelled:
            line += " · CANCELLED"
    return [*out, note(line)]


def _not_started(study: Study, subject: SubjectRecord, code: str, records: list[FormRecord]) -> list[Flowable]:
    known = {v.code: v for v in study.visits}.get(code)
    if known is None:
        return []
    present = {(r.form, r.timepoint) for r in records}
    missing = [f"{vf.form}{' ' + tp if tp else ''}" for vf in known.forms_for(subject.arm)
               for tp in (vf.timepoints or ("",)) if (vf.form, tp) not in present]
    return [note(f"Not started at this visit: {', '.join(missing)}")] if missing else []


def log_blocks(study: Study, subject: SubjectRecord) -> list[Flowable]:
    """Each log form (AE, CM) as a table, one row per entry; removed entries stay, marked with the reason."""
    out: list[Flowable] = []
    for code in study.logs:
        form = study.forms.get(code)
        entries = [r for r in subject.forms if not r.visit and r.form == code]
        title = f"Log {code} · {form.label.en} {form.label.get('zh')}" if form else f"Log {code}"
        out += heading(title, 10.5, space_before=10)
        if not entries or form is None:
            out.append(note("None recorded." if not entries else "Form not in the definition."))
            continue
        for chunk in _chunks(form.items, -(-len(form.items) // LOG_COLUMNS_MAX)):
            out.append(_log_table(study, form, chunk, entries))
    return out


def _chunks(items: tuple[Item, ...], count: int) -> Iterable[tuple[Item, ...]]:
    """`items` cut into `count` runs of nearly equal length."""
    size = -(-len(items) // count)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _log_widths(items: tuple[Item, ...]) -> list[float]:
    """Text items wider; every column at least as wide as the longest word of its header (taken from the
    columns with room to spare), so no header word is cut."""
    widths = columns(6, 12, *(16 if item.value_type.value == "text" else 11 for item in items))
    need = [0.0, 0.0] + [max(text_width(w, SMALL, bold=True) for w in i.label.en.split()) + 2 * PAD + 1
                         for i in items]
    short = sum(max(0.0, n - w) for n, w in zip(need, widths, strict=True))
    spare = sum(max(0.0, w - n) for n, w in zip(need, widths, strict=True))
    if not short or spare <= short:
        return widths
    return [n if n >= w else w - (w - n) * short / spare for n, w in zip(need, widths, strict=True)]


def _log_table(study: Study, form: Form, items: tuple[Item, ...], entries: list[FormRecord]) -> Flowable:
    widths = _log_widths(items)
    item_widths = list(zip(items, widths[2:], strict=True))
    # Many narrow columns: the smaller size keeps words like "administration" whole.
    rows: list[list[object]] = [["#", "Status", *(cell(i.label.en, w, SMALL, bold=True) for i, w in item_widths)]]
    removed = {}
    for n, entry in enumerate(entries, start=1):
        values = {v.item: v for v in entry.values}
        status = f"removed: {entry.deleted_reason or '-'}" if entry.deleted else STATUS.get(entry.status, entry.status)
        rows.append([str(entry.repeat), cell(status, widths[1], SMALL),
                     *(cell(display_value(study, i, values.get(i.code)), w, SMALL) for i, w in item_widths)])
        if entry.deleted:
            removed[n] = REMOVED
    return table(rows, widths, row_colors=removed, size=SMALL)
