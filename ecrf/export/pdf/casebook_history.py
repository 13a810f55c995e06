"""The record-keeping part of a casebook: the subject's audit trail (21 CFR 11.10(e): who changed what, when,
from which value to which, and why). Queries, SDV, signatures and locks are in `casebook_monitoring`.

Item events are grouped per form instance, then per item, oldest first; every other event of the subject
(screening, allocation, form status changes, visits cancelled, log entries added or removed) follows in
one table in sequence order.
"""
from __future__ import annotations

from reportlab.platypus import Flowable

from ecrf.export.pdf.casebook_forms import utc_text
from ecrf.export.pdf.style import cell, columns, heading, note, table
from ecrf.export.records import AuditRecord, SubjectRecord
from ecrf.study.model import Study

HISTORY_COLUMNS = columns(40, 19, 44, 26, 51)  # when, item, change, by, reason
EVENT_COLUMNS = columns(40, 22, 50, 26, 42)  # when, event, detail, by, reason
NONE = "None recorded."

GroupKey = tuple[str, str, str, int]  # visit, form, timepoint, repeat


def offset_text(minutes: int) -> str:
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def when(event: AuditRecord) -> str:
    return f"{utc_text(event.at_utc)} ({offset_text(event.utc_offset_min)})"


def shown(value: str | None, missing: str | None) -> str:
    return missing or ("(empty)" if value is None or value == "" else value)


def change_text(event: AuditRecord) -> str:
    change = f"{shown(event.old_value, event.old_missing)} → {shown(event.new_value, event.new_missing)}"
    if event.action == "value":
        return change
    if event.action == "value_derived":
        return f"calculated: {change}"
    if event.action == "warning_confirmed":
        return f"warning confirmed: {event.new_value or ''}"
    return f"{event.action.replace('_', ' ')}: {change}"


def _by(event: AuditRecord) -> str:
    return f"{event.username} ({event.role})" if event.role else event.username


def _where(visit: str, form: str, timepoint: str, repeat: int) -> str:
    parts = [visit or "log", form, timepoint, f"#{repeat}" if repeat else ""]
    return " ".join(p for p in parts if p)


def history_blocks(study: Study, subject: SubjectRecord) -> list[Flowable]:
    """The subject's audit trail: item changes per form and item, then the other events."""
    out = heading("Audit trail: item values", 12, space_before=0)
    out.append(note("Times are UTC (Z) with the workstation's UTC offset in brackets. Old → new; "
                    "(empty) means no value; ND, UNK, NA are missing codes."))
    groups = _item_groups(subject)
    for key, events in groups.items():
        out += heading(_group_title(study, key), 8.5, space_before=5)
        out.append(_history_table(study, key[1], events))
    if not groups:
        out.append(note(NONE))
    others = [e for e in subject.audit if e.item is None or not e.form]
    out += heading("Audit trail: other events", 12, space_before=12)
    if others:
        out.append(_events_table(others))
    else:
        out.append(note(NONE))
    return out


def _item_groups(subject: SubjectRecord) -> dict[GroupKey, list[AuditRecord]]:
    order = {(f.visit, f.form, f.timepoint, f.repeat): n for n, f in enumerate(subject.forms)}
    groups: dict[GroupKey, list[AuditRecord]] = {}
    for event in subject.audit:
        if event.item is not None and event.form:
            key = (event.visit or "", event.form or "", event.timepoint or "", event.repeat or 0)
            groups.setdefault(key, []).append(event)
    return dict(sorted(groups.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[1][0].seq)))


def _group_title(study: Study, key: GroupKey) -> str:
    visit, form_code, timepoint, repeat = key
    form = study.forms.get(form_code)
    return f"{_where(visit, form_code, timepoint, repeat)} · {form.label.en if form else ''}"


def _history_table(study: Study, form_code: str, events: list[AuditRecord]) -> Flowable:
    form = study.forms.get(form_code)
    position = {item.code: n for n, item in enumerate(form.items)} if form else {}
    ordered = sorted(events, key=lambda e: (position.get(e.item or "", len(position)), e.item or "", e.seq))
    widths = HISTORY_COLUMNS
    rows: list[list[object]] = [["Time (UTC, offset)",
                                 cell(f"{events[0].visit or 'Log'} {form_code}", widths[1], bold=True),
                                 "Old → new", "By (role)", "Reason"]]
    previous = None
    for event in ordered:
        reason = f"{event.reason or ''} [clock: {event.clock_note}]" if event.clock_note else event.reason
        rows.append([when(event), "" if event.item == previous else cell(event.item, widths[1]),
                     cell(change_text(event), widths[2]), cell(_by(event), widths[3]), cell(reason, widths[4])])
        previous = event.item
    return table(rows, widths)


def _events_table(events: list[AuditRecord]) -> Flowable:
    widths = EVENT_COLUMNS
    rows: list[list[object]] = [["Time (UTC, offset)", "Event", "Detail", "By (role)", "Reason"]]
    for event in events:
        where = _where(event.visit or "", event.form or "", event.timepoint or "", event.repeat or 0) \
            if event.form or event.visit else ""
        where = f"{where} {event.item}".strip() if event.item else where
        detail = f"{shown(event.old_value, event.old_missing)} → {shown(event.new_value, event.new_missing)}"
        detail = f"{where}: {detail}" if where else detail
        if event.clock_note:
            detail += f" [clock: {event.clock_note}]"
        rows.append([when(event), cell(event.action.replace("_", " "), widths[1]), cell(detail, widths[2]),
                     cell(_by(event), widths[3]), cell(event.reason, widths[4])])
    return table(rows, widths)
