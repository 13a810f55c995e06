"""One read model of monitoring for the screens: per form instance, rolled up per visit and per subject, its
source data verification ("n of m verified"), open or answered queries, signature state and lock. Used by the
subject matrix, the SDV matrix, the subject page, the form header and the investigator's "ready for signature"
list, so every screen shows the same states.

Built with a fixed handful of queries whatever the number of subjects (no per-subject round trips): the marks,
locks, queries and signatures are read in bulk and joined in Python. Nothing here writes."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ecrf.services import sdv
from ecrf.services.locks import PENDING_QUERY_STATES
from ecrf.services.permissions import Do
from ecrf.services.sdv import SdvSummary, roll_up
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef, find_subject
from ecrf.store.models import FormInstance, ItemValue, LockRow, QueryRow, SdvMark, SignatureRow, Subject
from ecrf.study.codec import from_text
from ecrf.study.model import Study
from ecrf.study.place import Place
from ecrf.study.status import FormStatus, Scope, SdvState, SignatureState

FormKey = tuple[str, str, str, int]  # visit ('' for a log entry), form, timepoint, repeat


@dataclass(frozen=True)
class MonitoringState:
    """What a symbol on the matrix, the subject page or the form header shows."""

    sdv: SdvSummary = sdv.NOT_REQUIRED
    queries: int = 0  # open or answered: waiting for the site or for the monitor
    signature: SignatureState | None = None  # valid or broken signature covering it; None: not signed
    locked: bool = False
    complete: bool = False  # forms: saved as complete; visits and subjects: every form they hold is


@dataclass(frozen=True)
class SubjectMonitoring:
    forms: Mapping[FormKey, MonitoringState]
    visits: Mapping[str, MonitoringState]  # visit '' holds the log entries
    subject: MonitoringState


def form_states(session: SiteSession, subject_label: str) -> SubjectMonitoring:
    """One subject: every form instance, each visit, and the subject as a whole."""
    with session.read(Do.READ_DATA) as db:
        subject = find_subject(db, subject_label)
        facts = _Facts.read(db, session.study, subject.id)
        forms = facts.form_states(subject.id)
        return SubjectMonitoring(forms, _visits(forms, facts, subject.id), _subject(forms, facts, subject.id))


def instance_state(db: Session, subject_pk: int, ref: FormRef, summary: SdvSummary, complete: bool) -> MonitoringState:
    """A saved form instance's state as `form_states` gives it, read for that form alone, given its SDV summary:
    its pending queries, signature and lock."""
    key: FormKey = (ref.visit, ref.form, ref.timepoint, ref.repeat)
    place = Place(*key)
    return MonitoringState(summary, _pending_at(db, subject_pk, key),
                           _signature_over(place, _signatures(db, subject_pk)[subject_pk]),
                           any(lock.contains(place) for lock in _locks(db, subject_pk)[subject_pk]), complete)


def _pending_at(db: Session, subject_pk: int, key: FormKey) -> int:
    visit, form, timepoint, repeat = key
    return db.scalar(select(func.count()).select_from(QueryRow).where(
        QueryRow.subject_pk == subject_pk, QueryRow.visit_code == visit, QueryRow.form_code == form,
        QueryRow.timepoint == timepoint, QueryRow.repeat == repeat,
        QueryRow.state.in_(PENDING_QUERY_STATES))) or 0


def matrix_states(session: SiteSession) -> dict[tuple[str, str], MonitoringState]:
    """Every subject x visit (visit '' for the log entries), keyed by (subject label, visit code); a visit without
    any form entered has no key unless a query asks about it. The SDV matrix and the subject matrix read this.

    Whole visits only: the forms are summed in the database (their SDV counts are kept on the form rows at each
    save); only rows saved before the counts were kept are worked out one by one. A visit is locked when a visit
    or subject lock covers it (form locks show on the subject page)."""
    study = session.study
    with session.read(Do.READ_DATA) as db:
        labels = {pk: sid or sno for pk, sid, sno in db.execute(
            select(Subject.id, Subject.subject_id, Subject.screening_no))}
        totals = _visit_totals(db)
        for key, parts in _uncounted_visit_parts(db, study).items():
            count, complete, summary = totals.get(key, (0, 0, sdv.NOT_REQUIRED))
            totals[key] = (count + parts[0], complete + parts[1], roll_up([summary, parts[2]]))
        queries = _visit_queries(db)
        locks, signatures = _locks(db, None), _signatures(db, None)
        matrix = {}
        for (pk, visit), (count, complete, summary) in totals.items():
            places = locks.get(pk, [])
            matrix[(labels[pk], visit)] = MonitoringState(
                summary, queries.get((pk, visit), 0), _visit_signature(visit, count, signatures.get(pk, [])),
                bool(visit) and any(lock.contains(Place(visit)) for lock in places) or
                any(lock.scope is Scope.SUBJECT for lock in places), complete == count)
        for (pk, visit), count in queries.items():  # a visit whose forms were never started, asked about
            if visit and (labels[pk], visit) not in matrix:
                places = locks.get(pk, [])
                matrix[(labels[pk], visit)] = MonitoringState(queries=count, locked=any(
                    lock.contains(Place(visit)) or lock.scope is Scope.SUBJECT for lock in places))
        return matrix


def _conditional_forms(study: Study) -> set[str]:
    """Forms whose SDV rule, at some visit or as a log, depends on the form's values (`when`)."""
    return {code for code in study.forms
            if any(sdv.needs_values(study, visit, code) for visit in ("", *(v.code for v in study.visits)))}


