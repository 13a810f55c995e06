"""Reading the monitoring tables (SDV marks, queries with their threads, signatures, locks) into export records.

Each table is read once for the whole site and grouped by subject, so an export of 2,000 subjects makes four
queries here, not four per subject. The records are plain frozen data: the caller may expunge the ORM objects
(`export_records.iter_subjects` does, subject by subject) without touching them.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Executable, select
from sqlalchemy.orm import Session

from ecrf.export.records import (
    LockRecord,
    QueryMessageRecord,
    QueryRecord,
    SdvRecord,
    SignatureMeaning,
    SignatureRecord,
)
from ecrf.store.models import FormInstance, LockRow, QueryMessage, QueryRow, SdvMark, SignatureRow, Subject
from ecrf.study.status import query_number


@dataclass(frozen=True)
class SubjectMonitoring:
    queries: tuple[QueryRecord, ...] = ()
    sdv: tuple[SdvRecord, ...] = ()
    signatures: tuple[SignatureRecord, ...] = ()
    locks: tuple[LockRecord, ...] = ()


NOTHING = SubjectMonitoring()
T = TypeVar("T")


query_id = query_number  # the number people quote on the phone: Q-0001


def load_monitoring(db: Session) -> dict[int, SubjectMonitoring]:
    """Every subject's monitoring records by subject primary key (subjects without any are left out)."""
    labels = {pk: subject_id or screening_no
              for pk, subject_id, screening_no in db.execute(select(Subject.id, Subject.subject_id,
                                                                    Subject.screening_no))}
    queries = _grouped(_query_records(db, labels))
    sdv = _grouped(_sdv_records(db, labels))
    signatures = _grouped(_signature_records(db, labels))
    locks = _grouped(_lock_records(db, labels))
    return {pk: SubjectMonitoring(queries.get(pk, ()), sdv.get(pk, ()), signatures.get(pk, ()), locks.get(pk, ()))
            for pk in set(queries) | set(sdv) | set(signatures) | set(locks)}


def signature_meanings(db: Session) -> tuple[SignatureMeaning, ...]:
    """Every signature meaning (text and version) a stored signature was made under, by version: ODM needs a
    SignatureDef for each before the clinical data that refer to them."""
    rows = db.execute(select(SignatureRow.meaning_version, SignatureRow.meaning_en, SignatureRow.meaning_zh)
                      .distinct().order_by(SignatureRow.meaning_version))
    found: dict[str, SignatureMeaning] = {}
    for version, en, zh in rows:
        found.setdefault(version, SignatureMeaning(version, en, zh))
    return tuple(found.values())


def _grouped(pairs: Iterable[tuple[int, T]]) -> dict[int, tuple[T, ...]]:
    groups: dict[int, list[T]] = defaultdict(list)
    for pk, record in pairs:
        groups[pk].append(record)
    return {pk: tuple(records) for pk, records in groups.items()}


def _rows(db: Session, statement: Executable) -> Iterable[Any]:  # Any: rows unpack into record fields
    """Core rows on the session's connection (same transaction and snapshot), without the ORM's result layer."""
    return db.connection().execute(statement).all()


def _query_records(db: Session, labels: dict[int, str]) -> Iterable[tuple[int, QueryRecord]]:
    """Plain rows, not ORM objects (10,000 queries with their threads are read in a fraction of the time). The
    columns are selected in the order of the record's fields, here and below: tests/export/test_records_monitoring
    checks every field."""
    threads: dict[int, list[QueryMessageRecord]] = defaultdict(list)
    names: dict[int, str] = {}
    m = QueryMessage
    for pk, kind, author, role, at_utc, text, response in _rows(db, select(
            m.query_pk, m.kind, m.author, m.role, m.at_utc, m.text, m.response_code).order_by(m.query_pk, m.id)):
        name = names.get(pk) or names.setdefault(pk, query_id(pk))
        threads[pk].append(QueryMessageRecord(name, kind, author, role, at_utc, text, response))
    q = QueryRow
    for row in _rows(db, select(q.id, q.subject_pk, q.scope, q.visit_code, q.form_code, q.timepoint, q.repeat,
                                 q.item_code, q.origin, q.check_key, q.state, q.raised_by, q.raised_role,
                                 q.raised_at, q.updated_at).order_by(q.id)):
        (pk, subject_pk, scope, visit, form, timepoint, repeat, item, origin, check_key, state, raised_by,
         raised_role, raised_at, updated_at) = row
        yield subject_pk, QueryRecord(names.get(pk) or query_id(pk), labels[subject_pk], scope, visit, form,
                                      timepoint, repeat, item, origin, check_key, state, raised_by, raised_role,
                                      raised_at, updated_at, tuple(threads.get(pk, ())))


def _sdv_records(db: Session, labels: dict[int, str]) -> Iterable[tuple[int, SdvRecord]]:
    f, m = FormInstance, SdvMark
    rows = _rows(db, select(f.subject_pk, f.visit_code, f.form_code, f.timepoint, f.repeat, m.item_code, m.state,
                             m.verified_at, m.verified_by, m.changed_at)
                      .join(f, m.form_pk == f.id).order_by(m.id))
    for subject_pk, *fields in rows:
        yield subject_pk, SdvRecord(labels[subject_pk], *fields)


def _signature_records(db: Session, labels: dict[int, str]) -> Iterable[tuple[int, SignatureRecord]]:
    s = SignatureRow
    rows = _rows(db, select(s.ceremony, s.subject_pk, s.scope, s.visit_code, s.form_code, s.timepoint, s.repeat,
                             s.username, s.full_name, s.meaning_en, s.meaning_zh, s.meaning_version, s.signed_at,
                             s.data_hash, s.key_id, s.public_key, s.signature, s.state, s.broken_at, s.broken_reason)
                      .order_by(s.signed_at, s.id))
    for ceremony, subject_pk, *fields in rows:
        yield subject_pk, SignatureRecord(ceremony, labels[subject_pk], *fields)


def _lock_records(db: Session, labels: dict[int, str]) -> Iterable[tuple[int, LockRecord]]:
    lk = LockRow
    rows = _rows(db, select(lk.subject_pk, lk.scope, lk.visit_code, lk.form_code, lk.timepoint, lk.repeat,
                             lk.locked_at, lk.locked_by, lk.active, lk.unlocked_at, lk.unlocked_by, lk.unlock_reason)
                      .order_by(lk.locked_at, lk.id))
    for subject_pk, *fields in rows:
        yield subject_pk, LockRecord(labels[subject_pk], *fields)
