"""What the form editor needs to open one form instance: stored values, confirmations, status, the
subject's other data for live checks, and whether (and why not) the current user may change it.

Read only: every change still goes through `forms.save_form` / `logs.add_log_entry`."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from ecrf.services import locks
from ecrf.services.errors import NotFound, ServiceError, WrongState
from ecrf.services.forms import COMPLETED, form_allowed, forms_needed
from ecrf.services.permissions import Do, may
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import (
    FormRef,
    find_instance,
    find_subject,
    load_subject_data,
    typed_values,
)
from ecrf.store.models import FormInstance, Subject
from ecrf.study.model import Form, Study
from ecrf.study.status import FormStatus
from ecrf.study.subject import SubjectData, Where


@dataclass(frozen=True)
class FormState:
    """One form instance as the editor shows it. `ref.repeat == 0` with visit '' is a new log entry."""

    ref: FormRef
    form: Form
    subject_label: str
    exists: bool
    status: FormStatus
    values: dict[str, Any] = field(default_factory=dict)  # typed stored values (Missing for a code)
    confirmed: dict[str, frozenset[str]] = field(default_factory=dict)  # soft-finding keys per item
    subject: SubjectData = field(default_factory=SubjectData)
    where: Where = field(default_factory=Where)
    editable: bool = False
    why_not: str = ""  # why the user may not change it, in English (empty when editable)
    refusal: ServiceError | None = None  # the same as an error, for its text in the user's language
    updated_at: str = ""
    updated_by: str = ""

    @property
    def is_new_log_entry(self) -> bool:
        return self.ref.visit == "" and self.ref.repeat == 0

    @property
    def completed(self) -> bool:
        """Saved as complete (or later): a change needs a reason."""
        return self.status in COMPLETED

    def all_confirmed(self) -> frozenset[str]:
        return frozenset().union(*self.confirmed.values()) if self.confirmed else frozenset()


def open_form(session: SiteSession, ref: FormRef, today: date | None = None) -> FormState:
    """Read one form instance (or an empty one not saved yet) for display and live validation."""
    study = session.study
    with session.read(Do.READ_DATA) as db:
        subject = find_subject(db, ref.subject)
        if ref.form not in study.forms:
            raise NotFound("form-unknown", form=ref.form)
        form = study.form(ref.form)
        # A new log entry has no repeat number yet; the rules are those of any entry of that log.
        check_ref = replace(ref, repeat=1) if ref.visit == "" and ref.repeat == 0 else ref
        instance = None if ref.visit == "" and ref.repeat == 0 else find_instance(db, subject, ref)
        refusal = _refusal(session, db, study, subject, check_ref, instance)
        # What the live checks read, exactly what a save of this form reads (forms.forms_needed): the same
        # findings in the editor as at the save, without reading the subject's whole record at every open.
        data = load_subject_data(db, study, subject, forms_needed(study, form, check_ref, subject.arm))
        rows = list(instance.values) if instance is not None else []
        confirmed = {row.item_code: frozenset(filter(None, row.confirmed.split("\n"))) for row in rows
                     if row.confirmed}
        return FormState(
            ref=ref, form=form, subject_label=subject.label, exists=instance is not None,
            status=FormStatus(instance.status) if instance is not None else FormStatus.NOT_STARTED,
            values=typed_values(form, rows), confirmed=confirmed, subject=data,
            where=Where(ref.visit, ref.timepoint, today or session.clock.now().date()),
            editable=refusal is None, why_not=refusal.message if refusal else "", refusal=refusal,
            updated_at=instance.updated_at if instance is not None else "",
            updated_by=instance.updated_by if instance is not None else "")


def _refusal(session: SiteSession, db: Session, study: Study, subject: Subject, ref: FormRef,
             instance: FormInstance | None) -> ServiceError | None:
    """What save_form would refuse with, checked up front so the editor can show read-only; None if editable."""
    if not may(session.actor.role, Do.ENTER_DATA):
        try:
            session.require(Do.ENTER_DATA)
        except ServiceError as exc:
            return exc
    locked = locks.change_refusal(db, subject, ref)
    if locked is not None:
        return locked
    if instance is not None and instance.deleted:
        return WrongState("form-removed", ref=ref, reason=instance.deleted_reason)
    try:
        form_allowed(study, subject, ref)
    except ServiceError as exc:
        return exc
    return None
