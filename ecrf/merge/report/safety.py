"""Safety in the report: adverse events by grade and arm, deaths by Day 28 per arm.

Nothing here knows the trial's codes: the AE form is the form with an item whose CDASH name is AETOXGR
(toxicity grade) or else AESEV (severity), its grades that item's codelist; a death is a date in any item whose
CDASH name is DTHDAT (in this trial the 28-day mortality and end-of-study forms), or a subject whose status is
"died" (its end date). The arm is the subject's, from subjects.csv.
"""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

from ecrf.merge.report.model import NOT_ALLOCATED, NOT_GRADED, AdverseEvents, DeathLine, Deaths
from ecrf.merge.report.read import SiteRows, parse_day
from ecrf.study.model import Form, Item, Study
from ecrf.study.status import SubjectStatus

GRADE_CDASH = ("AETOXGR", "AESEV")  # preferred first
DEATH_DATE_CDASH = "DTHDAT"
DEATH_DAY = 28


def grade_item(study: Study) -> tuple[Form, Item] | None:
    """The AE form and its grade item, logs first; None when the study grades no adverse events."""
    forms = [study.forms[c] for c in study.logs if c in study.forms]
    forms += [f for c, f in study.forms.items() if c not in study.logs]
    for cdash in GRADE_CDASH:
        for form in forms:
            for item in form.items:
                if item.cdash == cdash:
                    return form, item
    return None


class SafetyCounts:
    """Counts adverse events and deaths site by site."""

    def __init__(self, study: Study) -> None:
        self.study = study
        self.ae = grade_item(study)
        self.death_items = tuple((f.code, i.code) for f in study.forms.values() for i in f.items
                                 if i.cdash == DEATH_DATE_CDASH)
        self.events: Counter[tuple[str, str]] = Counter()
        self.ae_subjects: Counter[str] = Counter()
        self.arms_seen: set[str] = set()
        self.allocated: Counter[str] = Counter()
        self.reached: Counter[str] = Counter()
        self.died: Counter[str] = Counter()

    def add_site(self, site: SiteRows) -> None:
        for subject in site.subjects:
            label, arm = str(subject["subject"]), str(subject["arm"] or "") or NOT_ALLOCATED
            self.arms_seen.add(arm)
            if self.ae is not None:
                self._count_events(site, label, arm)
            if subject["day0"] and subject["arm"]:
                self._count_death(site, label, arm, subject["status"], subject["ended_on"], str(subject["day0"]))

    def _count_events(self, site: SiteRows, label: str, arm: str) -> None:
        assert self.ae is not None
        form, item = self.ae
        events = [f for f in site.forms.get(label, []) if f.form == form.code and not f.deleted]
        for record in events:
            grade = next((v.value for v in record.values if v.item == item.code and v.value), None)
            self.events[(grade or NOT_GRADED, arm)] += 1
        self.ae_subjects[arm] += bool(events)

    def _count_death(self, site: SiteRows, label: str, arm: str, status: object, ended_on: object,
                     day0_text: str) -> None:
        day0 = parse_day(day0_text)
        if day0 is None:
            return
        dates = [parse_day(v.value) for f in site.forms.get(label, []) if not f.deleted for v in f.values
                 if (f.form, v.item) in self.death_items]
        if status == SubjectStatus.DIED:
            dates.append(parse_day(ended_on))
        death = min((d for d in dates if d is not None), default=None)  # a partial date cannot place a death
        horizon = day0 + timedelta(days=DEATH_DAY)
        died = death is not None and death <= horizon
        self.allocated[arm] += 1
        self.died[arm] += died
        as_of = parse_day(site.as_of_date)
        self.reached[arm] += died or (as_of is not None and horizon <= as_of)

    def adverse_events(self, arms: tuple[str, ...]) -> AdverseEvents:
        if self.ae is None:
            return AdverseEvents("", "", "", (), arms, {}, {})
        form, item = self.ae
        grades = [(str(c.code), c.label.en) for c in item.codelist.items] if item.codelist else []
        known = {code for code, _ in grades}
        grades += [(g, g) for g in sorted({g for g, _ in self.events} - known - {NOT_GRADED})]
        grades.append((NOT_GRADED, NOT_GRADED))
        return AdverseEvents(form.code, form.label.en, item.code, tuple(grades), arms, dict(self.events),
                             dict(self.ae_subjects))

    def deaths(self, arms: tuple[str, ...]) -> Deaths:
        sources = [f"{form}.{item} (date of death)" for form, item in self.death_items]
        sources.append("subjects whose status is 'died' (their end date)")
        lines = tuple(DeathLine(arm, self.allocated[arm], self.reached[arm], self.died[arm])
                      for arm in arms if arm != NOT_ALLOCATED)
        return Deaths(DEATH_DAY, tuple(sources), lines)
