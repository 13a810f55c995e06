"""Completeness per visit and form: form instances complete out of those expected by the site's data-as-of date.

Expected, per subject (the rule the site's own signing and locking use, `ecrf.services.expected`, with the
window test added):
- the visits before Day 0 (screening) as soon as the subject exists;
- every other visit once it is scheduled (the subject allocated: a visits.csv row), not cancelled, and its
  window has opened (earliest date on or before the site's data-as-of date);
- at each such visit, the forms the schedule asks for the subject's arm, once per timepoint;
- after a screen failure nothing more is collected: only the form instances entered are expected.
Any form instance that is there counts as expected as well (an unscheduled one is still data to finish).
Log forms (adverse events, medications) have no schedule and are left out. Removed instances do not count.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ecrf.merge.report.model import CompletenessLine
from ecrf.merge.report.read import Row, SiteRows
from ecrf.study.model import Study
from ecrf.study.status import FormStatus, SubjectStatus

PlaceKey = tuple[str, str, str]  # visit, form, timepoint


def count_site(study: Study, site: SiteRows, expected: Counter[tuple[str, str]],
               complete: Counter[tuple[str, str]]) -> None:
    """Add one site's expected and complete form instances, by (visit, form), to the counters."""
    for subject in site.subjects:
        label = str(subject["subject"])
        present = {(f.visit, f.form, f.timepoint): f for f in site.forms.get(label, []) if f.visit and not f.deleted}
        scheduled = set() if subject["status"] == SubjectStatus.SCREEN_FAILURE else set(
            _scheduled(study, subject, site.visits.get(label, []), site.as_of_date))
        for visit, form, timepoint in scheduled | present.keys():
            expected[(visit, form)] += 1
            record = present.get((visit, form, timepoint))
            if record is not None and record.status == FormStatus.COMPLETE:
                complete[(visit, form)] += 1


def _scheduled(study: Study, subject: Row, visits: list[Row], as_of: str) -> Iterable[PlaceKey]:
    rows = {str(v["visit"]): v for v in visits}
    arm = subject["arm"] or None
    for visit in study.visits:
        row = rows.get(visit.code)
        if row is not None and row["cancelled"] == "true":
            continue
        opened = visit.before_day0 or (row is not None and str(row["earliest"]) <= as_of)
        if not opened:
            continue
        for visit_form in visit.forms_for(arm):
            for timepoint in visit_form.timepoints or ("",):
                yield visit.code, visit_form.form, timepoint


def completeness_lines(study: Study, expected: Counter[tuple[str, str]],
                       complete: Counter[tuple[str, str]]) -> tuple[CompletenessLine, ...]:
    """In schedule order; places the schedule does not name (a form of an older definition) last."""
    order: list[tuple[str, str]] = []
    for visit in study.visits:
        for visit_form in visit.forms:
            if (visit.code, visit_form.form) not in order:
                order.append((visit.code, visit_form.form))
    order += sorted(expected.keys() - set(order))
    return tuple(CompletenessLine(visit=v, visit_label=_visit_label(study, v), form=f,
                                  form_label=study.forms[f].label.en if f in study.forms else f,
                                  expected=expected[(v, f)], complete=complete[(v, f)])
                 for v, f in order if expected[(v, f)])


def _visit_label(study: Study, code: str) -> str:
    try:
        return study.visit(code).label.en
    except KeyError:
        return code
