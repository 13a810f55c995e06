"""The audit trail: append-only, hash-chained events (21 CFR 11.10(e)).

Each event's hash is SHA-256 over a canonical JSON encoding of all its fields and the previous event's
hash, so editing, inserting or deleting any event breaks the chain from there on. The site row keeps the
head (sequence and hash), written in the same transaction, so cutting events off the end is caught too;
export bundles carry the head outside the database.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecrf.store.clock import Clock, parse_utc
from ecrf.store.models import AuditEvent, Site

GENESIS = "0" * 64
CHAINED_FIELDS = ("seq", "at_utc", "utc_offset_min", "workstation", "username", "role", "action", "subject",
                  "visit", "form", "timepoint", "repeat", "item", "old_value", "old_missing", "new_value",
                  "new_missing", "reason", "clock_note", "prev_hash")


@dataclass(frozen=True)
class Change:
    """What one audit event records, apart from who, when and where."""

    action: str
    subject: str | None = None
    visit: str | None = None
    form: str | None = None
    timepoint: str | None = None
    repeat: int | None = None
    item: str | None = None
    old_value: str | None = None
    old_missing: str | None = None
    new_value: str | None = None
    new_missing: str | None = None
    reason: str | None = None


def event_hash(fields: dict[str, object]) -> str:
    canonical = json.dumps([fields[name] for name in CHAINED_FIELDS], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def append(db: Session, clock: Clock, username: str, role: str, change: Change) -> AuditEvent:
    """Add one event to the chain inside the caller's transaction (which holds the write lock)."""
    site = db.get(Site, 1)
    assert site is not None, "the site row is created before any event"
    at_utc, offset = clock.stamp()
    last_time = _head_time(db, site.audit_head_seq)
    fields: dict[str, object] = {
        "seq": site.audit_head_seq + 1, "at_utc": at_utc, "utc_offset_min": offset,
        "workstation": clock.workstation, "username": username, "role": role,
        **change.__dict__, "clock_note": _clock_note(last_time, at_utc), "prev_hash": site.audit_head_hash,
    }
    event = AuditEvent(**fields, hash=event_hash(fields))
    db.add(event)
    site.audit_head_seq, site.audit_head_hash = event.seq, event.hash
    db.info[_HEAD_KEY] = (event.seq, at_utc)
    return event


_HEAD_KEY = "ecrf.audit_head"


def _head_time(db: Session, head_seq: int) -> str | None:
    """The time of the head event: remembered within a transaction (a save writes dozens of events),
    read otherwise without flushing, so appending is one INSERT per event and not a query as well."""
    cached = db.info.get(_HEAD_KEY)
    if cached is not None and cached[0] == head_seq:
        return cached[1]
    with db.no_autoflush:
        return db.scalar(select(AuditEvent.at_utc).where(AuditEvent.seq == head_seq))


def _clock_note(last_time: str | None, now: str) -> str | None:
    # A PC clock set back (or a DST/offset mistake) must show in the trail, not reorder it silently.
    if last_time is None or now >= last_time:
        return None
    behind = parse_utc(last_time) - parse_utc(now)
    return f"clock behind the previous event by {_span(behind)}"


def _span(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{delta.total_seconds():.3f} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


@dataclass(frozen=True)
class ChainReport:
    events: int
    head_seq: int
    head_hash: str
    problem: str | None = None  # the first broken link, in words

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify_chain(events: Iterable[AuditEvent], head_seq: int, head_hash: str) -> ChainReport:
    """Walk the events in sequence order; report the first broken link."""
    prev, count, expected_seq = GENESIS, 0, 1
    for event in events:
        fields = {name: getattr(event, name) for name in CHAINED_FIELDS}
        problem = _link_problem(event, fields, expected_seq, prev)
        if problem:
            return ChainReport(count, head_seq, head_hash, problem)
        prev, count, expected_seq = event.hash, count + 1, event.seq + 1
    if count > head_seq:
        return ChainReport(count, head_seq, head_hash, f"the trail goes on to event {count} past the database "
                           f"head (event {head_seq}): events were added outside ecrf")
    if count != head_seq or prev != (head_hash if count else GENESIS):
        return ChainReport(count, head_seq, head_hash,
                           f"the trail ends at event {count} but the database head says {head_seq}: "
                           "events were removed from the end")
    return ChainReport(count, head_seq, head_hash)


def _link_problem(event: AuditEvent, fields: dict[str, object], expected_seq: int, prev: str) -> str | None:
    if event.seq != expected_seq:
        return f"event {expected_seq} is missing (the next is {event.seq}): events were deleted"
    if event.prev_hash != prev:
        return f"event {event.seq} does not link to event {event.seq - 1}: the chain was rewritten"
    if event_hash(fields) != event.hash:
        return f"event {event.seq} does not match its hash: its contents were changed"
    return None


def events_in_order(db: Session) -> Iterable[AuditEvent]:
    return db.scalars(select(AuditEvent).order_by(AuditEvent.seq)).yield_per(1000)
