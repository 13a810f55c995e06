"""The stored data is a function of the trail: replaying the value, status and subject events must give
exactly what is stored. A value changed or inserted with no audit event, or an event removed, shows here.

Keys are the screening number (a subject is audited under it until allocation, then under its subject id),
visit ('' for a log entry), form, timepoint ('' when none), repeat (0 when none) and, for values, the item.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ecrf.study.status import FormStatus, SdvState, SubjectStatus
from ecrf.trail.chain import Event

FormKey = tuple[str, str, str, str, int]
ValueKey = tuple[str, str, str, str, int, str]
Pair = tuple[str | None, str | None]  # (value text, missing code)
_SCREENING = re.compile(r"screening number (\S+?);")
NOT_STARTED = str(FormStatus.NOT_STARTED)
PROBLEMS_LISTED = 40


@dataclass
class Stored:
    """What the database (or a bundle's CSV files) holds, keyed as above."""

    values: dict[ValueKey, Pair] = field(default_factory=dict)
    forms: dict[FormKey, tuple[str, bool]] = field(default_factory=dict)  # (status, removed)
    subjects: dict[str, tuple[str | None, str]] = field(default_factory=dict)  # screening no -> (subject id, status)
    partial_forms: bool = False  # only the forms listed are known (a bundle's long file lists forms with values)
    # Monitoring, when known (the site database; a bundle's check leaves it out): each verified or changed item's
    # SDV state, each query's state by its number, and the places under a lock in force.
    monitoring: bool = False
    sdv: dict[ValueKey, str] = field(default_factory=dict)
    queries: dict[str, str] = field(default_factory=dict)
    locks: set[FormKey] = field(default_factory=set)


@dataclass
class Replay:
    state: Stored = field(default_factory=Stored)
    aliases: dict[str, str] = field(default_factory=dict)  # any label -> screening number
    problems: list[str] = field(default_factory=list)

    def run(self, events: Iterable[Event]) -> Replay:
        for event in events:
            self.apply(event)
        return self

    def apply(self, event: Event) -> None:
        handler = _HANDLERS.get(event.action)
        if handler is not None:
            handler(self, event)

    def subject(self, label: str | None) -> str:
        return self.aliases.get(label or "", label or "")

    def form_key(self, event: Event) -> FormKey:
        return (self.subject(event.subject), event.visit or "", event.form or "", event.timepoint or "",
                event.repeat or 0)


def _screened(replay: Replay, event: Event) -> None:
    label = event.subject or ""
    replay.aliases[label] = label
    replay.state.subjects[label] = (None, event.new_value or "")


def _allocated(replay: Replay, event: Event) -> None:
    found = _SCREENING.search(event.reason or "")
    screening = event.old_value or (found.group(1) if found else event.subject or "")
    replay.aliases[event.subject or ""] = screening
    replay.state.subjects[screening] = (event.subject, str(SubjectStatus.ENROLLED))


def _ended(replay: Replay, event: Event) -> None:
    key = replay.subject(event.subject)
    subject_id, _ = replay.state.subjects.get(key, (None, ""))
    replay.state.subjects[key] = (subject_id, event.new_value or "")


def _value(replay: Replay, event: Event) -> None:
    key = (*replay.form_key(event), event.item or "")
    before = replay.state.values.get(key, (None, None))
    if before != (event.old_value, event.old_missing):
        claimed = _shown((event.old_value, event.old_missing))
        replay.problems.append(f"event {event.seq} changes {_where(key)} from {claimed}, "
                               f"but the trail before it leads to {_shown(before)}")
    replay.state.values[key] = (event.new_value, event.new_missing)


def _status(replay: Replay, event: Event) -> None:
    key = replay.form_key(event)
    _, removed = replay.state.forms.get(key, (NOT_STARTED, False))
    replay.state.forms[key] = (event.new_value or "", removed)


def _removed(replay: Replay, event: Event) -> None:
    key = replay.form_key(event)
    status, _ = replay.state.forms.get(key, (NOT_STARTED, False))
    replay.state.forms[key] = (status, True)


def _sdv(replay: Replay, event: Event) -> None:
    key = (*replay.form_key(event), event.item or "")
    if event.new_value in (SdvState.VERIFIED, SdvState.CHANGED):
        replay.state.sdv[key] = event.new_value or ""
    else:  # taken back: as if never verified
        replay.state.sdv.pop(key, None)


def _query(replay: Replay, event: Event) -> None:
    found = _QUERY_NUMBER.match(event.reason or "")
    if found:
        replay.state.queries[found.group(1)] = event.new_value or ""


def _lock(replay: Replay, event: Event) -> None:
    key = replay.form_key(event)
    if event.action == "locked":
        replay.state.locks.add(key)
    else:
        replay.state.locks.discard(key)


_QUERY_NUMBER = re.compile(r"(Q-\d+):")

_HANDLERS = {"subject_screened": _screened, "allocated": _allocated, "participation_ended": _ended,
             "value": _value, "value_derived": _value, "form_status": _status, "log_entry_removed": _removed,
             "sdv_verified": _sdv, "sdv_changed": _sdv, "sdv_unverified": _sdv, "locked": _lock, "unlocked": _lock,
             **{f"query_{step}": _query for step in ("raised", "answered", "closed", "cancelled", "reopened")}}


def compare(expected: Stored, stored: Stored) -> list[str]:
    """Every difference between what the trail leads to and what is stored."""
    problems = _compare_values(expected, stored)
    form_keys = stored.forms.keys() if stored.partial_forms else expected.forms.keys() | stored.forms.keys()
    for form_key in sorted(form_keys):
        want, have = (expected.forms.get(form_key, (NOT_STARTED, False)),
                      stored.forms.get(form_key, (NOT_STARTED, False)))
        if want != have:
            problems.append(f"{_where(form_key)}: stored as {_form_state(have)}, but the trail leads to "
                            f"{_form_state(want)}")
    if stored.monitoring:
        problems += _compare_monitoring(expected, stored)
    for key in sorted(expected.subjects.keys() | stored.subjects.keys()):
        want_subject, have_subject = expected.subjects.get(key), stored.subjects.get(key)
        if want_subject != have_subject:
            problems.append(f"subject {key}: stored as {_subject_state(have_subject)}, but the trail leads to "
                            f"{_subject_state(want_subject)}")
    return problems


def _compare_monitoring(expected: Stored, stored: Stored) -> list[str]:
    """Verification marks, query states and locks written without their audit events (or events removed)."""
    problems = [f"{_where(key)}: stored as {stored.sdv.get(key, 'not verified')}, but the trail leads to "
                f"{expected.sdv.get(key, 'not verified')}"
                for key in sorted(expected.sdv.keys() | stored.sdv.keys())
                if expected.sdv.get(key) != stored.sdv.get(key)]
    problems += [f"query {number}: stored as {stored.queries.get(number, 'no query')}, but the trail leads to "
                 f"{expected.queries.get(number, 'no query')}"
                 for number in sorted(expected.queries.keys() | stored.queries.keys())
                 if expected.queries.get(number) != stored.queries.get(number)]
    problems += [f"{_where(key)}: {'a lock is in force' if key in stored.locks else 'no lock is in force'}, but "
                 f"the trail leads to {'a lock' if key in expected.locks else 'none'}"
                 for key in sorted(expected.locks ^ stored.locks)]
    return problems


def _compare_values(expected: Stored, stored: Stored) -> list[str]:
    problems = []
    for key in sorted(expected.values.keys() | stored.values.keys()):
        want, have = expected.values.get(key, (None, None)), stored.values.get(key, (None, None))
        if want == have:
            continue
        if want == (None, None):
            problems.append(f"{_where(key)}: {_shown(have)} is stored, but no audit event leads to it")
        elif have == (None, None):
            problems.append(f"{_where(key)}: the trail leads to {_shown(want)}, but nothing is stored")
        else:
            problems.append(f"{_where(key)}: {_shown(have)} is stored, but the trail leads to {_shown(want)}")
    return problems


def _where(key: tuple[object, ...]) -> str:
    subject, visit, form, timepoint, repeat, *item = key
    place = f"subject {subject}, " + (f"visit {visit}, " if visit else "") + f"form {form}"
    place += (f" at {timepoint}" if timepoint else "") + (f" #{repeat}" if repeat else "")
    return place + (f", item {item[0]}" if item else "")


def _shown(pair: Pair) -> str:
    value, missing = pair
    if missing:
        return f"missing code {missing}"
    return "no value" if value is None else repr(value)


def _form_state(state: tuple[str, bool]) -> str:
    return state[0].replace("_", " ") + (" (removed)" if state[1] else "")


def _subject_state(state: tuple[str | None, str] | None) -> str:
    if state is None:
        return "no subject"
    subject_id, status = state
    return f"{status or '?'}" + (f" with subject id {subject_id}" if subject_id else "")
