"""Write the planned subjects through the public services, one user's session per phase.

Every value is validated, confirmed and audited as if staff had typed it: warnings on real-looking
values are confirmed as staff do; a value the definition refuses (a definition this generator has no
plausible value for) is left out and the form stays in progress, with a warning in the log.
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import AbstractContextManager
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from ecrf.demo.entry import add_entries, save, save_all
from ecrf.demo.moment import Moment, study_day
from ecrf.demo.plan import Fate, LogEntry, Plan
from ecrf.demo.scenario import Scenario
from ecrf.demo.values import ValueMaker
from ecrf.services.errors import ServiceError
from ecrf.services.form_batch import FormSave
from ecrf.services.logs import LogEntrySave, remove_log_entry
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef
from ecrf.services.subjects import Allocation, allocate, allocate_all, end_participation, screen_subjects
from ecrf.study.model import Study, Visit
from ecrf.study.schedule import window_of
from ecrf.study.status import SubjectStatus

log = logging.getLogger(__name__)

DUPLICATE_REASON = "Entered twice by mistake; see entry #1"
END_STATUS = {Fate.DIED: SubjectStatus.DIED, Fate.WITHDRAWN: SubjectStatus.WITHDRAWN}
END_REASON = {Fate.DIED: "Died", Fate.WITHDRAWN: "Withdrew consent", Fate.COMPLETED: "Last study visit done"}


class Sessions(Protocol):
    """Logs a demo user in for one phase (a site opens in one session at a time)."""

    def session(self, username: str) -> AbstractContextManager[SiteSession]: ...


class Writer:
    """The demo's data entry: screening, allocation, visits, logs and the end of participation."""

    def __init__(self, study: Study, scenario: Scenario, today: date) -> None:
        self.study, self.scenario, self.today = study, scenario, today
        self.maker = ValueMaker(study, scenario)

    def run(self, site: Sessions, plans: list[Plan]) -> None:
        # The study nurse screens, allocates from the list (the role may) and enters the visits; the
        # investigator records screen failures, the log entries and the ends of participation. Two
        # logins, not one per step (each is a key derivation, cheap with the demo profile, and audited);
        # forms are saved many at a time, in one transaction each (save_all).
        with site.session("nurse") as nurse:
            self.screen(nurse, plans)
            self.allocate(nurse, plans)
            self.follow_up(nurse, plans)
        with site.session("investigator") as investigator:
            self.close_out(investigator, plans)

    # -- phases ---------------------------------------------------------------------------------

    def screen(self, session: SiteSession, plans: list[Plan]) -> None:
        # The subjects in order of consent, registered in one transaction; their screening forms in another.
        ordered = sorted(plans, key=lambda p: (p.consent, p.index))
        for plan, label in zip(ordered, screen_subjects(session, len(ordered)), strict=True):
            plan.label = label
        saves: list[FormSave] = []
        for plan in ordered:
            for visit in (v for v in self.study.visits if v.before_day0):
                forms = list(self._forms_at(visit, None))
                if plan.fate is Fate.SCREENING:
                    forms = forms[:self._screening_progress(forms)]
                saves += [self.entry(plan, visit, plan.consent, form, timepoint) for form, timepoint in forms]
        save_all(session, saves, today=self.today)

    def _screening_progress(self, forms: list[tuple[str, str]]) -> int:
        """A subject still in screening has the forms up to the eligibility form and one more."""
        codes = [form for form, _ in forms]
        eligibility = self.study.eligibility_form
        return codes.index(eligibility) + 2 if eligibility in codes else 1

    def allocate(self, session: SiteSession, plans: list[Plan]) -> None:
        chosen = _allocated(plans)
        for plan, allocation in zip(chosen, _allocations(session, chosen), strict=True):
            if isinstance(allocation, ServiceError):  # a definition whose eligibility rules the values do not meet
                log.warning("Demo: %s stays in screening: %s", plan.label, allocation.message)
                plan.fate, plan.day0 = Fate.SCREENING, None
                continue
            plan.label, plan.arm = allocation.subject_id, allocation.arm

    def _failure_reason(self, plan: Plan) -> str:
        if self.study.eligibility_form and plan.failed_item:
            return f"Not eligible: {self.study.form(self.study.eligibility_form).item(plan.failed_item).label.en}"
        return "Not eligible"

    def follow_up(self, session: SiteSession, plans: list[Plan]) -> None:
        # Every subject's visits in one transaction (one seal, one commit), subject after subject.
        saves = [self.entry(plan, visit, on, form, timepoint) for plan in _allocated(plans)
                 for visit, on in ((self.study.visit(code), on) for code, on in plan.visits.items())
                 for form, timepoint in self._forms_at(visit, plan.arm)]
        save_all(session, saves, today=self.today)
        self._correct_a_value(session, plans)

    def close_out(self, session: SiteSession, plans: list[Plan]) -> None:
        for plan in plans:
            if plan.fate is Fate.SCREEN_FAILURE:
                end_participation(session, plan.label, SubjectStatus.SCREEN_FAILURE, plan.consent,
                                  self._failure_reason(plan))
        add_entries(session, [self.log_entry(plan, entry) for plan in _allocated(plans)
                              for entry in plan.entries if entry.form in self.study.logs], today=self.today)
        self._remove_a_duplicate(session, plans)
        ending = [plan for plan in _allocated(plans) if plan.end is not None]
        # The forms recorded at the ends, all in one transaction; then each subject's end of participation.
        save_all(session, [save for plan in ending for save in self._end_forms(plan)], today=self.today)
        for plan in ending:
            self._end_participation(session, plan)

    # -- entering -------------------------------------------------------------------------------

    def _forms_at(self, visit: Visit, arm: str | None) -> Iterator[tuple[str, str]]:
        """Forms staff fill at a visit (allocation fills its own form; end of study is recorded at the end)."""
        for visit_form in visit.forms_for(arm):
            if visit_form.form not in (self.study.allocation_form, self.study.end_of_study_form):
                for timepoint in visit_form.timepoints or ("",):
                    yield visit_form.form, timepoint

    def moment(self, plan: Plan, visit: Visit, on: date, timepoint: str = "") -> Moment:
        return Moment(plan, visit.code, on, study_day(visit, plan, on), self.today, timepoint,
                      key=f"{visit.code}:{timepoint}", end=plan.end)

    def enter(self, session: SiteSession, plan: Plan, visit: Visit, on: date, form: str, timepoint: str) -> None:
        """One form, saved as staff do (see save_all)."""
        save_all(session, [self.entry(plan, visit, on, form, timepoint)], today=self.today)

    def entry(self, plan: Plan, visit: Visit, on: date, form: str, timepoint: str) -> FormSave:
        """What staff enter on this form at this visit, and whether they finish it."""
        values = self.maker.form_values(self.study.form(form), self.moment(plan, visit, on, timepoint))
        unfinished = (visit.code, form) in plan.in_progress or (
            plan.fate is Fate.SCREENING and form == self.study.eligibility_form)
        return FormSave(FormRef(plan.label, visit.code, form, timepoint), values, complete=not unfinished)

    def log_entry(self, plan: Plan, entry: LogEntry) -> LogEntrySave:
        """What staff enter in a log for this planned entry (finished, unless something is refused)."""
        moment = Moment(plan, "", entry.start, _day_of(plan, entry.start), self.today,
                        key=f"{entry.form}:{entry.name}:{entry.start}", end=entry.end, specs=entry.specs,
                        partial_start=entry.partial_start)
        values = self.maker.form_values(self.study.form(entry.form), moment)
        return LogEntrySave(plan.label, entry.form, {k: v for k, v in values.items() if v is not None},
                            complete=True)

    def _end_forms(self, plan: Plan) -> list[FormSave]:
        """Forms the fate asks for at its end (e.g. 28-day mortality) and the end of study form."""
        end = plan.end
        assert end is not None and plan.day0 is not None
        rule = self.scenario.fates.get(plan.fate.value)
        saves: list[FormSave] = []
        for form in rule.forms_at_end if rule else ():
            visits = self.study.visits_of_form(form)
            if visits and visits[0] not in plan.visits:
                # Recorded at its visit, dated that visit's target once it has passed, else the end.
                target = window_of(self.study.visit(visits[0]), plan.day0)[0]
                saves.append(self.entry(plan, self.study.visit(visits[0]),
                                        target if target <= self.today else end, form, ""))
        eos_form, eos_visit = self.study.end_of_study_form, self.study.end_of_study_visit
        eos_visit = eos_visit or next(iter(self.study.visits_of_form(eos_form or "")), None)
        if eos_form and eos_visit:
            saves.append(self.entry(plan, self.study.visit(eos_visit), end, eos_form, ""))
        return saves

    def _end_participation(self, session: SiteSession, plan: Plan) -> None:
        """The end of participation, after the forms recorded at it (`_end_forms`)."""
        assert plan.end is not None
        rule = self.scenario.fates.get(plan.fate.value)
        reason = (rule.reason if rule and rule.reason else None) or END_REASON.get(plan.fate, "Ended")
        end_participation(session, plan.label, END_STATUS.get(plan.fate, SubjectStatus.COMPLETED), plan.end, reason)

    def _remove_a_duplicate(self, session: SiteSession, plans: list[Plan]) -> None:
        """A log entry entered twice, then removed with a reason: the removal shows in the audit trail."""
        for plan in _allocated(plans):
            entries = [e for e in plan.entries if e.form in self.study.logs]
            if entries:
                repeats = add_entries(session, [self.log_entry(plan, entries[0])], today=self.today)
                if repeats:
                    remove_log_entry(session, plan.label, entries[0].form, repeats[0], DUPLICATE_REASON)
                return

    def _correct_a_value(self, session: SiteSession, plans: list[Plan]) -> None:
        """A completed number corrected against the source, so the item history shows old → new and why.

        In the scenario's visit and form, else in the first visit (and subject) that has a number."""
        fix = self.scenario.correction
        visits = [self.study.visit(fix.visit)] if fix.visit else list(self.study.visits)
        for visit in visits:
            for plan in _allocated(plans):
                on = plan.consent if visit.before_day0 else plan.visits.get(visit.code)
                target = self._correctable(plan, visit, on) if on else None
                if target is not None:
                    form, item, value = target
                    new = value + (round(fix.plus) if isinstance(value, int) else Decimal(str(fix.plus)))
                    save(session, FormRef(plan.label, visit.code, form), {item: new}, today=self.today,
                         reason=fix.reason)
                    return

    def _correctable(self, plan: Plan, visit: Visit, on: date) -> tuple[str, str, Any] | None:
        fix = self.scenario.correction
        for form, timepoint in self._forms_at(visit, plan.arm):
            if timepoint or (fix.form and form != fix.form) or (visit.code, form) in plan.in_progress:
                continue
            values = self.maker.form_values(self.study.form(form), self.moment(plan, visit, on))
            for item in self.study.form(form).items:
                value = values.get(item.code)
                if (fix.item is None or item.code == fix.item) and isinstance(value, (int, Decimal)):
                    return form, item.code, value
        return None


def _allocations(session: SiteSession, plans: list[Plan]) -> list[Allocation | ServiceError]:
    """All subjects allocated in one transaction; if the batch is refused as a whole (a subject's allocation form
    refused by the study's checks), one by one, so only that subject stays in screening."""
    try:
        return allocate_all(session, [(plan.label, plan.day0) for plan in plans])
    except ServiceError:
        return [_allocation(session, plan) for plan in plans]


def _allocation(session: SiteSession, plan: Plan) -> Allocation | ServiceError:
    try:
        return allocate(session, plan.label, day0=plan.day0)
    except ServiceError as refused:
        return refused


def _allocated(plans: list[Plan]) -> list[Plan]:
    return sorted((p for p in plans if p.allocated), key=lambda p: (p.day0, p.index))


def _day_of(plan: Plan, on: date) -> int:
    return (on - plan.day0).days if plan.day0 else -1
