"""Audit events waiting for their INSERT: `ecrf.store.audit.append` queues each event's row (its hash computed
in order, as the chain needs), and the rows go in with one executemany at the session's next flush.

A data-entry transaction writes dozens of events (the demo ten thousand); one ORM object each cost more than
the rest of the append. Every append moves the site row's head, so the session is dirty and its next flush
(an autoflush before a query, an explicit `flush()`, the commit) runs `before_flush`: the events reach the
database at the same points as the ORM objects did, before any query of the session can read them back. A
rollback drops the queue with the rest of the transaction.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import event, insert
from sqlalchemy.orm import Session, UOWTransaction

from ecrf.store.models import AuditEvent

_QUEUE_KEY = "ecrf.audit_rows"


def queue(db: Session, row: dict[str, object]) -> None:
    """One event's row, inserted at the session's next flush (in the order queued)."""
    db.info.setdefault(_QUEUE_KEY, []).append(row)


def queued(db: Session) -> int:
    """How many events wait for their INSERT (tests: nothing is left over after a commit or rollback)."""
    return len(db.info.get(_QUEUE_KEY, ()))


def write_queued(db: Session) -> None:
    """Insert the queued rows now, in one statement."""
    rows = db.info.pop(_QUEUE_KEY, None)
    if rows:
        db.connection().execute(insert(AuditEvent), rows)


@event.listens_for(Session, "before_flush")
def _at_flush(db: Session, _flush: UOWTransaction, _instances: Any) -> None:
    write_queued(db)


@event.listens_for(Session, "after_soft_rollback")
def _at_rollback(db: Session, _previous: Any) -> None:
    db.info.pop(_QUEUE_KEY, None)
