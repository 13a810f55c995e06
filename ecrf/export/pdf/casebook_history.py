"""The record-keeping part of a casebook: queries, source data verification, signatures, and the subject's
audit trail (21 CFR 11.10(e): who changed what, when, from which value to which, and why).

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


def monitoring_blocks(subject: SubjectRecord) -> list[Flowable]:
    """Queries, SDV and signatures, each 'None recorded.' when empty."""
    out: list[Flowable] = [*heading("Queries", 10.5, space_before=10)]
    if subject.queries:
        widths = columns(14, 30, 14, 30, 46, 46)
        rows: list[list[object]] = [["Query", "Where", "Status", "Raised", "Question", "Answer / closed"]]
        for q in subject.queries:
            where = _where(q.visit, q.form, q.timepoint, q.repeat) + f" {q.item}"
            question = q.messages[0].text if q.messages else ""
            answer = " · ".join(f"{m.kind} {_stamp(m.at_utc, m.author)}: {m.text}" for m in q.messages[1:])
            rows.append([cell(q.query_id, widths[0]), cell(where, widths[1]), f"{q.state}\n{q.origin}",
                         cell(_stamp(q.raised_at, q.raised_by), widths[3]), cell(question, widths[4]),
                         cell(answer, widths[5])])
        out.append(table(rows, widths))
    else:
        out.append(note(NONE))
    out += heading("Source data verification", 10.5, space_before=8)
    if subject.sdv:
        widths = columns(50, 40, 90)
        rows = [["Form", "Verified at", "Verified by"]]
        rows += [[cell(_where(s.visit, s.form, s.timepoint, s.repeat), widths[0]), utc_text(s.verified_at),
                  cell(f"{s.item} {s.state} ({s.verified_by})", widths[2])] for s in subject.sdv]
        out.append(table(rows, widths))
    else:
        out.append(note(NONE))
    out += heading("Electronic signatures", 10.5, space_before=8)
    if subject.signatures:
        widths = columns(34, 36, 28, 62, 20)
        rows = [["Form", "Signed by", "Time", "Meaning", "Valid"]]
        rows += [[cell(_where(s.visit, s.form, s.timepoint, s.repeat), widths[0]),
                  cell(f"{s.full_name} ({s.username})", widths[1]), utc_text(s.signed_at),
                  cell(s.meaning_en, widths[3]),
                  "yes" if s.state == "valid" else "no: data changed after signing"] for s in subject.signatures]
        out.append(table(rows, widths))
    else:
        out.append(note(NONE))
    return out


def _stamp(at: str | None, by: str | None) -> str:
    return f"{utc_text(at)} {by or ''}".strip() if at else ""


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
