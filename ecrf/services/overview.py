"""Read models for screens: every subject × visit at a glance (the subject matrix), and one subject.

Built with a handful of queries whatever the subject count (no per-subject round trips), so the
home screen stays quick with thousands of subjects. Nothing here writes.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from ecrf.services.forms import COMPLETED
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import find_subject, visit_date
from ecrf.store.models import (
    FormInstance,
    FormStatus,
    ItemValue,
    Subject,
    SubjectStatus,
    VisitRow,
)
from ecrf.study.codec import from_text
from ecrf.study.model import DATE_TYPES, Study
from ecrf.study.schedule import ScheduledVisit, VisitStatus, visit_status
from ecrf.study.subject import SubjectData

_Select = TypeVar("_Select", bound="Select[*tuple[Any, ...]]")  # whatever columns it selects


class CellState(StrEnum):
    """How a visit stands for the person entering data (the matrix cell)."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    ATTENTION = "attention"  # window closed with forms left to do, or done outside its window
    NOT_DUE = "not_due"  # not scheduled yet, upcoming, or cancelled: nothing to do now


@dataclass(frozen=True)
class FormCell:
    form: str
    timepoint: str
    status: FormStatus


@dataclass(frozen=True)
class VisitCell:
    schedule: ScheduledVisit
    forms: tuple[FormCell, ...]
    state: CellState

    @property
    def code(self) -> str:
        return self.schedule.code

    @property
    def overdue(self) -> bool:
        return self.schedule.status is VisitStatus.OVERDUE

    @property
    def out_of_window(self) -> bool:
        return self.schedule.status is VisitStatus.OUT_OF_WINDOW


@dataclass(frozen=True)
class LogEntry:
    form: str
    repeat: int
    status: FormStatus
    deleted: bool
    deleted_reason: str | None
    summary: dict[str, str]  # item code → stored text (or missing code) of the entry's items


@dataclass(frozen=True)
class SubjectRow:
    label: str
    screening_no: str
    subject_id: str | None
    status: SubjectStatus
    arm: str | None
    day0: date | None
    ended_on: date | None
    cells: tuple[VisitCell, ...]
    log_counts: dict[str, int] = field(default_factory=dict)  # log form → entries not removed
    rand_no: str | None = None

    @property
    def overdue(self) -> bool:
        return any(c.overdue for c in self.cells)

    @property
    def attention(self) -> bool:
        return any(c.state is CellState.ATTENTION for c in self.cells)

    def cell(self, visit: str) -> VisitCell:
        return next(c for c in self.cells if c.code == visit)


@dataclass(frozen=True)
class SubjectDetail:
    row: SubjectRow
    logs: dict[str, list[LogEntry]]  # log form → entries in repeat order, removed ones included
    end_reason: str | None


def subject_rows(session: SiteSession, today: date | None = None) -> list[SubjectRow]:
    """Every subject of the site, in screening order, with each visit's cell."""
    today = today or session.clock.now().date()
    with session.read() as db:
        return _rows(db, session.study, today, None)


def subject_detail(session: SiteSession, label: str, today: date | None = None) -> SubjectDetail:
    today = today or session.clock.now().date()
    with session.read() as db:
        subject = find_subject(db, label)
        row = _rows(db, session.study, today, subject.id)[0]
        return SubjectDetail(row, _log_entries(db, session.study, subject), subject.end_reason)


def _rows(db: Session, study: Study, today: date, only: int | None) -> list[SubjectRow]:
    subjects = db.scalars(_only(select(Subject), Subject.id, only).order_by(Subject.id)).all()
    instances = db.execute(_only(select(FormInstance.subject_pk, FormInstance.visit_code, FormInstance.form_code,
                                        FormInstance.timepoint, FormInstance.status, FormInstance.deleted),
                                 FormInstance.subject_pk, only)).all()
    cancelled: dict[int, set[str]] = defaultdict(set)
    for pk, code in db.execute(_only(select(VisitRow.subject_pk, VisitRow.visit_code)
                                     .where(VisitRow.cancelled.is_(True)), VisitRow.subject_pk, only)):
        cancelled[pk].add(code)
    statuses: dict[int, dict[tuple[str, str, str], FormStatus]] = defaultdict(dict)
    log_counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for pk, visit, form, timepoint, status, deleted in instances:
        if visit == "":
            if not deleted:
                log_counts[pk][form] += 1
        else:
            statuses[pk][(visit, form, timepoint)] = FormStatus(status)
    dates = _visit_dates(db, study, only)
    return [_row(study, s, statuses[s.id], dates.get(s.id, {}), cancelled.get(s.id, set()),
                 dict(log_counts[s.id]), today) for s in subjects]


def _only(stmt: _Select, column: InstrumentedAttribute[int], only: int | None) -> _Select:
    return stmt if only is None else stmt.where(column == only)


