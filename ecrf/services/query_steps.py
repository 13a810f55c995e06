"""The building blocks of every query step, shared by the people's steps (`queries`) and the eCRF's own
(`auto_queries`): where a query is, its number, who owns it, and one move of its state as a message of the
thread plus an audit event."""
from __future__ import annotations

from dataclasses import dataclass

from ecrf.services.session import Tx
from ecrf.services.subject_data import FormRef
from ecrf.store.audit import Change
from ecrf.store.models import QueryMessage, QueryRow, Subject
from ecrf.study.status import SYSTEM_USER, QueryOrigin, QueryState, ResponseCode, Scope, query_number

SYSTEM_AUTHOR = SYSTEM_USER  # the author of the eCRF's own steps (automatic queries)
SYSTEM_ROLE = "system"
AUTO_OWNER_ROLE = "monitor"  # who closes, cancels or re-opens an automatic query
ACTIVE = (QueryState.OPEN, QueryState.ANSWERED)  # a query that still asks for something
OVERDUE_KEY = "overdue"  # the check key of an automatic query on required data still missing after its window
QUERY_STATE_ZH = {QueryState.OPEN: "待回复", QueryState.ANSWERED: "已回复", QueryState.CLOSED: "已关闭",
                  QueryState.CANCELLED: "已取消"}


number_of = query_number  # how people name a query: Q-0001 (the row id)


@dataclass(frozen=True)
class QueryPlace:
    """What a query is about: an item of a form instance, a form instance, or a visit of a subject."""

    subject: str
    scope: Scope
    visit: str = ""
    form: str = ""
    timepoint: str = ""
    repeat: int = 0
    item: str = ""

    @classmethod
    def on_item(cls, ref: FormRef, item: str) -> QueryPlace:
        return cls(ref.subject, Scope.ITEM, ref.visit, ref.form, ref.timepoint, ref.repeat, item)

    @classmethod
    def on_form(cls, ref: FormRef) -> QueryPlace:
        return cls(ref.subject, Scope.FORM, ref.visit, ref.form, ref.timepoint, ref.repeat)

    @classmethod
    def on_visit(cls, subject: str, visit: str) -> QueryPlace:
        return cls(subject, Scope.VISIT, visit)

    @property
    def form_ref(self) -> FormRef | None:
        """The form instance the query is on (None for a visit)."""
        return FormRef(self.subject, self.visit, self.form, self.timepoint, self.repeat) if self.form else None

    def __str__(self) -> str:
        ref = self.form_ref
        if ref is None:
            return f"{self.subject} {self.visit}"
        return f"{ref}{'.' + self.item if self.item else ''}"


def owner_role(origin: str, raised_role: str) -> str:
    """The role that closes, cancels and re-opens a query: who raised it; for the eCRF's own, the monitor."""
    return AUTO_OWNER_ROLE if origin == QueryOrigin.AUTO else raised_role


Author = tuple[str, str]  # (author, role) of a step written for someone who is not logged in here: the sponsor


def new_query(tx: Tx, subject: Subject, place: QueryPlace, text: str, *, origin: QueryOrigin,
              check_key: str = "", by: Author | None = None) -> QueryRow:
    """Store a query with its first message and audit it; by the eCRF itself when `origin` is auto, by `by` (the
    sponsor's data manager) when given. The audit event is always the logged-in actor's: who wrote it here."""
    author, role = by or _author(tx, origin)
    now = tx.now_text()
    query = QueryRow(subject_pk=subject.id, scope=place.scope, visit_code=place.visit, form_code=place.form,
                     timepoint=place.timepoint, repeat=place.repeat, item_code=place.item, origin=origin,
                     check_key=check_key, state=QueryState.OPEN, raised_by=author, raised_role=role,
                     raised_at=now, updated_at=now)
    tx.db.add(query)
    tx.db.flush()
    tx.db.add(QueryMessage(query_pk=query.id, kind="raised", author=author, role=role, at_utc=now, text=text,
                           response_code=None))
    _audit(tx, "query_raised", query, subject, None, text)
    return query


def step(tx: Tx, query: QueryRow, subject: Subject, kind: str, to: QueryState, text: str, *,
         response: ResponseCode | None = None, by_system: bool = False, by: Author | None = None) -> None:
    """One move of a query's state, as a message of its thread and an audit event."""
    author, role = by or ((SYSTEM_AUTHOR, SYSTEM_ROLE) if by_system else (tx.actor.username, tx.actor.role))
    now = tx.now_text()
    old = query.state
    query.state, query.updated_at = to, now
    tx.db.add(QueryMessage(query_pk=query.id, kind=kind, author=author, role=role, at_utc=now, text=text,
                           response_code=response))
    tx.db.flush()
    shown = f"[{response}] {text}" if response else text
    _audit(tx, f"query_{kind}", query, subject, old, shown)


def _author(tx: Tx, origin: QueryOrigin) -> tuple[str, str]:
    return (SYSTEM_AUTHOR, SYSTEM_ROLE) if origin == QueryOrigin.AUTO else (tx.actor.username, tx.actor.role)


def _audit(tx: Tx, action: str, query: QueryRow, subject: Subject, old: str | None, text: str) -> None:
    tx.audit(Change(action, subject=subject.label, visit=query.visit_code or None, form=query.form_code or None,
                    timepoint=query.timepoint or None, repeat=query.repeat or None, item=query.item_code or None,
                    old_value=old, new_value=query.state, reason=f"{number_of(query.id)}: {text}"))


