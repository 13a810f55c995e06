"""A saved form of the demo to print (tests/test_form_print.py and the editor's Print button)."""
from __future__ import annotations

from sqlalchemy import select

from ecrf.export.records import ValueRecord
from ecrf.services.permissions import Do
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef
from ecrf.store.models import FormInstance, Subject


def saved_visit_form(session: SiteSession) -> tuple[FormRef, dict[str, ValueRecord]]:
    """A saved vital-signs form of the demo with its stored values."""
    with session.read(Do.READ_DATA) as db:
        instance = db.scalars(select(FormInstance).where(FormInstance.form_code == "VS", FormInstance.visit_code != "",
                                                         FormInstance.deleted.is_(False))
                              .order_by(FormInstance.id)).first()
        assert instance is not None, "the demo has saved vital signs"
        subject = db.get_one(Subject, instance.subject_pk)
        ref = FormRef(subject.subject_id or subject.screening_no, instance.visit_code, "VS", instance.timepoint,
                      instance.repeat)
        values = {v.item_code: ValueRecord(v.item_code, v.value, v.missing, v.saved_at, v.saved_by)
                  for v in instance.values}
        return ref, values