def _visit_dates(db: Session, study: Study, only: int | None) -> dict[int, dict[str, date]]:
    """Each subject's visit dates, read from the date items only (not every stored value)."""
    date_items = {code for form in study.forms.values() for code in
                  (i.code for i in form.items if i.value_type in DATE_TYPES)}
    stmt = (select(FormInstance.subject_pk, FormInstance.visit_code, FormInstance.form_code,
                   FormInstance.timepoint, ItemValue.item_code, ItemValue.value)
            .join(ItemValue, ItemValue.form_pk == FormInstance.id)
            .where(FormInstance.visit_code != "", FormInstance.deleted.is_(False),
                   ItemValue.item_code.in_(date_items), ItemValue.value.is_not(None)))
    forms: dict[int, dict[tuple[str, str, str], dict[str, Any]]] = defaultdict(dict)
    for pk, visit, form_code, timepoint, item_code, text in db.execute(_only(stmt, FormInstance.subject_pk, only)):
        form = study.forms.get(form_code)
        if form is None or not form.has_item(item_code):
            continue
        values = forms[pk].setdefault((visit, form_code, timepoint), {})
        values[item_code] = from_text(form.item(item_code), text, None)
    result: dict[int, dict[str, date]] = {}
    for pk, subject_forms in forms.items():
        subject_data = SubjectData(forms=dict(subject_forms))
        seen = {v.code: visit_date(study, subject_data, v.code) for v in study.visits}
        result[pk] = {code: day for code, day in seen.items() if day is not None}
    return result


def _row(study: Study, subject: Subject, statuses: dict[tuple[str, str, str], FormStatus],
         dates: dict[str, date], cancelled: set[str], log_counts: dict[str, int], today: date) -> SubjectRow:
    return build_row(
        study, SubjectFacts(subject.label, subject.screening_no, subject.subject_id, SubjectStatus(subject.status),
                            subject.arm, date.fromisoformat(subject.day0) if subject.day0 else None,
                            date.fromisoformat(subject.ended_on) if subject.ended_on else None, subject.rand_no),
        statuses, dates, cancelled, log_counts, today)


@dataclass(frozen=True)
class SubjectFacts:
    """What a row needs of a subject besides its forms (kept apart from the ORM class so rows can be
    built without a database, e.g. for model tests and the matrix benchmark)."""

    label: str
    screening_no: str
    subject_id: str | None
    status: SubjectStatus
    arm: str | None
    day0: date | None
    ended_on: date | None = None
    rand_no: str | None = None


def build_row(study: Study, subject: SubjectFacts, statuses: Mapping[tuple[str, str, str], FormStatus],
              dates: Mapping[str, date], cancelled: Collection[str], log_counts: dict[str, int],
              today: date) -> SubjectRow:
    """One subject's matrix row from its form statuses (visit, form, timepoint) and visit dates; pure."""
    cells = []
    for visit in study.visits:
        schedule = visit_status(visit, subject.day0, dates.get(visit.code), today, subject.ended_on)
        if visit.code in cancelled and schedule.actual is None:
            schedule = ScheduledVisit(visit, schedule.target, schedule.earliest, schedule.latest, None,
                                      VisitStatus.CANCELLED)
        forms = tuple(FormCell(vf.form, tp, statuses.get((visit.code, vf.form, tp), FormStatus.NOT_STARTED))
                      for vf in visit.forms_for(subject.arm) for tp in (vf.timepoints or ("",)))
        cells.append(VisitCell(schedule, forms, _cell_state(schedule, forms, study)))
    return SubjectRow(subject.label, subject.screening_no, subject.subject_id, subject.status, subject.arm,
                      subject.day0, subject.ended_on, tuple(cells), log_counts, subject.rand_no)


def _cell_state(schedule: ScheduledVisit, forms: tuple[FormCell, ...], study: Study) -> CellState:
    # The end-of-study form is filled once, whenever participation ends: it does not make a visit late.
    needed = [f for f in forms if f.form != study.end_of_study_form] or list(forms)
    done = sum(f.status in COMPLETED for f in needed)
    started = any(f.status is not FormStatus.NOT_STARTED for f in forms)
    if needed and done == len(needed):
        return CellState.ATTENTION if schedule.status is VisitStatus.OUT_OF_WINDOW else CellState.COMPLETE
    if schedule.status is VisitStatus.OVERDUE or (started and schedule.status is VisitStatus.OUT_OF_WINDOW):
        return CellState.ATTENTION
    if started:
        return CellState.IN_PROGRESS
    if schedule.status in (VisitStatus.DUE, VisitStatus.DONE):
        return CellState.NOT_STARTED
    return CellState.NOT_DUE


def _log_entries(db: Session, study: Study, subject: Subject) -> dict[str, list[LogEntry]]:
    entries: dict[str, list[LogEntry]] = {form: [] for form in study.logs}
    rows = db.scalars(select(FormInstance).where(FormInstance.subject_pk == subject.id,
                                                 FormInstance.visit_code == "")
                      .order_by(FormInstance.form_code, FormInstance.repeat)).all()
    for instance in rows:
        summary = {v.item_code: (v.value if v.value is not None else (v.missing or "")) for v in instance.values}
        entries.setdefault(instance.form_code, []).append(LogEntry(
            instance.form_code, instance.repeat, FormStatus(instance.status), instance.deleted,
            instance.deleted_reason, summary))
    return entries
