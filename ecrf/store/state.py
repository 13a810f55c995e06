"""What the database stores, in the shape the trail replay produces (`ecrf.trail.replay.Stored`), so the
two can be compared: every value, missing code, form status and subject, and the monitoring (verification
marks, query states, locks in force)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecrf.store.models import FormInstance, ItemValue, LockRow, QueryRow, SdvMark, Subject
from ecrf.study.status import SdvState, query_number
from ecrf.trail.replay import NOT_STARTED, FormKey, Stored

MARKED = (SdvState.VERIFIED, SdvState.CHANGED)


def stored_state(db: Session) -> Stored:
    state = Stored()
    screening = dict(db.execute(select(Subject.id, Subject.screening_no)).all())
    for screening_no, subject_id, status in db.execute(select(Subject.screening_no, Subject.subject_id,
                                                              Subject.status)):
        state.subjects[screening_no] = (subject_id, status)
    forms: dict[int, FormKey] = {}
    for pk, subject_pk, visit, form, timepoint, repeat, status, deleted in db.execute(select(
            FormInstance.id, FormInstance.subject_pk, FormInstance.visit_code, FormInstance.form_code,
            FormInstance.timepoint, FormInstance.repeat, FormInstance.status, FormInstance.deleted)):
        key = (screening[subject_pk], visit or "", form, timepoint or "", repeat or 0)
        forms[pk] = key
        if status != NOT_STARTED or deleted:
            state.forms[key] = (status, bool(deleted))
    for form_pk, item, value, missing in db.execute(select(ItemValue.form_pk, ItemValue.item_code,
                                                           ItemValue.value, ItemValue.missing)):
        if value is not None or missing is not None:
            state.values[(*forms[form_pk], item)] = (value, missing)
    _monitoring(db, state, screening, forms)
    return state


def _monitoring(db: Session, state: Stored, screening: dict[int, str], forms: dict[int, FormKey]) -> None:
    state.monitoring = True
    for form_pk, item, mark in db.execute(select(SdvMark.form_pk, SdvMark.item_code, SdvMark.state)):
        if mark in MARKED:
            state.sdv[(*forms[form_pk], item)] = mark
    for pk, query_state in db.execute(select(QueryRow.id, QueryRow.state)):
        state.queries[query_number(pk)] = query_state
    for subject_pk, visit, form, timepoint, repeat in db.execute(select(
            LockRow.subject_pk, LockRow.visit_code, LockRow.form_code, LockRow.timepoint, LockRow.repeat)
            .where(LockRow.active.is_(True))):
        state.locks.add((screening[subject_pk], visit, form, timepoint, repeat))