def _visit_totals(db: Session) -> dict[tuple[int, str], tuple[int, int, SdvSummary]]:
    """(subject pk, visit) -> (forms, forms complete, SDV), summed in the database over the form rows whose
    number of items to verify was kept at their last save."""
    fi = FormInstance
    required = fi.sdv_required
    query = select(fi.subject_pk, fi.visit_code, func.count(),
                   func.sum(case((fi.status == FormStatus.COMPLETE, 1), else_=0)), func.sum(required),
                   func.sum(func.min(fi.sdv_verified, required)), func.sum(func.min(fi.sdv_changed, required))
                   ).where(fi.deleted.is_(False), required.is_not(None)).group_by(fi.subject_pk, fi.visit_code)
    totals = {}
    for pk, visit, count, complete, needed, verified, changed in db.execute(query):
        summary = sdv.NOT_REQUIRED if not needed else SdvSummary(
            SdvState.CHANGED if changed else SdvState.VERIFIED if verified >= needed else SdvState.NOT_VERIFIED,
            verified, needed, changed)
        totals[(pk, visit)] = (count, complete, summary)
    return totals


def _uncounted_visit_parts(db: Session, study: Study) -> dict[tuple[int, str], tuple[int, int, SdvSummary]]:
    """The same for the form rows whose count was never kept (saved before it was), worked out form by form
    (a `when` rule on the values it reads); the marks are counted from the form rows too."""
    fi = FormInstance
    rows = db.execute(select(fi.id, fi.subject_pk, fi.visit_code, fi.form_code, fi.status, fi.sdv_verified,
                             fi.sdv_changed).where(fi.deleted.is_(False), fi.sdv_required.is_(None))).all()
    conditional = _conditional_forms(study)
    values = _values_of(db, study, {row[0]: row[3] for row in rows if row[3] in conditional})
    parts: dict[tuple[int, str], list[Any]] = {}
    required_for = _RequiredMemo(study)
    for form_pk, pk, visit, form, status, verified, changed in rows:
        needed = len(required_for(visit, form, values.get(form_pk, {})))
        verified, changed = min(verified, needed), min(changed, needed)
        summary = sdv.NOT_REQUIRED if not needed else SdvSummary(
            SdvState.CHANGED if changed else SdvState.VERIFIED if verified == needed else SdvState.NOT_VERIFIED,
            verified, needed, changed)
        part = parts.setdefault((pk, visit), [0, 0, []])
        part[0] += 1
        part[1] += status == FormStatus.COMPLETE
        part[2].append(summary)
    return {key: (count, complete, roll_up(summaries)) for key, (count, complete, summaries) in parts.items()}


