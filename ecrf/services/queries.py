"""Queries and their threads (CDISC ODM 2.0 states): a monitor raises one on an item, a form or a visit; the site
answers it (and may correct the value in the same step); the role that raised it closes, cancels or re-opens it.
Every step is a message of the thread and an audit event; nothing is ever deleted. The eCRF raises and closes
queries of its own (`ecrf.services.auto_queries`) through the same steps."""
from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ecrf.errors import Localized
from ecrf.services import auto_queries, forms, locks
from ecrf.services.errors import InvalidInput, NotFound, PermissionDenied, ReasonRequired, WrongState
from ecrf.services.permissions import ROLE_NAMES, ROLE_NAMES_ZH, Do
from ecrf.services.query_steps import (
    ACTIVE,
    QUERY_STATE_ZH,
    QueryPlace,
    new_query,
    number_of,
    owner_role,
    step,
)
from ecrf.services.session import SiteSession, Tx
from ecrf.services.subject_data import FormRef, find_subject
from ecrf.store.models import FormInstance, QueryMessage, QueryRow, Subject
from ecrf.study.model import Study
from ecrf.study.parsing import has_broken_character
from ecrf.study.query_places import place_problem
from ecrf.study.status import QUERY_STATE_TEXT, SPONSOR_ROLE, QueryOrigin, QueryState, ResponseCode, Scope
from ecrf.study.validate import FormCheck


@dataclass(frozen=True)
class QueryView:
    """One query as the inbox and the form editor show it (plain data: no database object leaves here)."""

    id: int
    place: QueryPlace
    origin: QueryOrigin
    check_key: str
    state: QueryState
    raised_by: str
    raised_role: str
    raised_at: str
    updated_at: str
    age_days: int  # whole days since it was raised
    last_kind: str  # the latest message: its kind, author and text
    last_author: str
    last_text: str

    @property
    def number(self) -> str:
        return number_of(self.id)

    @property
    def owner_role(self) -> str:
        return owner_role(self.origin, self.raised_role)


@dataclass(frozen=True)
class MessageView:
    kind: str  # raised, answered, closed, cancelled, reopened
    author: str
    role: str
    at_utc: str
    text: str
    response: ResponseCode | None


@dataclass(frozen=True)
class QueryThread:
    query: QueryView
    messages: tuple[MessageView, ...]


# -- the steps --------------------------------------------------------------------------------------------

def raise_query(session: SiteSession, place: QueryPlace, text: str) -> int:
    """A monitor asks the site about an item, a form or a visit; returns the new query's id."""
    with session.write(Do.RAISE_QUERY) as tx:
        locks.refuse_if_site_locked(tx)
        subject = find_subject(tx.db, place.subject)
        check_place(session.study, subject, place)
        query = new_query(tx, subject, place, _text(text, "new"), origin=QueryOrigin.MANUAL)
        return query.id


def answer_query(session: SiteSession, query_id: int, text: str, response: ResponseCode, *,
                 values: Mapping[str, Any] | None = None, reason: str | None = None,
                 confirm: Collection[str] = ()) -> None:
    """The site answers an open (or re-opened) query, and may correct the form's values in the same transaction
    (`values` need a `reason`; `confirm` the keys of warnings the new values raise). The saved correction runs
    the automatic queries' checks, so an automatic query the new value clears closes at once."""
    with session.write(Do.ANSWER_QUERY) as tx:
        locks.refuse_if_site_locked(tx)
        query = _query(tx.db, query_id)
        if query.state != QueryState.OPEN:
            raise WrongState("query-not-answerable", number=number_of(query.id), state=_state_words(query.state))
        subject = _subject(tx.db, query)
        step(tx, query, subject, "answered", QueryState.ANSWERED, _text(text, number_of(query.id)),
             response=ResponseCode(response))
        if values:
            _store_correction(tx, session.study, subject, query, values, reason, confirm)
        else:
            auto_queries.after_answer(tx, session.study, subject, query, ResponseCode(response))


def close_query(session: SiteSession, query_id: int, text: str) -> None:
    """The raiser's role accepts the answer (or the data as they are): answered or open -> closed."""
    _owner_step(session, query_id, text, "closed", QueryState.CLOSED, ACTIVE)


def cancel_query(session: SiteSession, query_id: int, reason: str) -> None:
    """The raiser's role withdraws a query raised in error (a reason is required): open or answered -> cancelled."""
    session.require(Do.CLOSE_QUERY)  # who may comes before what is missing
    if not (reason or "").strip():
        with session.read() as db:
            raise ReasonRequired("query-reason-required", number=number_of(_query(db, query_id).id))
    _owner_step(session, query_id, reason, "cancelled", QueryState.CANCELLED, ACTIVE)


def reopen_query(session: SiteSession, query_id: int, text: str) -> None:
    """The raiser's role is not satisfied: answered or closed -> open again."""
    _owner_step(session, query_id, text, "reopened", QueryState.OPEN, (QueryState.ANSWERED, QueryState.CLOSED))


