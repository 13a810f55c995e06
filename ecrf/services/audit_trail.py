"""Reading and verifying the audit trail: the events of a filter (subject, user, action, time span) page by
page, newest first. The filter is SQL, so a site with tens of thousands of events reads only what is shown."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from ecrf.export.records import AuditRecord
from ecrf.services.errors import NotFound
from ecrf.services.export_records import audit_record
from ecrf.services.permissions import Do
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef, find_subject
from ecrf.store.clock import utc_text
from ecrf.store.models import AuditEvent, Subject
from ecrf.trail.check import TrailReport

# One audit event as plain values (safe to hand to the UI or print): the export bundle's record of it.
EventView = AuditRecord
# The verdict of the whole trail check (chain, seals, keys, replay), named here for the UI and CLI.
ChainReport = TrailReport


def _view(event: AuditEvent) -> EventView:
    return audit_record(event)


PAGE = 200  # events read at a time; the screen asks for the next page when the user scrolls to the end


@dataclass(frozen=True)
class TrailFilter:
    """Which events to show; every field narrows, None/empty means any. `since` and `until` are aware
    moments (the screen makes them from the local dates the user picked); `until` is exclusive."""

    subject: str = ""  # a subject id or screening number; otherwise any subject whose label contains it
    username: str = ""
    action: str = ""
    since: datetime | None = None
    until: datetime | None = None

    @property
    def empty(self) -> bool:
        return self == TrailFilter()


@dataclass(frozen=True)
class TrailChoices:
    """What the filter's lists offer: the users and actions that occur in the trail."""

    usernames: tuple[str, ...]
    actions: tuple[str, ...]


def _labels(db: Session, label: str) -> list[str]:
    """A subject is audited under its screening number until allocation, then under its subject id."""
    subject = find_subject(db, label)
    return [x for x in (subject.screening_no, subject.subject_id) if x]


def _subject_condition(db: Session, text: str) -> ColumnElement[bool]:
    """One subject (both its labels) when `text` names it; else every subject whose screening number or
    subject id contains `text` ("017"), and any event whose subject label contains it."""
    try:
        return AuditEvent.subject.in_(_labels(db, text))
    except NotFound:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        matching = db.execute(select(Subject.screening_no, Subject.subject_id).where(
            Subject.screening_no.ilike(pattern, escape="\\") | Subject.subject_id.ilike(pattern, escape="\\")))
        labels = {label for row in matching for label in row if label}
        return AuditEvent.subject.in_(labels) | AuditEvent.subject.ilike(pattern, escape="\\")


def _filtered(db: Session, query: Select, where: TrailFilter) -> Select:
    if where.subject.strip():
        query = query.where(_subject_condition(db, where.subject.strip()))
    if where.username:
        query = query.where(AuditEvent.username == where.username)
    if where.action:
        query = query.where(AuditEvent.action == where.action)
    # at_utc is fixed-width UTC text, so comparing texts compares moments
    if where.since is not None:
        query = query.where(AuditEvent.at_utc >= utc_text(where.since))
    if where.until is not None:
        query = query.where(AuditEvent.at_utc < utc_text(where.until))
    return query


def page(session: SiteSession, where: TrailFilter, before_seq: int | None = None, size: int = PAGE) -> list[EventView]:
    """Up to `size` events of the filter, newest first, older than event `before_seq` when given (the next page)."""
    with session.read(Do.READ_AUDIT) as db:
        query = _filtered(db, select(AuditEvent), where)
        if before_seq is not None:
            query = query.where(AuditEvent.seq < before_seq)
        return [_view(e) for e in db.scalars(query.order_by(AuditEvent.seq.desc()).limit(size))]


def count(session: SiteSession, where: TrailFilter) -> int:
    with session.read(Do.READ_AUDIT) as db:
        return db.scalar(_filtered(db, select(func.count()).select_from(AuditEvent), where)) or 0


def choices(session: SiteSession) -> TrailChoices:
    with session.read(Do.READ_AUDIT) as db:
        users = db.scalars(select(AuditEvent.username).distinct().order_by(AuditEvent.username))
        actions = db.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
        return TrailChoices(tuple(u for u in users if u), tuple(actions))


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
