"""Reading and verifying the audit trail."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecrf.export.records import AuditRecord
from ecrf.services.export_records import audit_record
from ecrf.services.permissions import Do
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef, find_subject
from ecrf.store.models import AuditEvent
from ecrf.trail.check import TrailReport

# One audit event as plain values (safe to hand to the UI or print): the export bundle's record of it.
EventView = AuditRecord
# The verdict of the whole trail check (chain, seals, keys, replay), named here for the UI and CLI.
ChainReport = TrailReport


def _view(event: AuditEvent) -> EventView:
    return audit_record(event)


def _labels(db: Session, label: str) -> list[str]:
    """A subject is audited under its screening number until allocation, then under its subject id."""
    subject = find_subject(db, label)
    return [x for x in (subject.screening_no, subject.subject_id) if x]


def verify(session: SiteSession) -> ChainReport:
    session.require(Do.VERIFY_AUDIT)
    return session.database.check_trail()


def events(session: SiteSession, subject: str | None = None, limit: int | None = None) -> list[EventView]:
    """Events oldest first (the last `limit` ones when given), optionally of one subject."""
    with session.read(Do.READ_AUDIT) as db:
        query = select(AuditEvent).order_by(AuditEvent.seq.desc())
        if subject:
            query = query.where(AuditEvent.subject.in_(_labels(db, subject)))
        if limit:
            query = query.limit(limit)
        return [_view(e) for e in reversed(db.scalars(query).all())]


def item_history(session: SiteSession, ref: FormRef, item: str) -> list[EventView]:
    """Every change of one item, oldest first: who, when, old → new, why."""
    with session.read(Do.READ_DATA) as db:
        query = select(AuditEvent).where(
            AuditEvent.subject.in_(_labels(db, ref.subject)), AuditEvent.form == ref.form, AuditEvent.item == item,
            AuditEvent.visit == (ref.visit or None) if ref.visit else AuditEvent.visit.is_(None),
            AuditEvent.timepoint == ref.timepoint if ref.timepoint else AuditEvent.timepoint.is_(None),
            AuditEvent.repeat == ref.repeat if ref.repeat else AuditEvent.repeat.is_(None),
        ).order_by(AuditEvent.seq)
        return [_view(e) for e in db.scalars(query)]
