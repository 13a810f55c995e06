"""The forms a subject's schedule expects in a place: what a lock and a signature hold against the forms
actually there (a form never started has its required items empty too)."""
from __future__ import annotations

from datetime import date

from ecrf.store.models import Subject
from ecrf.study.model import Study
from ecrf.study.place import Place
from ecrf.study.status import Scope, SubjectStatus


def expected_forms(study: Study, subject: Subject, place: Place, *, closed_before: date | None = None) -> list[Place]:
    """The forms the schedule expects in `place` (a form expects itself): of every visit not cancelled that is
    due for this subject (screening always; the others once allocated); none after a screen failure. With
    `closed_before`, only visits whose window closed before that day (what must be there by now)."""
    if place.scope is Scope.FORM:
        return [place]
    if subject.status == SubjectStatus.SCREEN_FAILURE:
        return []  # nothing more is collected after a screen failure: what was entered must be complete
    cancelled = {row.visit_code for row in subject.visits if row.cancelled}
    scheduled = {row.visit_code for row in subject.visits
                 if closed_before is None or row.latest < closed_before.isoformat()}
    places = []
    for visit in study.visits:
        if not place.contains(Place(visit.code)) or visit.code in cancelled:
            continue
        if (closed_before is not None or not visit.before_day0) and visit.code not in scheduled:
            continue  # not scheduled yet (or, with `closed_before`, its window still open)
        for visit_form in visit.forms_for(subject.arm):
            if visit_form.form == study.allocation_form and subject.arm is None:
                continue  # filled by the allocation itself
            places += [Place(visit.code, visit_form.form, tp) for tp in visit_form.timepoints or ("",)]
    return places
