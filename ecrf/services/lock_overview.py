"""The site's locks for those who lock without reading the data (the site administrator's Locks tab): every lock in
force with its subject, and, to choose what to lock, the subjects and the places of each one's record. Places and
labels only: no clinical value, no form status (DESIGN.md, Workflow and roles: the administrator locks too)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ecrf.services.expected import expected_forms
from ecrf.services.locks import LockInfo
from ecrf.services.permissions import Do
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import find_subject
from ecrf.store.models import FormInstance, LockRow, Subject
from ecrf.study.place import Place


@dataclass(frozen=True)
class SiteLock(LockInfo):
    """A lock in force with its subject (`id` is what `locks.unlock` takes)."""

    subject: str = ""


def site_locks(session: SiteSession) -> list[SiteLock]:
    """Every lock in force at the site, subject by subject (in the order they were screened), each subject's
    locks in the order they were made."""
    with session.read(Do.LOCK) as db:
        rows = db.execute(select(LockRow, Subject).join(Subject, Subject.id == LockRow.subject_pk)
                          .where(LockRow.active.is_(True)).order_by(Subject.id, LockRow.id))
        return [SiteLock(row.id, Place(row.visit_code, row.form_code, row.timepoint, row.repeat), row.locked_at,
                         row.locked_by, subject=subject.label) for row, subject in rows]


def subject_labels(session: SiteSession) -> list[str]:
    """Every subject of the site by the label people use (subject id, or the screening number before), in the
    order they were screened."""
    with session.read(Do.LOCK) as db:
        return [subject.label for subject in db.scalars(select(Subject).order_by(Subject.id))]


def lock_places(session: SiteSession, subject_label: str) -> list[Place]:
    """The form places of a subject's record that could be locked: what the schedule expects (visit by visit) and
    any form entered besides (log entries, forms of a visit no longer expected); visit by visit, log entries last."""
    with session.read(Do.LOCK) as db:
        subject = find_subject(db, subject_label)
        places = expected_forms(session.study, subject, Place())
        entered = [Place(i.visit_code, i.form_code, i.timepoint, i.repeat) for i in db.scalars(
            select(FormInstance).where(FormInstance.subject_pk == subject.id, FormInstance.deleted.is_(False))
            .order_by(FormInstance.id))]
    visits = {visit.code: n for n, visit in enumerate(session.study.visits)}
    known = set(places)
    places += [p for p in dict.fromkeys(entered) if p not in known]
    # Stable: the schedule's order within a visit, what was entered besides after it, log entries last.
    return sorted(places, key=lambda p: (p.visit == "", visits.get(p.visit, len(visits))))