def _owner_step(session: SiteSession, query_id: int, text: str, kind: str, to: QueryState,
                allowed_from: Collection[QueryState]) -> None:
    with session.write(Do.CLOSE_QUERY) as tx:
        locks.refuse_if_site_locked(tx)
        query = _query(tx.db, query_id)
        number, verb = number_of(query.id), _STEP_WORDS[kind]
        owner = owner_role(query.origin, query.raised_role)
        if tx.actor.role != owner:
            raise PermissionDenied("query-raiser-only", number=number, step=verb, role=_role_words(tx.actor.role),
                                   raiser=_role_words(owner))
        if query.state not in allowed_from:
            raise WrongState("query-wrong-state", number=number, state=_state_words(query.state), step=verb,
                             allowed=_states_words(allowed_from))
        step(tx, query, _subject(tx.db, query), kind, to, _text(text, number))


_STEP_WORDS = {"closed": Localized("close", "关闭"), "cancelled": Localized("cancel", "取消"),
               "reopened": Localized("re-open", "重新打开")}


def _store_correction(tx: Tx, study: Study, subject: Subject, query: QueryRow, values: Mapping[str, Any],
                      reason: str | None, confirm: Collection[str]) -> None:
    number = number_of(query.id)
    if not (reason or "").strip():
        raise ReasonRequired("query-change-reason-required", number=number, items=", ".join(sorted(values)))
    if not query.form_code:
        raise InvalidInput("query-place-unknown", place=f"{number}", why="a query on a visit carries no values")
    ref = FormRef(subject.label, query.visit_code, query.form_code, query.timepoint, query.repeat)
    forms.store_form(tx, study, subject, ref, values, confirm=confirm, reason=reason,
                     today=tx.clock.now().date())


def check_place(study: Study, subject: Subject, place: QueryPlace) -> None:
    """The place must exist in the study: a visit of the schedule (or '' with a repeat for a log entry), a form
    asked there, an item of that form."""
    why = _place_problem(study, place)
    if why:
        raise InvalidInput("query-place-unknown", place=str(place), why=why)


def _place_problem(study: Study, place: QueryPlace) -> str:
    return place_problem(study, place.scope, place.visit, place.form, place.repeat, place.item)


def _text(text: str, number: str) -> str:
    if not (text or "").strip():
        raise InvalidInput("query-text-required")
    if has_broken_character(text):
        raise InvalidInput("query-text-broken-character", number=number)
    return text.strip()


def _query(db: Session, query_id: int) -> QueryRow:
    query = db.get(QueryRow, query_id)
    if query is None:
        raise NotFound("query-not-found", number=number_of(query_id))
    return query


def _subject(db: Session, query: QueryRow) -> Subject:
    subject = db.get(Subject, query.subject_pk)
    assert subject is not None  # a query's subject is never deleted
    return subject


def _state_words(state: str) -> Localized:
    return Localized(QUERY_STATE_TEXT[QueryState(state)].lower(), QUERY_STATE_ZH[QueryState(state)])


def _states_words(states: Collection[QueryState]) -> Localized:
    return Localized(" or ".join(QUERY_STATE_TEXT[s].lower() for s in states),
                     "或".join(QUERY_STATE_ZH[s] for s in states))


def _role_words(role: str) -> Localized:
    if role == SPONSOR_ROLE:  # no site role: the sponsor closes its own queries through its next query bundle
        return Localized("the sponsor's data manager", "申办方数据管理员")
    return Localized(ROLE_NAMES.get(role, role), ROLE_NAMES_ZH.get(role, role))


# -- reading ------------------------------------------------------------------------------------------------

def query_inbox(session: SiteSession, state: QueryState | None = None, subject: str | None = None,
                form: str | None = None, older_than_days: int | None = None) -> list[QueryView]:
    """The site's queries, newest first, filtered by state, subject (id or screening number), form and age
    (`older_than_days`: raised at least that many days ago). One statement with its joins whatever the count."""
    today = _today(session)
    stmt = _VIEWS
    if state is not None:
        stmt = stmt.where(QueryRow.state == state)
    if subject:
        stmt = stmt.where((Subject.subject_id == subject) | (Subject.screening_no == subject))
    if form:
        stmt = stmt.where(QueryRow.form_code == form)
    if older_than_days is not None:
        stmt = stmt.where(QueryRow.raised_at < (today - timedelta(days=older_than_days - 1)).isoformat())
    with session.read() as db:
        return _views(db, stmt.order_by(QueryRow.id.desc()), today)


