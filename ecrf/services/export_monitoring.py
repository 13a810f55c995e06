"""Reading the monitoring tables (SDV marks, queries with their threads, signatures, locks) into export records.

Each table is read once for the whole site and grouped by subject, so an export of 2,000 subjects makes four
queries here, not four per subject. The records are plain frozen data: the caller may expunge the ORM objects
(`export_records.iter_subjects` does, subject by subject) without touching them.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ecrf.export.records import (
    LockRecord,
    QueryMessageRecord,
    QueryRecord,
    SdvRecord,
    SignatureMeaning,
    SignatureRecord,
)
from ecrf.store.models import FormInstance, LockRow, QueryRow, SdvMark, SignatureRow, Subject


@dataclass(frozen=True)
class SubjectMonitoring:
    queries: tuple[QueryRecord, ...] = ()
    sdv: tuple[SdvRecord, ...] = ()
    signatures: tuple[SignatureRecord, ...] = ()
    locks: tuple[LockRecord, ...] = ()


NOTHING = SubjectMonitoring()
T = TypeVar("T")


def query_id(pk: int) -> str:
    """The number people quote on the phone: Q-0001."""
    return f"Q-{pk:04d}"


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


def _query_records(db: Session, labels: dict[int, str]) -> Iterable[tuple[int, QueryRecord]]:
    rows = db.scalars(select(QueryRow).options(selectinload(QueryRow.messages)).order_by(QueryRow.id))
    for q in rows:
        qid = query_id(q.id)
        thread = tuple(QueryMessageRecord(qid, m.kind, m.author, m.role, m.at_utc, m.text, m.response_code)
                       for m in q.messages)
        yield q.subject_pk, QueryRecord(
            query_id=qid, subject=labels[q.subject_pk], scope=q.scope, visit=q.visit_code, form=q.form_code,
            timepoint=q.timepoint, repeat=q.repeat, item=q.item_code, origin=q.origin, check_key=q.check_key,
            state=q.state, raised_by=q.raised_by, raised_role=q.raised_role, raised_at=q.raised_at,
            updated_at=q.updated_at, messages=thread)


def _sdv_records(db: Session, labels: dict[int, str]) -> Iterable[tuple[int, SdvRecord]]:
    rows = db.execute(select(SdvMark, FormInstance.subject_pk, FormInstance.visit_code, FormInstance.form_code,
                             FormInstance.timepoint, FormInstance.repeat)
                      .join(FormInstance, SdvMark.form_pk == FormInstance.id).order_by(SdvMark.id))
    for mark, subject_pk, visit, form, timepoint, repeat in rows:
        yield subject_pk, SdvRecord(
            subject=labels[subject_pk], visit=visit, form=form, timepoint=timepoint, repeat=repeat,
            item=mark.item_code, state=mark.state, verified_at=mark.verified_at, verified_by=mark.verified_by,
            changed_at=mark.changed_at)


def _signature_records(db: Session, labels: dict[int, str]) -> Iterable[tuple[int, SignatureRecord]]:
    for s in db.scalars(select(SignatureRow).order_by(SignatureRow.signed_at, SignatureRow.id)):
        yield s.subject_pk, SignatureRecord(
            ceremony=s.ceremony, subject=labels[s.subject_pk], scope=s.scope, visit=s.visit_code, form=s.form_code,
            timepoint=s.timepoint, repeat=s.repeat, username=s.username, full_name=s.full_name,
            meaning_en=s.meaning_en, meaning_zh=s.meaning_zh, meaning_version=s.meaning_version,
            signed_at=s.signed_at, data_hash=s.data_hash, key_id=s.key_id, public_key=s.public_key,
            signature=s.signature, state=s.state, broken_at=s.broken_at, broken_reason=s.broken_reason)


def _lock_records(db: Session, labels: dict[int, str]) -> Iterable[tuple[int, LockRecord]]:
    for row in db.scalars(select(LockRow).order_by(LockRow.locked_at, LockRow.id)):
        yield row.subject_pk, LockRecord(
            subject=labels[row.subject_pk], scope=row.scope, visit=row.visit_code, form=row.form_code,
            timepoint=row.timepoint, repeat=row.repeat, locked_at=row.locked_at, locked_by=row.locked_by,
            active=row.active, unlocked_at=row.unlocked_at, unlocked_by=row.unlocked_by,
            unlock_reason=row.unlock_reason)
