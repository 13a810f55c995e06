"""Reading the site database into the records of `ecrf.export.records`, one subject at a time.

Run inside one read transaction (`SiteSession.read`), so every record of an export comes from the
same committed state even if someone saves a form meanwhile (SQLite WAL snapshot isolation).
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ecrf.export.records import (
    AuditRecord,
    FormRecord,
    SdvRecord,
    SiteFacts,
    SubjectRecord,
    UserRecord,
    ValueRecord,
    VisitRecord,
)
from ecrf.services.export_monitoring import NOTHING, SubjectMonitoring, load_monitoring
from ecrf.services.export_monitoring import signature_meanings as signature_meanings
from ecrf.services.subject_data import typed_values, visit_date
from ecrf.store.audit import CHAINED_FIELDS
from ecrf.store.models import AuditEvent, FormInstance, QueryMessage, Site, Subject, User, VisitRow
from ecrf.study.model import Study
from ecrf.study.status import SPONSOR_ROLE
from ecrf.study.subject import SubjectData
from ecrf.trail.chain import Event


def site_facts(db: Session) -> SiteFacts:
    site = db.get_one(Site, 1)
    as_of = db.scalar(select(AuditEvent.at_utc).where(AuditEvent.seq == site.audit_head_seq)) or site.created_at
    return SiteFacts(site.study_oid, site.site_code, site.site_name, site.db_id, site.definition_version,
                     site.definition_fingerprint, site.audit_head_seq, site.audit_head_hash, as_of, site.state)


def users(db: Session) -> tuple[UserRecord, ...]:
    """The site's accounts, and the sponsor's data managers who wrote query steps here (no account, no creation
    time), so that every author the ODM names is one of its Users."""
    rows = db.scalars(select(User).order_by(User.username))
    sponsors = db.scalars(select(QueryMessage.author).distinct().where(QueryMessage.role == SPONSOR_ROLE)
                          .order_by(QueryMessage.author))
    return (tuple(UserRecord(u.username, u.full_name, u.role, u.active, u.created_at) for u in rows)
            + tuple(UserRecord(author, author, SPONSOR_ROLE, True, "") for author in sponsors))


def subject_count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(Subject)) or 0


class CheckedEvents:
    """The events a trail check read and passed (`integrity.require_exportable(keep_events=True)`), handed out as
    export records: the export writes exactly the events it checked, and reads the trail once instead of three
    times (the check, each subject's events, the whole trail). The rows come from `ecrf.store.audit.event_rows`,
    in `AuditRecord`'s field order; each becomes a record only when written, so memory stays what the check
    needed."""

    def __init__(self, rows: Sequence[Event]) -> None:
        self._rows = rows
        self._by_subject: dict[str, list[Event]] = {}
        for row in rows:
            if row.subject is not None:
                self._by_subject.setdefault(row.subject, []).append(row)

    def of_subject(self, labels: set[str]) -> tuple[AuditRecord, ...]:
        """The events about a subject under any of its labels (screening number, subject id), in order."""
        found = [row for label in labels for row in self._by_subject.get(label, ())]
        if len(labels) > 1:
            found.sort(key=_seq)
        return tuple(map(_record_of_row, found))

    def __iter__(self) -> Iterator[AuditRecord]:
        return map(_record_of_row, self._rows)


def _seq(row: Event) -> int:
    return row.seq


def _record_of_row(row: Event) -> AuditRecord:
    return AuditRecord(*cast(tuple[Any, ...], row))  # a Row is a tuple, in the record's field order


def iter_subjects(db: Session, study: Study, checked: CheckedEvents | None = None) -> Iterator[SubjectRecord]:
    """Every subject, by screening number; only one subject's clinical rows are loaded at a time. The monitoring
    records (small beside the data) are read up front, one query per table, and handed out per subject. With
    `checked`, each subject's events are those the check read, not read again."""
    keys = db.execute(select(Subject.id).order_by(Subject.screening_no)).scalars().all()
    monitoring = load_monitoring(db)
    for pk in keys:
        subject = db.get_one(Subject, pk)
        yield subject_record(db, study, subject, monitoring.get(pk, NOTHING), checked)
        db.expunge_all()  # keep the identity map from growing with the subject count


def iter_audit(db: Session) -> Iterator[AuditRecord]:
    for event in db.scalars(select(AuditEvent).order_by(AuditEvent.seq)).yield_per(2000):
        yield audit_record(event)


def audit_record(event: AuditEvent) -> AuditRecord:
    return AuditRecord(**{name: getattr(event, name) for name in CHAINED_FIELDS}, hash=event.hash)


def subject_record(db: Session, study: Study, subject: Subject, monitoring: SubjectMonitoring = NOTHING,
                   checked: CheckedEvents | None = None) -> SubjectRecord:
    instances = db.scalars(select(FormInstance).options(selectinload(FormInstance.values))
                           .where(FormInstance.subject_pk == subject.id)).all()
    labels = {subject.screening_no, subject.label}
    if checked is not None:
        audit = checked.of_subject(labels)
    else:
        events = db.scalars(select(AuditEvent).where(AuditEvent.subject.in_(labels)).order_by(AuditEvent.seq))
        audit = tuple(audit_record(e) for e in events)
    visits = db.scalars(select(VisitRow).where(VisitRow.subject_pk == subject.id)).all()
    dates = _visit_dates(study, subject, instances)
    return SubjectRecord(
        label=subject.label, screening_no=subject.screening_no, subject_id=subject.subject_id,
        status=subject.status, arm=subject.arm, rand_no=subject.rand_no, day0=subject.day0,
        ended_on=subject.ended_on, end_reason=subject.end_reason, created_at=subject.created_at,
        visits=tuple(_visit_record(v, dates) for v in sorted(visits, key=_schedule_key(study))),
        forms=tuple(form_record(study, i) for i in sorted(instances, key=_form_key(study))),
        audit=audit,
        queries=monitoring.queries, sdv=_sdv_in_form_order(study, monitoring, instances),
        signatures=monitoring.signatures, locks=monitoring.locks)


def _sdv_in_form_order(study: Study, monitoring: SubjectMonitoring,
                       instances: Sequence[FormInstance]) -> tuple[SdvRecord, ...]:
    """SDV marks in the order of the forms (schedule order) and of the items in their form."""
    position = {(i.visit_code, i.form_code, i.timepoint, i.repeat): n
                for n, i in enumerate(sorted(instances, key=_form_key(study)))}

    def key(record: SdvRecord) -> tuple[int, int, str]:
        form = study.forms.get(record.form)
        item = next((n for n, it in enumerate(form.items) if it.code == record.item), 999) if form else 999
        return position.get((record.visit, record.form, record.timepoint, record.repeat), 1 << 30), item, record.item
    return tuple(sorted(monitoring.sdv, key=key))


def _visit_dates(study: Study, subject: Subject, instances: Sequence[FormInstance]) -> dict[str, date]:
    data = SubjectData(arm=subject.arm, day0=date.fromisoformat(subject.day0) if subject.day0 else None)
    for instance in instances:
        if instance.visit_code and not instance.deleted and instance.form_code in study.forms:
            form = study.form(instance.form_code)
            data.put(instance.visit_code, instance.form_code, typed_values(form, instance.values), instance.timepoint)
    known = {v.code for v in study.visits}
    found = {code: visit_date(study, data, code) for code in {i.visit_code for i in instances} & known}
    return {code: seen for code, seen in found.items() if seen is not None}


def _visit_record(row: VisitRow, dates: dict[str, date]) -> VisitRecord:
    seen = dates.get(row.visit_code)
    return VisitRecord(row.visit_code, row.target_date, row.earliest, row.latest, row.cancelled,
                       seen.isoformat() if seen else None)


def _schedule_key(study: Study) -> Callable[[VisitRow], tuple[int, str]]:
    order = {v.code: n for n, v in enumerate(study.visits)}
    return lambda row: (order.get(row.visit_code, len(order)), row.visit_code)


def _form_key(study: Study) -> Callable[[FormInstance], tuple[object, ...]]:
    """Scheduled forms in schedule order (visit, the visit's form order, timepoint), then log entries."""
    visit_order = {v.code: n for n, v in enumerate(study.visits)}
    form_order = {(v.code, vf.form): n for v in study.visits for n, vf in enumerate(v.forms)}
    log_order = {code: n for n, code in enumerate(study.logs)}
    timepoint_order = {code: n for n, code in enumerate(study.timepoints)}

    def key(i: FormInstance) -> tuple[object, ...]:
        if not i.visit_code:
            return (1, log_order.get(i.form_code, len(log_order)), i.form_code, i.repeat, 0, "")
        return (0, visit_order.get(i.visit_code, len(visit_order)), i.visit_code,
                form_order.get((i.visit_code, i.form_code), 999), i.form_code,
                timepoint_order.get(i.timepoint, len(timepoint_order)), i.timepoint, i.repeat)
    return key


def form_record(study: Study, instance: FormInstance) -> FormRecord:
    form = study.forms.get(instance.form_code)
    order = {item.code: n for n, item in enumerate(form.items)} if form else {}
    rows = sorted(instance.values, key=lambda v: (order.get(v.item_code, len(order)), v.item_code))
    return FormRecord(
        visit=instance.visit_code, form=instance.form_code, timepoint=instance.timepoint, repeat=instance.repeat,
        status=instance.status, definition_version=instance.definition_version, deleted=instance.deleted,
        deleted_reason=instance.deleted_reason, updated_at=instance.updated_at, updated_by=instance.updated_by,
        values=tuple(ValueRecord(v.item_code, v.value, v.missing, v.saved_at, v.saved_by) for v in rows))
