"""Locks on forms, visits and subjects, and the site's freeze and lock.

An investigator or the site administrator locks a form, a visit or a subject once it is in order (what "in
order" means is the monitoring plan's `lock.needs`: complete, queries closed, SDV done); nobody changes locked
data. Unlocking needs a reason and breaks the signatures in its scope (the data may change again). A lock row
is never deleted: unlocking keeps it with who, when and why.

The site as a whole is open, frozen (no data entry; queries are answered and data verified) or locked
(nothing but reading and export)."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecrf.errors import Localized
from ecrf.services import sdv
from ecrf.services.errors import InvalidInput, NotFound, ServiceError, WrongState
from ecrf.services.expected import expected_forms
from ecrf.services.permissions import Do
from ecrf.services.session import SiteSession, Tx
from ecrf.services.signature_breaks import break_signatures_within
from ecrf.services.site_state import data_entry_refusal, refuse_if_site_locked, site_state
from ecrf.services.subject_data import FormRef, find_subject, typed_values
from ecrf.store.audit import Change
from ecrf.store.models import FormInstance, FormStatus, LockRow, QueryRow, SdvMark, Site, Subject
from ecrf.study.model import Study
from ecrf.study.monitoring import LockNeed
from ecrf.study.parsing import has_broken_character
from ecrf.study.place import Place
from ecrf.study.status import QueryState, Scope, SdvState, SiteState, query_number

__all__ = ["LockInfo", "active_locks", "change_refusal", "freeze_site", "lock", "lock_site", "refuse_change",
           "refuse_if_site_locked", "reopen_site", "unlock"]

PENDING_QUERY_STATES = (QueryState.OPEN, QueryState.ANSWERED)


# -- refusing changes ------------------------------------------------------------------------------------

def change_refusal(db: Session, subject: Subject, ref: FormRef,
                   active: Sequence[LockRow] | None = None) -> ServiceError | None:
    """Why clinical data at `ref` (a form, or the subject itself with form '') cannot be changed now: the site
    is frozen or locked, or a lock covers it; None when it can. The form editor asks this up front to open
    read-only. `active`: the subject's active locks when the caller has them (a batch of saves reads them once)."""
    refusal = data_entry_refusal(db)
    if refusal is not None:
        return refusal
    place = Place.of_ref(ref)
    locks = _active(db, subject) if active is None else [lock for lock in active if lock.active]
    covering = [lock for lock in locks if _place(lock).contains(place)]
    if not covering:
        return None
    if place.scope is Scope.SUBJECT:
        return WrongState("subject-locked", label=subject.label)
    if not ref.visit:
        return WrongState("log-entry-locked", form=ref.form, repeat=ref.repeat, label=subject.label)
    return WrongState("form-locked", ref=ref)


def refuse_change(tx: Tx, subject: Subject, ref: FormRef, active: Sequence[LockRow] | None = None) -> None:
    refusal = change_refusal(tx.db, subject, ref, active)
    if refusal is not None:
        raise refusal


def _active(db: Session, subject: Subject) -> list[LockRow]:
    return list(db.scalars(select(LockRow).where(LockRow.subject_pk == subject.id, LockRow.active.is_(True))
                           .order_by(LockRow.id)))


def _place(lock: LockRow) -> Place:
    return Place(lock.visit_code, lock.form_code, lock.timepoint, lock.repeat)


# -- reading the locks -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class LockInfo:
    id: int
    place: Place
    locked_at: str
    locked_by: str

    @property
    def scope(self) -> Scope:
        return self.place.scope


def active_locks(session: SiteSession, subject_label: str) -> list[LockInfo]:
    """The subject's locks in force, for those who lock and unlock (the site administrator sees no clinical data,
    but may lift a lock); everyone else sees locks in `monitoring_view`."""
    with session.read(Do.LOCK) as db:
        subject = find_subject(db, subject_label)
        return [LockInfo(row.id, _place(row), row.locked_at, row.locked_by) for row in _active(db, subject)]


# -- locking and unlocking -------------------------------------------------------------------------------

