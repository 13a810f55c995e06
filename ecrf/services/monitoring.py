"""Where data entry meets monitoring: every change of clinical data passes `guard_change` first (locks and the
site's freeze) and `after_change` in the same transaction (verified items become "changed since verified",
covered signatures break, automatic queries close or re-open). One place, so no write path can skip them."""
from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from ecrf.services import esign, locks, queries, sdv
from ecrf.services.session import Tx
from ecrf.services.subject_data import FormRef
from ecrf.services.subject_records import SubjectRecords
from ecrf.store.models import FormInstance, Subject
from ecrf.study.model import Study
from ecrf.study.validate import FormCheck


def guard_change(tx: Tx, subject: Subject, ref: FormRef, records: SubjectRecords | None = None) -> None:
    """Refuse a change of clinical data at `ref` (a form, or the subject itself with form '') when the site
    is frozen or locked, or a lock covers it. `records`: a batch's copy of the subject's rows, read instead of
    the database (see `ecrf.services.subject_records`)."""
    locks.refuse_change(tx, subject, ref, records.active_locks(subject) if records is not None else None)


def after_change(tx: Tx, study: Study, subject: Subject, instance: FormInstance, changed: Collection[str],
                 check: FormCheck | None, reason: str | None, *, new_form: bool = False,
                 stored: Mapping[str, Any] | None = None, records: SubjectRecords | None = None) -> None:
    """What a saved change means for monitoring, inside the saving transaction. `changed` are the item codes
    whose value or missing code changed ('' for the form as a whole, e.g. a log entry removed); `check` is
    the validation of the form as saved (None when no values were validated). `new_form`: the instance was
    made by this save, so nothing on it can have been verified yet. `stored`: the form's typed values as now
    stored, when the caller has them (else they are read back). `records`: as for `guard_change`."""
    if changed:
        if not new_form:
            sdv.values_changed(tx, subject, instance, changed)
        sdv.count_required(study, instance, stored)
        esign.data_changed(tx, subject, instance, changed, reason,
                           records.signatures(subject) if records is not None else None)
    queries.form_saved(tx, study, subject, instance, changed, check,
                       records.auto_queries(subject) if records is not None else None)