def _values_of(db: Session, study: Study, forms: dict[int, str], chunk: int = 5000) -> dict[int, dict[str, Any]]:
    """Typed values of the items the `when` conditions read, for these form rows (pk -> form code), looked up
    by the (form_pk, item_code) index in chunks (no second scan of the forms)."""
    plan = study.monitoring.sdv
    whens = [rule.when for rule in (plan.default, *plan.forms.values(), *plan.visits.values()) if rule.when is not None]
    items = sorted({code for when in whens for code in when.local_refs()})
    values: dict[int, dict[str, Any]] = defaultdict(dict)
    pks = sorted(forms)
    for start in range(0, len(pks), chunk):
        query = select(ItemValue.form_pk, ItemValue.item_code, ItemValue.value, ItemValue.missing).where(
            ItemValue.form_pk.in_(pks[start:start + chunk]), ItemValue.item_code.in_(items))
        for form_pk, item, value, missing in db.execute(query):
            form = study.form(forms[form_pk])
            if form.has_item(item):
                values[form_pk][item] = from_text(form.item(item), value, missing)
    return values


class _RequiredMemo:
    """`sdv.required_items` remembered per (visit, form, values its `when` reads): thousands of adverse events
    share a handful of seriousness / grade combinations, so each condition is evaluated a few times only."""

    def __init__(self, study: Study) -> None:
        self.study = study
        self.known: dict[tuple[str, str, tuple[Any, ...]], tuple[str, ...]] = {}
        self.reads: dict[tuple[str, str], tuple[str, ...]] = {}

    def __call__(self, visit: str, form: str, values: dict[str, Any]) -> tuple[str, ...]:
        if (visit, form) not in self.reads:
            when = self.study.monitoring.sdv.rule(visit, form).when
            self.reads[(visit, form)] = when.local_refs() if when is not None else ()
        reads = self.reads[(visit, form)]
        key = (visit, form, tuple(repr(values.get(code)) for code in reads))
        if key not in self.known:
            self.known[key] = sdv.required_items(self.study, visit, form, values)
        return self.known[key]


def _visit_queries(db: Session) -> dict[tuple[int, str], int]:
    query = select(QueryRow.subject_pk, QueryRow.visit_code, func.count()).where(
        QueryRow.state.in_(PENDING_QUERY_STATES)).group_by(QueryRow.subject_pk, QueryRow.visit_code)
    return {(pk, visit): count for pk, visit, count in db.execute(query)}


def _visit_signature(visit: str, forms: int, signatures: list[tuple[Place, SignatureState]]) -> SignatureState | None:
    """A visit is signed when a valid signature covers it whole (subject or visit) or each of its forms;
    broken when a broken one covers part of it and no valid one heals it."""
    if not signatures:
        return None
    whole = {state for where, state in signatures if visit and where.contains(Place(visit))
             or where.scope is Scope.SUBJECT}
    if SignatureState.VALID in whole:
        return SignatureState.VALID
    inside: dict[Place, set[SignatureState]] = defaultdict(set)
    for where, state in signatures:
        if where.scope is Scope.FORM and where.visit == visit:
            inside[where].add(state)
    if SignatureState.BROKEN in whole or any(states == {SignatureState.BROKEN} for states in inside.values()):
        return SignatureState.BROKEN
    signed = sum(SignatureState.VALID in states for states in inside.values())
    return SignatureState.VALID if forms and signed >= forms else None


def subject_totals(matrix: Mapping[tuple[str, str], MonitoringState]) -> dict[str, MonitoringState]:
    """The matrix rolled up per subject (lock and signature as in `roll_up_states`)."""
    by_subject: dict[str, list[MonitoringState]] = defaultdict(list)
    for (label, _), state in matrix.items():
        by_subject[label].append(state)
    return {label: roll_up_states(states) for label, states in by_subject.items()}


def roll_up_states(parts: Iterable[MonitoringState], *, locked: bool | None = None,
                   signature: SignatureState | None = None) -> MonitoringState:
    """Several places as one: SDV rolled up, queries added; locked when every part is (or `locked`); signed
    when every part is (broken when any part is), unless `signature` (a signature over the whole) is given."""
    parts = list(parts)
    if not parts:
        return MonitoringState(locked=bool(locked), signature=signature)
    states = {p.signature for p in parts}
    if signature is None:
        signature = SignatureState.BROKEN if SignatureState.BROKEN in states else \
            SignatureState.VALID if states == {SignatureState.VALID} else None
    return MonitoringState(roll_up(p.sdv for p in parts), sum(p.queries for p in parts), signature,
                           all(p.locked for p in parts) if locked is None else locked,
                           all(p.complete for p in parts))


# -- the bulk read ---------------------------------------------------------------------------------------

