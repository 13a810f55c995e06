"""What the form editor shows of one form's monitoring, in one read: each item's verification (`sdv.form_sdv`)
and the form's state under its header (as `monitoring_view.form_states` gives it for the whole subject), read for
that form alone and sharing the subject, the instance and its marks."""
from __future__ import annotations

from dataclasses import dataclass

from ecrf.services import sdv
from ecrf.services.monitoring_view import MonitoringState, instance_state
from ecrf.services.permissions import Do
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef, find_instance, find_subject


@dataclass(frozen=True)
class FormMonitoring:
    sdv: sdv.FormSdv
    state: MonitoringState | None  # None when the form was never saved or was removed


def form_monitoring(session: SiteSession, ref: FormRef) -> FormMonitoring:
    with session.read(Do.READ_DATA) as db:
        subject = find_subject(db, ref.subject)
        instance = find_instance(db, subject, ref)
        found = sdv.instance_sdv(db, session.study, ref, instance)
        if instance is None or instance.deleted:
            return FormMonitoring(found, None)
        return FormMonitoring(found, instance_state(db, subject.id, ref, found.summary, found.complete))