def queries_at(session: SiteSession, ref: FormRef) -> list[QueryThread]:
    """The queries on one form instance and its items, with their threads (for the form editor), oldest first."""
    today = _today(session)
    with session.read() as db:
        subject = find_subject(db, ref.subject)
        stmt = _VIEWS.where(
            QueryRow.subject_pk == subject.id, QueryRow.visit_code == ref.visit, QueryRow.form_code == ref.form,
            QueryRow.timepoint == ref.timepoint, QueryRow.repeat == ref.repeat).order_by(QueryRow.id)
        views = _views(db, stmt, today)
        return [QueryThread(view, _messages(db, view.id)) for view in views]


def visit_queries(session: SiteSession, subject: str, visit: str) -> list[QueryThread]:
    """The queries on one visit of a subject as a whole (not on its forms or items: the form editor shows those),
    with their threads, oldest first: the subject page shows them under its schedule."""
    today = _today(session)
    with session.read() as db:
        found = find_subject(db, subject)
        stmt = _VIEWS.where(QueryRow.subject_pk == found.id, QueryRow.scope == Scope.VISIT,
                            QueryRow.visit_code == visit).order_by(QueryRow.id)
        return [QueryThread(view, _messages(db, view.id)) for view in _views(db, stmt, today)]


def query_thread(session: SiteSession, query_id: int) -> QueryThread:
    today = _today(session)
    with session.read() as db:
        _query(db, query_id)
        [view] = _views(db, _VIEWS.where(QueryRow.id == query_id), today)
        return QueryThread(view, _messages(db, query_id))


def _views_select() -> Select[*tuple[Any, ...]]:  # the inbox's columns, in the order _Views reads them
    # The thread's last message by a correlated max over the (query_pk) index: one row per query, no grouping.
    last_id = (select(func.max(QueryMessage.id)).where(QueryMessage.query_pk == QueryRow.id)
               .correlate(QueryRow).scalar_subquery())
    return (select(QueryRow.id, Subject.subject_id, Subject.screening_no, QueryRow.scope, QueryRow.visit_code,
                   QueryRow.form_code, QueryRow.timepoint, QueryRow.repeat, QueryRow.item_code, QueryRow.origin,
                   QueryRow.check_key, QueryRow.state, QueryRow.raised_by, QueryRow.raised_role, QueryRow.raised_at,
                   QueryRow.updated_at, QueryMessage.kind, QueryMessage.author, QueryMessage.text)
            .join(Subject, Subject.id == QueryRow.subject_pk)
            .join(QueryMessage, QueryMessage.id == last_id))


_VIEWS = _views_select()  # built once: the form editor reads a form's queries at every open


class _Views:
    """Turns result rows into QueryViews; 10,000 of them in the inbox, so enum members and dates are looked up
    in dictionaries instead of being constructed per row."""

    SCOPES = {s.value: s for s in Scope}
    ORIGINS = {o.value: o for o in QueryOrigin}
    STATES = {s.value: s for s in QueryState}

    def __init__(self, today: date) -> None:
        self.today = today
        self.ages: dict[str, int] = {}

    def age(self, raised_at: str) -> int:
        day = raised_at[:10]
        if day not in self.ages:
            self.ages[day] = max(0, (self.today - date.fromisoformat(day)).days)
        return self.ages[day]

    def __call__(self, row: Any) -> QueryView:
        (pk, subject_id, screening_no, scope, visit, form, timepoint, repeat, item, origin, check_key, state,
         raised_by, raised_role, raised_at, updated_at, kind, author, text) = row
        place = QueryPlace(subject_id or screening_no, self.SCOPES[scope], visit, form, timepoint, repeat, item)
        return QueryView(pk, place, self.ORIGINS[origin], check_key, self.STATES[state], raised_by, raised_role,
                         raised_at, updated_at, self.age(raised_at), kind, author, text)


def _views(db: Session, stmt: Select[*tuple[Any, ...]], today: date) -> list[QueryView]:
    """Run the statement on the connection itself: plain rows, without the ORM's result processing."""
    return list(map(_Views(today), db.connection().execute(stmt)))


def _messages(db: Session, query_id: int) -> tuple[MessageView, ...]:
    rows = db.scalars(select(QueryMessage).where(QueryMessage.query_pk == query_id).order_by(QueryMessage.id))
    return tuple(MessageView(m.kind, m.author, m.role, m.at_utc, m.text,
                             ResponseCode(m.response_code) if m.response_code else None) for m in rows)


def _today(session: SiteSession) -> date:
    """Today in UTC, the calendar the stored times use."""
    return session.clock.now().astimezone(UTC).date()


# -- the hook on every save ----------------------------------------------------------------------------------

def form_saved(tx: Tx, study: Study, subject: Subject, instance: FormInstance, changed: Collection[str],
               check: FormCheck | None, known: list[QueryRow] | None = None) -> None:
    """Automatic queries of this form: raise for newly confirmed warnings, close those a new value cleared,
    re-open answered ones whose check still fails. `known`: see `auto_queries.after_save`."""
    auto_queries.after_save(tx, study, subject, instance, changed, check, known)