@dataclass
class _Facts:
    study: Study
    labels: dict[int, str]
    instances: dict[int, list[tuple[int, FormKey, str]]]  # subject pk -> (form pk, key, status)
    marks: dict[int, dict[str, str]]  # form pk -> item -> verified / changed
    values: dict[int, dict[str, Any]]  # form pk -> typed values (only forms whose SDV rule has a `when`)
    queries: dict[int, dict[FormKey, int]]  # subject pk -> place -> open or answered count
    locks: dict[int, list[Place]]
    signatures: dict[int, list[tuple[Place, SignatureState]]]
    _required: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def read(cls, db: Session, study: Study, subject_pk: int | None) -> _Facts:
        def only(query: Any, column: Any) -> Any:
            return query if subject_pk is None else query.where(column == subject_pk)

        labels = {pk: sid or sno for pk, sid, sno in db.execute(
            only(select(Subject.id, Subject.subject_id, Subject.screening_no), Subject.id))}
        instances: dict[int, list[tuple[int, FormKey, str]]] = defaultdict(list)
        for pk, spk, visit, form, tp, repeat, status in db.execute(only(select(
                FormInstance.id, FormInstance.subject_pk, FormInstance.visit_code, FormInstance.form_code,
                FormInstance.timepoint, FormInstance.repeat, FormInstance.status)
                .where(FormInstance.deleted.is_(False)), FormInstance.subject_pk)):
            instances[spk].append((pk, (visit, form, tp, repeat), status))
        marks: dict[int, dict[str, str]] = defaultdict(dict)
        mark_query = select(SdvMark.form_pk, SdvMark.item_code, SdvMark.state).where(
            SdvMark.state.in_(tuple(sdv.MARKED)))
        if subject_pk is not None:
            mark_query = mark_query.join(FormInstance, FormInstance.id == SdvMark.form_pk).where(
                FormInstance.subject_pk == subject_pk)
        for form_pk, item, state in db.execute(mark_query):
            marks[form_pk][item] = state
        return cls(study, labels, instances, marks, _conditional_values(db, study, subject_pk),
                   _pending_queries(db, subject_pk), _locks(db, subject_pk), _signatures(db, subject_pk))

    def required(self, form_pk: int, visit: str, form: str) -> tuple[str, ...]:
        if sdv.needs_values(self.study, visit, form):
            return sdv.required_items(self.study, visit, form, self.values.get(form_pk, {}))
        key = (visit, form)
        if key not in self._required:
            self._required[key] = sdv.required_items(self.study, visit, form, None)
        return self._required[key]

    def form_states(self, subject_pk: int) -> dict[FormKey, MonitoringState]:
        locks, signatures = self.locks.get(subject_pk, []), self.signatures.get(subject_pk, [])
        queries = self.queries.get(subject_pk, {})
        states = {}
        for form_pk, key, status in self.instances.get(subject_pk, []):
            place = Place(*key)
            required = self.required(form_pk, key[0], key[1])
            states[key] = MonitoringState(
                sdv.form_summary(required, self.marks.get(form_pk, {})) if required else sdv.NOT_REQUIRED,
                queries.get(key, 0), _signature_over(place, signatures),
                any(lock.contains(place) for lock in locks), status == FormStatus.COMPLETE)
        return states


def _visits(forms: Mapping[FormKey, MonitoringState], facts: _Facts, subject_pk: int) -> dict[str, MonitoringState]:
    by_visit: dict[str, list[MonitoringState]] = defaultdict(list)
    for key, state in forms.items():
        by_visit[key[0]].append(state)
    locks = facts.locks.get(subject_pk, [])
    visit_queries = facts.queries.get(subject_pk, {})
    result = {}
    for visit, states in by_visit.items():
        rolled = roll_up_states(states, locked=any(lock.contains(Place(visit)) for lock in locks) if visit else None)
        extra = visit_queries.get((visit, "", "", 0), 0) if visit else 0  # queries on the visit as a whole
        result[visit] = MonitoringState(rolled.sdv, rolled.queries + extra, rolled.signature, rolled.locked,
                                        rolled.complete)
    unstarted: dict[str, int] = defaultdict(int)  # a visit whose forms were never started ("forms not started"
    for (visit, _, _, _), count in visit_queries.items():  # asks about it) shows its queries too
        if visit and visit not in by_visit:
            unstarted[visit] += count
    for visit, count in unstarted.items():
        result[visit] = MonitoringState(queries=count, locked=any(lock.contains(Place(visit)) for lock in locks))
    return result