def lock(session: SiteSession, subject_label: str, scope: Scope, *, visit: str = "",
         ref: FormRef | None = None) -> int:
    """Lock a form (`ref`), a visit (`visit`) or the whole subject; returns the lock's id. Refused, with what
    is missing, unless the scope meets the plan's `lock.needs`."""
    place = _lock_place(session.study, scope, visit, ref)
    with session.write(Do.LOCK) as tx:
        refuse_if_site_locked(tx)
        subject = find_subject(tx.db, subject_label)
        if any(_place(row).contains(place) for row in _active(tx.db, subject)):
            raise WrongState("already-locked", label=subject.label, place=_localized_place(place))
        missing = lock_missing(tx.db, session.study, subject, place)
        if missing:
            raise WrongState("lock-needs-unmet", label=subject.label, place=_localized_place(place),
                             missing=Localized("; ".join(en for en, _ in missing), "；".join(zh for _, zh in missing)))
        row = LockRow(subject_pk=subject.id, scope=place.scope, visit_code=place.visit, form_code=place.form,
                      timepoint=place.timepoint, repeat=place.repeat, locked_at=tx.now_text(),
                      locked_by=tx.actor.username, active=True)
        tx.db.add(row)
        tx.db.flush()
        tx.audit(Change("locked", **_audit_place(subject, place), old_value="unlocked", new_value="locked"))
        return row.id


def unlock(session: SiteSession, lock_id: int, reason: str) -> list[int]:
    """Lift a lock (the reason goes in the audit trail); the valid signatures over data in its scope break,
    since the data may change again. Returns the ids of the signatures broken."""
    reason = _reason(reason, "unlock-reason-required")
    with session.write(Do.LOCK) as tx:
        refuse_if_site_locked(tx)
        row = tx.db.get(LockRow, lock_id)
        if row is None or not row.active:
            raise NotFound("lock-not-found", id=lock_id)
        subject = tx.db.get(Subject, row.subject_pk)
        assert subject is not None
        row.active, row.unlocked_at, row.unlocked_by, row.unlock_reason = \
            False, tx.now_text(), tx.actor.username, reason
        tx.audit(Change("unlocked", **_audit_place(subject, _place(row)), old_value="locked", new_value="unlocked",
                        reason=reason))
        return [sig.id for sig in break_signatures_within(tx, subject, _place(row), f"unlocked: {reason}")]


def _lock_place(study: Study, scope: Scope, visit: str, ref: FormRef | None) -> Place:
    if scope is Scope.FORM:
        if ref is None or ref.form not in study.forms:
            raise InvalidInput("form-unknown", form=ref.form if ref else "")
        return Place.of_ref(ref)
    if scope is Scope.VISIT:
        if visit not in {v.code for v in study.visits}:
            raise InvalidInput("visit-unknown", visit=visit)
        return Place(visit)
    if scope is Scope.SUBJECT:
        return Place()
    raise InvalidInput("lock-scope-invalid", scope=scope)


def _audit_place(subject: Subject, place: Place) -> dict[str, Any]:
    return {"subject": subject.label, "visit": place.visit or None, "form": place.form or None,
            "timepoint": place.timepoint or None, "repeat": place.repeat or None}


def _localized_place(place: Place) -> Localized:
    if place.scope is Scope.SUBJECT:
        return Localized("the whole subject", "整个受试者")
    if place.scope is Scope.VISIT:
        return Localized(f"visit {place.visit}", f"访视 {place.visit}")
    return Localized(str(place), str(place))


