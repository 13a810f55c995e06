"""What the form editor shows of one form's monitoring, in one read: each item's verification (`sdv.form_sdv`)
and the form's state under its header (`monitoring_view.form_state`). Both open with every form, so they share
the subject, the instance and its marks instead of reading them twice."""
from __future__ import annotations

from dataclasses import dataclass

from ecrf.services import sdv
from ecrf.services.monitoring_view import MonitoringState, instance_state
from ecrf.services.permissions import Do
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef, find_instance, find_subject, typed_values
from ecrf.study.status import FormStatus, SdvState


@dataclass(frozen=True)
class FormMonitoring:
    sdv: sdv.FormSdv
    state: MonitoringState | None  # None when the form was never saved or was removed


def form_monitoring(session: SiteSession, ref: FormRef) -> FormMonitoring:
    form = session.study.form(ref.form)
    with session.read(Do.READ_DATA) as db:
        subject = find_subject(db, ref.subject)
        instance = find_instance(db, subject, ref)
        if instance is None or instance.deleted:
            nothing = {item.code: SdvState.NOT_REQUIRED for item in form.items}
            return FormMonitoring(sdv.FormSdv(False, nothing, sdv.NOT_REQUIRED), None)
        values = typed_values(form, instance.values) if sdv.needs_values(session.study, ref.visit, ref.form) else None
        required = sdv.required_items(session.study, ref.visit, ref.form, values)
        marks = sdv.marks_of(db, instance)
        states = sdv.item_states(required, marks)
        complete = instance.status == FormStatus.COMPLETE
        summary = sdv.form_summary(required, marks)
        items = {item.code: states.get(item.code, SdvState.NOT_REQUIRED) for item in form.items}
        return FormMonitoring(sdv.FormSdv(complete, items, summary),
                              instance_state(db, subject.id, ref, summary, complete))