def _subject(forms: Mapping[FormKey, MonitoringState], facts: _Facts, subject_pk: int) -> MonitoringState:
    locked = any(lock.scope is Scope.SUBJECT for lock in facts.locks.get(subject_pk, []))
    return roll_up_states(_visits(forms, facts, subject_pk).values(), locked=locked)


def _signature_over(place: Place, signatures: list[tuple[Place, SignatureState]]) -> SignatureState | None:
    """Valid when a valid signature covers the place (a re-signature heals an older broken one), broken when
    only broken ones do."""
    covering = {state for where, state in signatures if where.contains(place)}
    if SignatureState.VALID in covering:
        return SignatureState.VALID
    return SignatureState.BROKEN if covering else None


def _conditional_values(db: Session, study: Study, subject_pk: int | None) -> dict[int, dict[str, Any]]:
    """Typed values of the items `when` conditions read, for the forms whose rule has one (e.g. serious or
    severe adverse events): one query for all of them."""
    plan = study.monitoring.sdv
    whens = [rule.when for rule in (plan.default, *plan.forms.values(), *plan.visits.values()) if rule.when is not None]
    items = {code for when in whens for code in when.local_refs()}
    forms = {code for code in study.forms if any(sdv.needs_values(study, v.code, code) for v in study.visits)
             or sdv.needs_values(study, "", code)}
    if not items or not forms:
        return {}
    instances = select(FormInstance.id).where(FormInstance.form_code.in_(sorted(forms)),
                                              FormInstance.deleted.is_(False))
    if subject_pk is not None:
        instances = instances.where(FormInstance.subject_pk == subject_pk)
    # By form and item through the (form_pk, item_code) index: never a scan of every value of the site.
    query = select(ItemValue.form_pk, FormInstance.form_code, ItemValue.item_code, ItemValue.value,
                   ItemValue.missing).join(FormInstance, FormInstance.id == ItemValue.form_pk).where(
        ItemValue.form_pk.in_(instances.scalar_subquery()), ItemValue.item_code.in_(sorted(items)))
    values: dict[int, dict[str, Any]] = defaultdict(dict)
    for form_pk, form_code, item, value, missing in db.execute(query):
        form = study.form(form_code)
        if form.has_item(item):
            values[form_pk][item] = from_text(form.item(item), value, missing)
    return values


def _pending_queries(db: Session, subject_pk: int | None) -> dict[int, dict[FormKey, int]]:
    query = select(QueryRow.subject_pk, QueryRow.visit_code, QueryRow.form_code, QueryRow.timepoint,
                   QueryRow.repeat, func.count()).where(QueryRow.state.in_(PENDING_QUERY_STATES)).group_by(
        QueryRow.subject_pk, QueryRow.visit_code, QueryRow.form_code, QueryRow.timepoint, QueryRow.repeat)
    if subject_pk is not None:
        query = query.where(QueryRow.subject_pk == subject_pk)
    counts: dict[int, dict[FormKey, int]] = defaultdict(dict)
    for spk, visit, form, tp, repeat, count in db.execute(query):
        counts[spk][(visit, form, tp, repeat)] = count
    return counts


def _locks(db: Session, subject_pk: int | None) -> dict[int, list[Place]]:
    query = select(LockRow.subject_pk, LockRow.visit_code, LockRow.form_code, LockRow.timepoint,
                   LockRow.repeat).where(LockRow.active.is_(True))
    if subject_pk is not None:
        query = query.where(LockRow.subject_pk == subject_pk)
    result: dict[int, list[Place]] = defaultdict(list)
    for spk, visit, form, timepoint, repeat in db.execute(query):
        result[spk].append(Place(visit, form, timepoint, repeat))
    return result


def _signatures(db: Session, subject_pk: int | None) -> dict[int, list[tuple[Place, SignatureState]]]:
    query = select(SignatureRow.subject_pk, SignatureRow.visit_code, SignatureRow.form_code,
                   SignatureRow.timepoint, SignatureRow.repeat, SignatureRow.state)
    if subject_pk is not None:
        query = query.where(SignatureRow.subject_pk == subject_pk)
    result: dict[int, list[tuple[Place, SignatureState]]] = defaultdict(list)
    for spk, visit, form, tp, repeat, state in db.execute(query):
        result[spk].append((Place(visit, form, tp, repeat), SignatureState(state)))
    return result