def _reason(reason: str, code: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(code)
    if has_broken_character(reason):
        raise InvalidInput("monitoring-reason-broken-character")
    return reason


# -- what a lock needs -------------------------------------------------------------------------------------

def lock_missing(db: Session, study: Study, subject: Subject, place: Place) -> list[tuple[str, str]]:
    """What keeps `place` from being locked, as (English, Chinese) phrases; empty when it can be locked."""
    needs = study.monitoring.lock.needs
    instances = [i for i in db.scalars(select(FormInstance).where(
        FormInstance.subject_pk == subject.id, FormInstance.deleted.is_(False)).order_by(FormInstance.id))
        if place.contains(Place(i.visit_code, i.form_code, i.timepoint, i.repeat))]
    missing: list[tuple[str, str]] = []
    if LockNeed.COMPLETE in needs:
        missing += _not_complete(study, subject, place, instances)
    if LockNeed.QUERIES_CLOSED in needs:
        missing += _queries_pending(db, subject, place)
    if LockNeed.SDV_DONE in needs:
        missing += _sdv_pending(db, study, instances)
    return missing


def _not_complete(study: Study, subject: Subject, place: Place,
                  instances: list[FormInstance]) -> list[tuple[str, str]]:
    status = {Place(i.visit_code, i.form_code, i.timepoint, i.repeat): i.status for i in instances}
    expected = expected_forms(study, subject, place)
    wanted = expected + [p for p in status if p not in expected]
    missing = [str(p) for p in wanted if status.get(p, FormStatus.NOT_STARTED) != FormStatus.COMPLETE]
    if not missing:
        return []
    listed = ", ".join(missing)
    return [(f"not complete: {listed}", f"未完成：{listed}")]


def _queries_pending(db: Session, subject: Subject, place: Place) -> list[tuple[str, str]]:
    rows = db.scalars(select(QueryRow).where(QueryRow.subject_pk == subject.id,
                                             QueryRow.state.in_(PENDING_QUERY_STATES)).order_by(QueryRow.id))
    pending = [query_number(row.id) for row in rows
               if place.contains(Place(row.visit_code, row.form_code, row.timepoint, row.repeat))]
    if not pending:
        return []
    listed = ", ".join(pending)
    return [(f"{len(pending)} open or answered quer{'y' if len(pending) == 1 else 'ies'}: {listed}",
             f"{len(pending)} 条未关闭的质疑：{listed}")]


def _sdv_pending(db: Session, study: Study, instances: Iterable[FormInstance]) -> list[tuple[str, str]]:
    pending = []
    for instance in instances:
        if instance.form_code not in study.forms:
            continue
        form = study.form(instance.form_code)
        required = sdv.required_items(study, instance.visit_code, form.code, typed_values(form, instance.values))
        if not required:
            continue
        marks = {m.item_code: m.state for m in db.scalars(select(SdvMark).where(SdvMark.form_pk == instance.id))}
        summary = sdv.form_summary(required, marks)
        if summary.state is not SdvState.VERIFIED:
            where = Place(instance.visit_code, instance.form_code, instance.timepoint, instance.repeat)
            pending.append(f"{where} ({summary.verified} of {summary.required})")
    if not pending:
        return []
    listed = ", ".join(pending)
    return [(f"source data verification not done: {listed}", f"源数据核查未完成：{listed}")]


# -- the site's state --------------------------------------------------------------------------------------

def freeze_site(session: SiteSession, reason: str) -> None:
    """No more data entry (before the final export); queries are still answered and data verified."""
    _set_site_state(session, SiteState.FROZEN, "site_frozen", reason)


def lock_site(session: SiteSession, reason: str) -> None:
    """Nothing but reading and export from now on."""
    _set_site_state(session, SiteState.LOCKED, "site_locked", reason)


def reopen_site(session: SiteSession, reason: str) -> None:
    _set_site_state(session, SiteState.OPEN, "site_reopened", reason)


def current_site_state(session: SiteSession) -> SiteState:
    """Anyone logged in may know it (the banner says why entry is refused)."""
    with session.read(Do.CHANGE_OWN_PASSWORD) as db:
        return site_state(db)


def _set_site_state(session: SiteSession, state: SiteState, action: str, reason: str) -> None:
    reason = _reason(reason, "site-state-reason-required")
    with session.write(Do.FREEZE_SITE) as tx:
        site = tx.db.get(Site, 1)
        assert site is not None
        if site.state == state:
            raise WrongState("site-state-unchanged", state=Localized(state.value, _STATE_ZH[state]))
        tx.audit(Change(action, old_value=site.state, new_value=state, reason=reason))
        site.state = state


_STATE_ZH = {SiteState.OPEN: "开放", SiteState.FROZEN: "冻结", SiteState.LOCKED: "锁定"}
