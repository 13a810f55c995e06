"""Log forms (adverse events, concomitant medications): entries added as repeats, removed only by marking."""
from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from sqlalchemy import func, select

from ecrf.services import monitoring
from ecrf.services.errors import InvalidInput, NotFound, WrongState
from ecrf.services.forms import SaveResult, store_form
from ecrf.services.permissions import Do
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef, find_instance, find_subject
from ecrf.store.audit import Change
from ecrf.store.models import FormInstance


def add_log_entry(session: SiteSession, subject_label: str, form: str, values: Mapping[str, Any], *,
                  confirm: Collection[str] = (), complete: bool = False,
                  today: date | None = None) -> tuple[int, SaveResult]:
    """A new entry (the next repeat number) of a log form; returns (repeat, result)."""
    if form not in session.study.logs:
        raise InvalidInput("log-form-unknown", form=form, logs=", ".join(session.study.logs))
    with session.write(Do.ENTER_DATA) as tx:
        subject = find_subject(tx.db, subject_label)
        last = tx.db.scalar(select(func.max(FormInstance.repeat)).where(
            FormInstance.subject_pk == subject.id, FormInstance.visit_code == "", FormInstance.form_code == form))
        repeat = (last or 0) + 1
        result = store_form(tx, session.study, subject, FormRef(subject.label, "", form, "", repeat), values,
                            confirm=confirm, complete=complete, today=today or tx.clock.now().date())
        if find_instance(tx.db, subject, FormRef(subject.label, "", form, "", repeat)) is None:
            raise InvalidInput("log-entry-empty", form=form)
        tx.audit(Change("log_entry_added", subject=subject.label, form=form, repeat=repeat))
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
