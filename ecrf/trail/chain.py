"""The hash chain: each event's hash is SHA-256 over a canonical JSON encoding of its fields and the previous
event's hash, so editing, inserting or deleting an event breaks the chain from there on.

The chain has no secret: anyone holding the data can recompute it. What a person cannot recompute are the
seals (`ecrf.trail.seals`): the acting user's signature over the head each transaction leaves.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Protocol

GENESIS = "0" * 64
CHAINED_FIELDS = ("seq", "at_utc", "utc_offset_min", "workstation", "username", "role", "action", "subject",
                  "visit", "form", "timepoint", "repeat", "item", "old_value", "old_missing", "new_value",
                  "new_missing", "reason", "clock_note", "prev_hash")


class Event(Protocol):
    """One audit event as the store keeps it and a bundle carries it (every chained field plus its hash);
    read-only, so frozen records and ORM rows both fit."""

    @property
    def seq(self) -> int: ...

    @property
    def at_utc(self) -> str: ...

    @property
    def username(self) -> str: ...

    @property
    def role(self) -> str: ...

    @property
    def action(self) -> str: ...

    @property
    def subject(self) -> str | None: ...

    @property
    def visit(self) -> str | None: ...

    @property
    def form(self) -> str | None: ...

    @property
    def timepoint(self) -> str | None: ...

    @property
    def repeat(self) -> int | None: ...

    @property
    def item(self) -> str | None: ...

    @property
    def old_value(self) -> str | None: ...

    @property
    def old_missing(self) -> str | None: ...

    @property
    def new_value(self) -> str | None: ...

    @property
    def new_missing(self) -> str | None: ...

    @property
    def reason(self) -> str | None: ...

    @property
    def prev_hash(self) -> str: ...

    @property
    def hash(self) -> str: ...


_CANONICAL = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))  # json.dumps with these, made once


def event_hash(fields: dict[str, object]) -> str:
    return values_hash([fields[name] for name in CHAINED_FIELDS])


def values_hash(values: list[object]) -> str:
    """The hash of an event given its chained fields in CHAINED_FIELDS order."""
    return hashlib.sha256(_CANONICAL.encode(values).encode("utf-8")).hexdigest()


def fields_of(event: object) -> dict[str, object]:
    return {name: getattr(event, name) for name in CHAINED_FIELDS}


def chained_values(event: object) -> list[object]:
    """The chained fields in order; a database row selected as CHAINED_FIELDS + hash gives them directly."""
    if isinstance(event, Sequence):
        return list(event[:len(CHAINED_FIELDS)])
    return [getattr(event, name) for name in CHAINED_FIELDS]


def link_problems(events: Iterable[Event]) -> tuple[list[str], list[Event]]:
    """Every broken link (not only the first), and the events in the order read.

    A break does not stop the walk: a site whose finding was acknowledged goes on appending, and a later
    tampering must still show as a problem of its own."""
    problems: list[str] = []
    seen: list[Event] = []
    prev, expected_seq = GENESIS, 1
    for event in events:
        if event.seq != expected_seq:
            problems.append(f"event {expected_seq} is missing (the next is {event.seq}): events were deleted"
                            if event.seq > expected_seq else f"event {event.seq} comes twice or out of order")
        elif event.prev_hash != prev:
            problems.append(f"event {event.seq} does not link to event {event.seq - 1}: the chain was rewritten")
        if values_hash(chained_values(event)) != event.hash:
            problems.append(f"event {event.seq} does not match its hash: its contents were changed")
        prev, expected_seq = event.hash, event.seq + 1
        seen.append(event)
    return problems, seen


def head_problem(events: list[Event], head_seq: int, head_hash: str, where: str) -> str | None:
    """Does the trail end where `where` (the database's head row, a manifest) says it ends?"""
    last_seq, last_hash = (events[-1].seq, events[-1].hash) if events else (0, GENESIS)
    if last_seq > head_seq:
        return (f"the trail goes on to event {last_seq} past the head {where} records (event {head_seq}): "
                "events were added outside ecrf")
    if last_seq < head_seq:
        return (f"the trail ends at event {last_seq} but {where} records event {head_seq} as the last: "
                "events were removed from the end")
    if last_hash != head_hash:
        return f"the last event (event {last_seq}) is not the one {where} records: the end of the trail was rewritten"
    return None
