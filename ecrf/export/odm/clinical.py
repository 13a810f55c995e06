"""One subject as ODM ClinicalData: a SubjectData Insert with the subject's whole history, then an Update
carrying its current status, then the monitoring of the subject as a whole (signature of the casebook, lock).

Visits are StudyEventData (the log forms share the event `SE.logs`); each form instance is the FormData
series of `odm_forms`. A cancelled visit gets a StudyEventData with a VISIT_STATUS flag and the reason.
Monitoring of a visit (a query, a signature or a lock on the visit as a whole) is a StudyEventData Update after
the visit's forms. Every element with a TransactionType has an AuditRecord, its own or (as ODM allows) its parent's.
"""
from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from ecrf.export.odm import keys as k
from ecrf.export.odm.elements import element, sub
from ecrf.export.odm.forms import FormWriter
from ecrf.export.odm.history import Stamp, annotation, audit_record
from ecrf.export.odm.metadata import repeating_forms
from ecrf.export.odm.monitoring import Monitoring, monitoring_updates
from ecrf.export.records import AuditRecord, FormRecord, LockRecord, QueryRecord, SignatureRecord, SubjectRecord
from ecrf.study.model import Study
from ecrf.study.place import FormPlace
from ecrf.study.status import Scope

FormKey = tuple[str, str, str, int]  # visit, form, timepoint, repeat


def form_key(record: FormRecord) -> FormKey:
    return record.visit, record.form, record.timepoint, record.repeat


def event_form_key(event: AuditRecord) -> FormKey:
    """The audit trail stores '' and 0 as null (ecrf.services.forms._audit_where)."""
    return event.visit or "", event.form or "", event.timepoint or "", event.repeat or 0


class SubjectWriter:
    def __init__(self, study: Study, location: str) -> None:
        self.location = location
        self.forms = FormWriter(study, repeating_forms(study), location)

    def elements(self, subject: SubjectRecord) -> list[etree._Element]:
        subject_events = [e for e in subject.audit if e.form is None and e.visit is None]
        history = element("SubjectData", {"SubjectKey": subject.label, "TransactionType": "Insert"})
        first = subject_events[0] if subject_events else (subject.audit[0] if subject.audit else None)
        if first is not None:
            audit_record(history, Stamp.of(first, reason=""), self.location)
        sub(history, "SiteRef", {"LocationOID": self.location})
        self._events(history, subject)
        found = [history, self._status(subject, subject_events)]
        for _, build in sorted(monitoring_updates(_scoped(subject, Scope.SUBJECT), self.location), key=_time):
            node = element("SubjectData", {"SubjectKey": subject.label, "TransactionType": "Update"})
            build(node)
            found.append(node)
        return found

    def _events(self, parent: etree._Element, subject: SubjectRecord) -> None:
        by_visit: dict[str, list[FormRecord]] = {}
        for record in subject.forms:
            by_visit.setdefault(record.visit, []).append(record)
        cancelled = {v.visit for v in subject.visits if v.cancelled}
        order = [v.visit for v in subject.visits if v.visit in by_visit or v.visit in cancelled]
        order += [code for code in by_visit if code not in order and code] + ([""] if "" in by_visit else [])
        form_events: dict[FormKey, list[AuditRecord]] = {}
        visit_events: dict[str, list[AuditRecord]] = {}
        for event in subject.audit:
            if event.form is not None:
                form_events.setdefault(event_form_key(event), []).append(event)
            elif event.visit is not None:
                visit_events.setdefault(event.visit, []).append(event)
        for visit in order:
            records = by_visit.get(visit, [])
            if records:
                node = sub(parent, "StudyEventData", {"StudyEventOID": k.study_event_oid(visit),
                                                      "TransactionType": "Insert"})
                for record in records:
                    key = form_key(record)
                    node.extend(self.forms.elements(record, form_events.get(key, ()), _monitoring(subject, key)))
            if visit in cancelled:
                self._cancelled(parent, visit, "Update" if records else "Insert", visit_events.get(visit, []))
        on_visits: list[QueryRecord | SignatureRecord | LockRecord] = [*subject.queries, *subject.signatures,
                                                                       *subject.locks]
        scoped = {r.visit for r in on_visits if r.scope == Scope.VISIT}
        for visit in order + sorted(scoped - set(order)):
            self._visit_monitoring(parent, subject, visit, inserted=bool(by_visit.get(visit)) or visit in cancelled)

    def _visit_monitoring(self, parent: etree._Element, subject: SubjectRecord, visit: str, inserted: bool) -> None:
        """A visit's own queries, signatures and locks; Upsert for a visit nothing else was written for yet."""
        updates = monitoring_updates(_scoped(subject, Scope.VISIT, visit), self.location)
        for _, build in sorted(updates, key=_time):
            build(sub(parent, "StudyEventData", {"StudyEventOID": k.study_event_oid(visit),
                                                 "TransactionType": "Update" if inserted else "Upsert"}))
            inserted = True

    def _cancelled(self, parent: etree._Element, visit: str, kind: str, events: Sequence[AuditRecord]) -> None:
        node = sub(parent, "StudyEventData", {"StudyEventOID": k.study_event_oid(visit), "TransactionType": kind})
        cancels = [e for e in events if e.action == "visit_cancelled"]
        if cancels:  # else the subject's AuditRecord is inherited
            audit_record(node, Stamp.of(cancels[-1]), self.location)
        annotation(node, 1, [("VISIT_STATUS", "cancelled")], cancels[-1].reason if cancels else None)

    def _status(self, subject: SubjectRecord, subject_events: Sequence[AuditRecord]) -> etree._Element:
        node = element("SubjectData", {"SubjectKey": subject.label, "TransactionType": "Update"})
        if subject_events:  # the last screening / allocation / end of participation set today's status
            audit_record(node, Stamp.of(subject_events[-1]), self.location)
        comment = f"Screening number {subject.screening_no}"
        if subject.ended_on:
            comment += f"; participation ended {subject.ended_on}"
            comment += f": {subject.end_reason}" if subject.end_reason else ""
        annotation(node, 1, [("SUBJECT_STATUS", subject.status)], comment)
        return node


_OnForm = FormPlace  # read-only properties: the records are frozen dataclasses


def _monitoring(subject: SubjectRecord, key: FormKey) -> Monitoring:
    """What is about this form instance: queries on it or its items, SDV of its items, its signatures and locks."""
    def matches(record: _OnForm) -> bool:
        return (record.visit, record.form, record.timepoint, record.repeat) == key
    on_form = (Scope.FORM.value, Scope.ITEM.value)
    return Monitoring(queries=[q for q in subject.queries if q.scope in on_form and matches(q)],
                      sdv=[s for s in subject.sdv if matches(s)],
                      signatures=[s for s in subject.signatures if s.scope in on_form and matches(s)],
                      locks=[lock for lock in subject.locks if lock.scope in on_form and matches(lock)])


def _scoped(subject: SubjectRecord, scope: Scope, visit: str = "") -> Monitoring:
    """What is about a visit as a whole (scope visit) or the subject as a whole (scope subject)."""
    def about(record: QueryRecord | SignatureRecord | LockRecord) -> bool:
        return record.scope == scope.value and (scope is Scope.SUBJECT or record.visit == visit)
    return Monitoring(queries=[q for q in subject.queries if about(q)],
                      signatures=[s for s in subject.signatures if about(s)],
                      locks=[lock for lock in subject.locks if about(lock)])


def _time(update: tuple[tuple[str, int, int], object]) -> tuple[str, int, int]:
    return update[0]
