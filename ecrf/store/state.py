"""What the database stores, in the shape the trail replay produces (`ecrf.trail.replay.Stored`), so the
two can be compared: every value, missing code, form status and subject."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ecrf.store.models import FormInstance, ItemValue, Subject
from ecrf.trail.replay import NOT_STARTED, Stored


def stored_state(db: Session) -> Stored:
    state = Stored()
    screening = dict(db.execute(select(Subject.id, Subject.screening_no)).all())
    for screening_no, subject_id, status in db.execute(select(Subject.screening_no, Subject.subject_id,
                                                              Subject.status)):
        state.subjects[screening_no] = (subject_id, status)
    forms = {}
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
    return state
