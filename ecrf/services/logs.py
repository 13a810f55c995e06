"""Log forms (adverse events, concomitant medications): entries added as repeats, removed only by marking."""
from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ecrf.services import monitoring
from ecrf.services.errors import InvalidInput, NotFound, ServiceError, WrongState
from ecrf.services.forms import SaveResult, store_form
from ecrf.services.permissions import Do
from ecrf.services.session import SiteSession, Tx
from ecrf.services.subject_data import FormRef, find_instance, find_subject
from ecrf.services.subject_records import SubjectRecords
from ecrf.store.audit import Change
from ecrf.study.model import Study


@dataclass(frozen=True)
class LogEntrySave:
    """One new entry in `add_log_entries`: the arguments `add_log_entry` takes for it."""

    subject: str
    form: str
    values: Mapping[str, Any]
    confirm: Collection[str] = ()
    complete: bool = False


def add_log_entry(session: SiteSession, subject_label: str, form: str, values: Mapping[str, Any], *,
                  confirm: Collection[str] = (), complete: bool = False,
                  today: date | None = None) -> tuple[int, SaveResult]:
    """A new entry (the next repeat number) of a log form; returns (repeat, result)."""
    return add_log_entries(session, [LogEntrySave(subject_label, form, values, confirm, complete)], today=today)[0]


def add_log_entries(session: SiteSession, entries: Sequence[LogEntrySave], *,
                    today: date | None = None) -> list[tuple[int, SaveResult]]:
    """Several new entries in one transaction, in order, each exactly as `add_log_entry` adds it (two entries
    of one subject's log get consecutive repeats); returns (repeat, result) for each. All or nothing: the
    first refusal raises, its `entry` parameter the index in `entries`, and nothing is stored. One commit and
    one seal for all (the demo enters every subject's log entries so)."""
    with session.write(Do.ENTER_DATA) as tx:
        day = today or tx.clock.now().date()
        added = []
        records = SubjectRecords(tx.db, session.study)  # each subject's forms read once (see save_forms)
        for index, entry in enumerate(entries):
            try:
                added.append(_add_entry(tx, session.study, entry, day, records))
            except ServiceError as exc:
                exc.params.setdefault("entry", index)  # which one (the message does not use it)
                raise
        return added


def _add_entry(tx: Tx, study: Study, entry: LogEntrySave, today: date,
               records: SubjectRecords) -> tuple[int, SaveResult]:
    if entry.form not in study.logs:
        raise InvalidInput("log-form-unknown", form=entry.form, logs=", ".join(study.logs))
    subject = records.subject(entry.subject)
    repeat = records.last_repeat(subject, entry.form) + 1
    ref = FormRef(subject.label, "", entry.form, "", repeat)
    result = store_form(tx, study, subject, ref, entry.values, confirm=entry.confirm, complete=entry.complete,
                        today=today, records=records)
    if records.instance_at(subject, ref) is None:
        raise InvalidInput("log-entry-empty", form=entry.form)
    tx.audit(Change("log_entry_added", subject=subject.label, form=entry.form, repeat=repeat))
    return repeat, result


def remove_log_entry(session: SiteSession, subject_label: str, form: str, repeat: int, reason: str) -> None:
    """Marked removed with the reason; its values and history stay in the database and the exports."""
    if not reason.strip():
        raise InvalidInput("log-remove-reason-required")
    with session.write(Do.ENTER_DATA) as tx:
        subject = find_subject(tx.db, subject_label)
        instance = find_instance(tx.db, subject, FormRef(subject.label, "", form, "", repeat))
        if instance is None:
            raise NotFound("log-entry-not-found", label=subject.label, form=form, repeat=repeat)
        if instance.deleted:
            raise WrongState("log-entry-already-removed", form=form, repeat=repeat, label=subject.label)
        monitoring.guard_change(tx, subject, FormRef(subject.label, "", form, "", repeat))
        instance.deleted, instance.deleted_reason = True, reason.strip()
        instance.updated_at, instance.updated_by = tx.now_text(), tx.actor.username
        tx.audit(Change("log_entry_removed", subject=subject.label, form=form, repeat=repeat,
                        old_value="present", new_value="removed", reason=reason.strip()))
        monitoring.after_change(tx, session.study, subject, instance, ("",), None, reason.strip())
