"""Queries the eCRF raises by itself, as the monitoring plan asks (`study.monitoring.auto_queries`):

- a soft warning confirmed at entry on a listed form raises a query on its item (check_key = the finding's key),
  once per check and place: never a second while one for the same key and place is open or answered;
- required items still empty some days after the visit window closed raise a query per form instance, or one
  per visit for the forms never started (check_key `overdue`), once per place.

They close themselves when a save clears the check or fills the data. One answered "the data were fixed" whose
check still fails re-opens: after the next save, or at once when the answer changed nothing. The messages are the
eCRF's (author `ecrf`) and carry both languages, since the thread is read by users of either."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, bindparam, or_, select
from sqlalchemy.orm import Session

from ecrf.services import locks
from ecrf.services import query_steps as queries
from ecrf.services.errors import ServiceError
from ecrf.services.permissions import Do, may
from ecrf.services.query_steps import ACTIVE, OVERDUE_KEY, QueryPlace
from ecrf.services.session import SiteSession, Tx
from ecrf.services.subject_data import FormRef, load_subject_data, typed_values
from ecrf.store.models import FormInstance, FormStatus, QueryRow, Subject, VisitRow
from ecrf.study.findings import Finding
from ecrf.study.model import Form, Study
from ecrf.study.status import QueryOrigin, QueryState, ResponseCode
from ecrf.study.subject import Where
from ecrf.study.validate import FormCheck, validate_form

# Answers that say the data were corrected: if the check still fails after a save, the query re-opens. An answer
# that the value is right as it is (confirmed correct, wrong source, other) leaves the decision to the monitor.
FIX_CLAIMS = frozenset({ResponseCode.TYPING_ERROR, ResponseCode.DATA_MISSING})

CLEARED = "The new value clears the check.\n新的数值已消除该核查提示。"
STILL_FAILS = ("The answer said the data were corrected, but the check still fails after the save.\n"
               "回复称数据已更正，但保存后核查仍未通过。")
STILL_FAILS_AT_ANSWER = ("The answer says the data were corrected, but nothing was changed and the check still fails: "
                         "correct the data in the form, or answer again with the correction.\n"
                         "回复称数据已更正，但数据未改动，核查仍未通过：请在表单中更正，或在回复时一并更正。")
FILLED = "The required data are now entered.\n必填数据现已录入。"
NOTHING_MISSING = "Nothing required is missing here any more.\n此处已无缺失的必填数据。"


# -- on every save (called by queries.form_saved, inside the saving transaction) ----------------------------

def after_save(tx: Tx, study: Study, subject: Subject, instance: FormInstance, changed: Collection[str],
               check: FormCheck | None, known: list[QueryRow] | None = None) -> None:
    """`known`: the subject's automatic and overdue queries in any state, when the caller keeps them (a batch of
    saves, `SubjectRecords.auto_queries`): read instead of the database, and a query raised here is added to it."""
    active, visit_overdue = _active_here(tx.db, subject.id, instance, known)
    if check is not None:
        _follow_warnings(tx, study, subject, instance, changed, check,
                         [q for q in active if q.check_key != OVERDUE_KEY], known)
        if not check.incomplete:
            for query in active:
                if query.check_key == OVERDUE_KEY:
                    queries.step(tx, query, subject, "closed", QueryState.CLOSED, FILLED, by_system=True)
    if instance.visit_code:
        _close_visit_query_if_started(tx, study, subject, instance.visit_code, visit_overdue)


def _follow_warnings(tx: Tx, study: Study, subject: Subject, instance: FormInstance, changed: Collection[str],
                     check: FormCheck, active: list[QueryRow], known: list[QueryRow] | None) -> None:
    failing = {f.key for f in check.soft}
    for query in active:
        if query.check_key not in failing:
            queries.step(tx, query, subject, "closed", QueryState.CLOSED, CLEARED, by_system=True)
        elif query.state == QueryState.ANSWERED and _last_response(query) in FIX_CLAIMS:
            queries.step(tx, query, subject, "reopened", QueryState.OPEN, STILL_FAILS, by_system=True)
    if instance.form_code not in study.monitoring.auto_queries.confirmed_warnings:
        return
    still_asking = {q.check_key for q in active if q.state in ACTIVE}
    for finding in check.soft:
        if not finding.confirmed or finding.key in still_asking:
            continue
        # A confirmation carried over from an earlier save was already queried (and perhaps closed by the
        # monitor): only a warning confirmed on values entered now raises a new query.
        if not set(finding.items) & set(changed) and _ever_raised(tx.db, subject.id, instance, finding.key, known):
            continue
        raised = queries.new_query(tx, subject, _place_of(subject, instance, finding), _warning_text(finding),
                                   origin=QueryOrigin.AUTO, check_key=finding.key)
        if known is not None:
            known.append(raised)


def _warning_text(finding: Finding) -> str:
    return f"A warning was confirmed at entry: {finding.text('en')}\n录入时确认了警告：{finding.text('zh')}"


def _place_of(subject: Subject, instance: FormInstance, finding: Finding) -> QueryPlace:
    ref = FormRef(subject.label, instance.visit_code, instance.form_code, instance.timepoint, instance.repeat)
    return QueryPlace.on_item(ref, finding.item) if finding.item else QueryPlace.on_form(ref)


def _last_response(query: QueryRow) -> str | None:
    answers = [m for m in query.messages if m.kind == "answered"]
    return answers[-1].response_code if answers else None


# Built once with parameters (`_here`): every save asks, and building the expressions cost more than running them.
_AT_INSTANCE = and_(QueryRow.subject_pk == bindparam("subject_pk"), QueryRow.visit_code == bindparam("visit"),
                    QueryRow.form_code == bindparam("form"), QueryRow.timepoint == bindparam("timepoint"),
                    QueryRow.repeat == bindparam("repeat"), QueryRow.origin == QueryOrigin.AUTO)
_VISIT_OVERDUE = and_(QueryRow.subject_pk == bindparam("subject_pk"), QueryRow.visit_code == bindparam("visit"),
                      QueryRow.form_code == "", QueryRow.check_key == OVERDUE_KEY)
_ACTIVE_HERE = select(QueryRow).where(or_(_AT_INSTANCE, _VISIT_OVERDUE), QueryRow.state.in_(ACTIVE)) \
    .order_by(QueryRow.id)
_EVER_RAISED = select(QueryRow.id).where(_AT_INSTANCE, QueryRow.check_key == bindparam("key")).limit(1)


def _here(subject_pk: int, instance: FormInstance) -> dict[str, object]:
    return {"subject_pk": subject_pk, "visit": instance.visit_code, "form": instance.form_code,
            "timepoint": instance.timepoint, "repeat": instance.repeat}


def _active_here(db: Session, subject_pk: int, instance: FormInstance,
                 known: list[QueryRow] | None) -> tuple[list[QueryRow], list[QueryRow]]:
    """The active automatic queries on this form instance, and the active overdue queries on its visit as a whole
    (form ''), read in one query (or sifted from the subject's `known` ones as the query does): a save asks for
    both."""
    if known is None:
        rows = list(db.scalars(_ACTIVE_HERE, _here(subject_pk, instance)))
    else:
        rows = [q for q in known if q.state in ACTIVE and (_auto_at(q, instance) or _overdue_on_visit(q, instance))]
    on_visit = [q for q in rows if q.form_code == "" and q.check_key == OVERDUE_KEY]
    return [q for q in rows if q not in on_visit], on_visit


def _ever_raised(db: Session, subject_pk: int, instance: FormInstance, key: str, known: list[QueryRow] | None) -> bool:
    if known is not None:
        return any(_auto_at(q, instance) and q.check_key == key for q in known)
    return db.scalar(_EVER_RAISED, {**_here(subject_pk, instance), "key": key}) is not None


def _auto_at(query: QueryRow, instance: FormInstance) -> bool:
    """`_AT_INSTANCE` on one query of the subject."""
    return query.origin == QueryOrigin.AUTO and (query.visit_code, query.form_code, query.timepoint,
                                                  query.repeat) == (instance.visit_code, instance.form_code,
                                                                    instance.timepoint, instance.repeat)


def _overdue_on_visit(query: QueryRow, instance: FormInstance) -> bool:
    """`_VISIT_OVERDUE` on one query of the subject."""
    return query.visit_code == instance.visit_code and query.form_code == "" and query.check_key == OVERDUE_KEY


def _close_visit_query_if_started(tx: Tx, study: Study, subject: Subject, visit: str,
                                  open_here: list[QueryRow]) -> None:
    if not open_here:
        return
    started = {(i.form_code, i.timepoint) for i in tx.db.scalars(select(FormInstance).where(
        FormInstance.subject_pk == subject.id, FormInstance.visit_code == visit, FormInstance.deleted.is_(False)))}
    if not _unstarted_forms(study, subject.arm, visit, started):
        for query in open_here:
            queries.step(tx, query, subject, "closed", QueryState.CLOSED, FILLED, by_system=True)


# -- on an answer without a correction (called by queries.answer_query, inside its transaction) ---------------

def after_answer(tx: Tx, study: Study, subject: Subject, query: QueryRow, response: ResponseCode) -> None:
    """An automatic query answered "corrected" (typing error, data missing) with nothing changed in the same step:
    if its check still fails, it re-opens at once, not only at the form's next save."""
    if query.origin != QueryOrigin.AUTO or response not in FIX_CLAIMS or query.state != QueryState.ANSWERED:
        return
    if _still_fails(tx.db, study, subject, query, tx.clock.now().date()):
        queries.step(tx, query, subject, "reopened", QueryState.OPEN, STILL_FAILS_AT_ANSWER, by_system=True)


def _still_fails(db: Session, study: Study, subject: Subject, query: QueryRow, today: date) -> bool:
    instances = list(db.scalars(select(FormInstance).where(
        FormInstance.subject_pk == subject.id, FormInstance.visit_code == query.visit_code,
        FormInstance.deleted.is_(False))))
    if not query.form_code:  # an overdue query on a visit: its forms not started
        started = {(i.form_code, i.timepoint) for i in instances}
        return bool(_unstarted_forms(study, subject.arm, query.visit_code, started))
    instance = next((i for i in instances if (i.form_code, i.timepoint, i.repeat)
                     == (query.form_code, query.timepoint, query.repeat)), None)
    if instance is None or instance.form_code not in study.forms:
        return query.check_key == OVERDUE_KEY  # a form still not there is still missing
    check = _form_check(db, study, subject, instance, today)
    if query.check_key == OVERDUE_KEY:
        return bool(check.incomplete)
    return query.check_key in {finding.key for finding in check.soft}


# -- overdue required data (run at login and when the inbox opens) -------------------------------------------

@dataclass(frozen=True)
class _Wanted:
    subject_pk: int
    place: QueryPlace
    text: str


def raise_overdue(session: SiteSession, today: date | None = None) -> int:
    """Raise the queries for required data still empty `missing_after_days` after a visit window closed, and
    close those whose data came in meanwhile; returns how many were raised.

    It writes as the logged-in user (the audit trail says whose login ran it) under the permission to read
    trial data, which every staff role has; for a read-only user, or a site on read-only media, it does nothing.
    It opens a write transaction only when there is something to raise or close."""
    session.require(Do.READ_DATA)
    days = session.study.monitoring.auto_queries.missing_after_days
    role = session.actor.role
    if days is None or session.database.read_only or not (may(role, Do.RAISE_QUERY) or may(role, Do.ANSWER_QUERY)):
        return 0
    today = today or session.clock.now().date()
    with session.read() as db:
        wanted, stale = _overdue_work(db, session.study, today, days)
    if not wanted and not stale:
        return 0
    with session.write(Do.READ_DATA) as tx:
        try:
            locks.refuse_if_site_locked(tx)
        except ServiceError:
            return 0  # a locked site takes no new query; nothing to tell the user at login
        wanted, stale = _overdue_work(tx.db, session.study, today, days)
        for query_id in stale:
            query = tx.db.get(QueryRow, query_id)
            assert query is not None
            queries.step(tx, query, _subject(tx.db, query.subject_pk), "closed", QueryState.CLOSED,
                         NOTHING_MISSING, by_system=True)
        for want in wanted:
            queries.new_query(tx, _subject(tx.db, want.subject_pk), want.place, want.text, origin=QueryOrigin.AUTO,
                              check_key=OVERDUE_KEY)
        return len(wanted)


def _subject(db: Session, pk: int) -> Subject:
    subject = db.get(Subject, pk)
    assert subject is not None
    return subject


def _overdue_work(db: Session, study: Study, today: date, days: int) -> tuple[list[_Wanted], list[int]]:
    """(queries to raise, ids of overdue queries to close): what is missing now against what is asked."""
    cutoff = (today - timedelta(days=days)).isoformat()  # windows that closed more than `days` ago
    visits = db.execute(select(VisitRow.subject_pk, VisitRow.visit_code, VisitRow.latest).where(
        VisitRow.cancelled.is_(False), VisitRow.latest < cutoff)).all()
    pks = sorted({pk for pk, _, _ in visits})
    subjects = {s.id: s for s in db.scalars(select(Subject).where(Subject.id.in_(pks)))}
    instances: dict[tuple[int, str], list[FormInstance]] = defaultdict(list)
    for instance in db.scalars(select(FormInstance).where(FormInstance.subject_pk.in_(pks),
                                                          FormInstance.visit_code != "",
                                                          FormInstance.deleted.is_(False))):
        instances[(instance.subject_pk, instance.visit_code)].append(instance)
    wanted: list[_Wanted] = []
    for pk, visit, latest in visits:
        if visit in {v.code for v in study.visits}:
            wanted += _missing_at_visit(db, study, subjects[pk], visit, latest, days, instances[(pk, visit)], today)
    overdue = list(db.scalars(select(QueryRow).where(QueryRow.origin == QueryOrigin.AUTO,
                                                     QueryRow.check_key == OVERDUE_KEY)))
    asked = {(q.subject_pk, q.visit_code, q.form_code, q.timepoint): q.id for q in overdue if q.state in ACTIVE}
    # Once per place: a query the monitor closed (the visit was missed, the data will never come) is not
    # raised again at every login.
    ever = {(q.subject_pk, q.visit_code, q.form_code, q.timepoint) for q in overdue}
    wanted_keys = {(w.subject_pk, w.place.visit, w.place.form, w.place.timepoint) for w in wanted}
    stale = sorted(qid for key, qid in asked.items() if key not in wanted_keys)
    return [w for w in wanted if (w.subject_pk, w.place.visit, w.place.form, w.place.timepoint) not in ever], stale


def _missing_at_visit(db: Session, study: Study, subject: Subject, visit: str, latest: str, days: int,
                      instances: list[FormInstance], today: date) -> list[_Wanted]:
    wanted = []
    started = {(i.form_code, i.timepoint) for i in instances}
    unstarted = _unstarted_forms(study, subject.arm, visit, started)
    if unstarted:
        text = (f"Forms not started {days} days after the visit window closed on {latest}: {', '.join(unstarted)}."
                f"\n访视窗口于 {latest} 关闭 {days} 天后，以下表单仍未开始：{', '.join(unstarted)}。")
        wanted.append(_Wanted(subject.id, QueryPlace.on_visit(subject.label, visit), text))
    for instance in instances:
        if instance.status == FormStatus.COMPLETE or instance.form_code not in study.forms:
            continue  # a form saved complete had every required item then
        missing = _missing_required(db, study, subject, instance, today)
        if missing:
            items = ", ".join(missing)
            text = (f"Required items still empty {days} days after the visit window closed on {latest}: {items}."
                    f"\n访视窗口于 {latest} 关闭 {days} 天后，以下必填条目仍为空：{items}。")
            ref = FormRef(subject.label, visit, instance.form_code, instance.timepoint)
            wanted.append(_Wanted(subject.id, QueryPlace.on_form(ref), text))
    return wanted


def _unstarted_forms(study: Study, arm: str | None, visit: str, started: Collection[tuple[str, str]]) -> list[str]:
    """The forms of a visit with required items that nobody has started (not the end-of-study form, which is
    filled whenever participation ends)."""
    return [f"{vf.form}{'/' + tp if tp else ''}"
            for vf in study.visit(visit).forms_for(arm) for tp in (vf.timepoints or ("",))
            if vf.form != study.end_of_study_form and _has_required(study.form(vf.form))
            and (vf.form, tp) not in started]


def _has_required(form: Form) -> bool:
    return any(item.required and not item.is_calculated for item in form.items)


def _missing_required(db: Session, study: Study, subject: Subject, instance: FormInstance, today: date) -> list[str]:
    """The required items of a started form that are still empty (skip logic applied, as at entry)."""
    return [f.item for f in _form_check(db, study, subject, instance, today).incomplete if f.item]


def _form_check(db: Session, study: Study, subject: Subject, instance: FormInstance, today: date) -> FormCheck:
    """The checks of a stored form instance as they run at entry (its values, the subject's other forms)."""
    form = study.form(instance.form_code)
    needed = {(v or instance.visit_code, code) for v, code in form.forms_read}
    needed |= {(instance.visit_code, vf.form) for vf in study.visit(instance.visit_code).forms_for(subject.arm)}
    data = load_subject_data(db, study, subject, needed)
    return validate_form(form, typed_values(form, list(instance.values)), subject=data,
                         where=Where(instance.visit_code, instance.timepoint, today))
