"""The demo site: a new site filled with synthetic subjects through the public services only, so every
value is validated, confirmed and audited exactly as if staff had typed it. Deterministic for a given
number of subjects and `today` (values come from fixed seeds; only audit times and keys differ)."""
from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from random import Random
from typing import Any

from ecrf.services import demo_values as dv
from ecrf.services.auth import login
from ecrf.services.errors import (
    InvalidInput,
    NeedsConfirmation,
    ServiceError,
    ValuesRefused,
)
from ecrf.services.forms import save_form
from ecrf.services.logs import add_log_entry, remove_log_entry
from ecrf.services.session import SiteSession
from ecrf.services.site_setup import create_site
from ecrf.services.subject_data import FormRef
from ecrf.services.subjects import (
    allocate,
    end_participation,
    import_allocation_list,
    screen_subject,
)
from ecrf.services.users import add_user
from ecrf.store.clock import Clock
from ecrf.study.status import SubjectStatus
from ecrf.study.findings import Severity
from ecrf.study.model import Study, Visit
from ecrf.study.schedule import window_of
from ecrf.study.values import PartialDate

log = logging.getLogger(__name__)

SEED = 20200127  # the trial's start date: the same demo on every machine
SITE_CODE, SITE_NAME = "DEMO", "Demo hospital (synthetic data)"
SPAN_DAYS = 200  # subjects are screened over the last ~200 days, so some have finished Day 180


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    full_name: str
    password: str


@dataclass(frozen=True)
class DemoSite:
    db_path: Path
    recovery_code: str
    users: tuple[DemoUser, ...]
    subject_ids: tuple[str, ...]  # subject ids, or screening numbers of subjects never allocated


DEMO_USERS = (
    DemoUser("admin", "site_admin", "Ada Admin (demo)", "demo-admin-2020"),
    DemoUser("investigator", "investigator", "Dr Lin Zhao (demo)", "demo-investigator-2020"),
    DemoUser("nurse", "nurse", "Mei Chen (demo nurse)", "demo-nurse-2020"),
    DemoUser("monitor", "monitor", "Sam Patel (demo monitor)", "demo-monitor-2020"),
    DemoUser("reader", "read_only", "Jo Kim (demo reader)", "demo-reader-2020"),
)


class Fate(StrEnum):
    SCREENING = "screening"
    SCREEN_FAILURE = "screen_failure"
    ONGOING = "ongoing"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    DIED = "died"


@dataclass
class Plan:
    """One synthetic subject: what happens to it and when."""

    index: int
    fate: Fate
    consent: date
    profile: dv.Profile
    rng: Random
    day0: date | None = None
    arm: str | None = None
    end: date | None = None  # death, withdrawal or completion
    visits: dict[str, date] = field(default_factory=dict)  # visits after Day 0 that took place
    flags: dict[str, set[str]] = field(default_factory=dict)  # per visit: special cases for the values
    failed_item: str | None = None
    aes: list[dv.AePlan] = field(default_factory=list)
    cms: list[dv.CmPlan] = field(default_factory=list)
    saved: dict[str, dict[str, Any]] = field(default_factory=dict)  # screening forms as saved
    label: str = ""

    def flag(self, visit: str, name: str) -> None:
        self.flags.setdefault(visit, set()).add(name)

    def window(self, study: Study, visit: str) -> tuple[date, date, date]:
        """(target, earliest, latest) of one of this allocated subject's visits."""
        assert self.day0 is not None
        return window_of(study.visit(visit), self.day0)


def create_demo(db_path: Path, study: Study, *, subjects: int = 20, today: date | None = None,
                clock: Clock | None = None) -> DemoSite:
    """Create the demo site at `db_path` (SiteExists if there is one already) and fill it with `subjects`."""
    if subjects < 0:
        raise InvalidInput("The number of demo subjects cannot be negative.")
    clock = clock or Clock()
    today = today or clock.now().date()
    if today > clock.now().date():  # allocation and end dates are checked against the computer's date
        raise InvalidInput(f"The demo's today ({today.isoformat()}) cannot be after the computer's date.")
    rows = allocation_rows(study, subjects)
    plans = plan_subjects(study, subjects, today, [arm for _, arm in rows])
    recovery_code = _set_up_site(db_path, study, rows, clock)
    # One session per role and phase (a site opens in one session at a time): the nurse screens and
    # enters visits, the investigator allocates, records adverse events and ends participation.
    with _session(db_path, study, "nurse", clock) as nurse:
        _screen(nurse, plans, today)
    with _session(db_path, study, "investigator", clock) as investigator:
        _allocate(investigator, plans)
    with _session(db_path, study, "nurse", clock) as nurse:
        _follow_up(nurse, plans, today)
    with _session(db_path, study, "investigator", clock) as investigator:
        _close_out(investigator, plans, today)
    labels = tuple(p.label for p in sorted(plans, key=lambda p: (p.consent, p.index)))
    return DemoSite(db_path, recovery_code, DEMO_USERS, labels)


# -- the plan: who, when, what happens -----------------------------------------------------------

def allocation_rows(study: Study, subjects: int) -> list[tuple[str, str]]:
    """A block-randomised list (each block holds every arm twice), long enough for the demo subjects."""
    arms, rng, rows = [a.code for a in study.arms], Random(SEED), []
    while arms and len(rows) < max(subjects, study.info.planned_subjects or 0, 1):
        block = arms * 2
        rng.shuffle(block)
        rows += block
    return [(f"R{n:03d}", arm) for n, arm in enumerate(rows, start=1)]


def plan_subjects(study: Study, count: int, today: date, arms: list[str]) -> list[Plan]:
    failures = 0 if count < 3 else 1 if count < 10 else 2
    screening = 1 if count >= 6 else 0
    allocated = [_allocated(study, i, offset, today) for i, offset in enumerate(_offsets(count - failures - screening))]
    allocated.sort(key=lambda p: (p.day0, p.index))
    for plan, arm in zip(allocated, arms, strict=False):
        plan.arm = arm  # allocation follows the list in order of Day 0
    _assign_endings(allocated, today)
    _assign_gaps(study, allocated, today)
    _assign_infusion_events(study, allocated)
    plans = list(allocated)
    for k in range(failures):
        consent = today - timedelta(days=SPAN_DAYS * (k + 1) // (failures + 1))
        plans.append(_unallocated(study, len(plans), Fate.SCREEN_FAILURE, consent, k))
    if screening:
        plans.append(_unallocated(study, len(plans), Fate.SCREENING, today, 0))
    for plan in allocated:
        _plan_adverse_events(study, plan, today)
        _plan_medications(plan, today)
    return plans


def _offsets(allocated: int) -> list[int]:
    """Days before today of each Day 0: a third early enough to have finished, the rest spread to now."""
    early = min(allocated, max(1, round(allocated * 0.35))) if allocated else 0

    def spread(first: int, last: int, k: int) -> list[int]:
        return [first - round((first - last) * i / max(k - 1, 1)) for i in range(k)]

    return spread(SPAN_DAYS - 2, 184, early) + spread(170, 4, allocated - early)


def _allocated(study: Study, index: int, offset: int, today: date) -> Plan:
    rng = Random(SEED * 1000 + index)
    day0 = today - timedelta(days=offset + rng.randint(-2, 2))
    consent = day0 - timedelta(days=rng.randint(0, 2))
    plan = Plan(index, Fate.ONGOING, consent, dv.make_profile(rng, consent), rng, day0=day0)
    after_day0, previous = [v for v in study.visits if not v.before_day0], day0 - timedelta(days=2)
    for visit in after_day0:
        target, _, latest = window_of(visit, day0)
        actual = target + timedelta(days=rng.randint(-min(2, visit.window_before), min(2, visit.window_after)))
        actual = min(max(actual, previous + timedelta(days=2)), latest)  # infusions at least two days apart
        if actual > today:
            break
        plan.visits[visit.code] = previous = actual
    if after_day0 and len(plan.visits) == len(after_day0):
        plan.fate, plan.end = Fate.COMPLETED, max(plan.visits.values())
    return plan


def _unallocated(study: Study, index: int, fate: Fate, consent: date, k: int) -> Plan:
    rng = Random(SEED * 1000 + index)
    plan = Plan(index, fate, consent, dv.make_profile(rng, consent), rng)
    screening_visit = next((v.code for v in study.visits if v.before_day0), "")
    if fate is Fate.SCREENING:
        plan.flag(screening_visit, "partial_ie")
    elif study.eligibility_form:
        criteria = study.form(study.eligibility_form).criteria
        exclusions = [i for i in criteria if i.criterion and i.criterion.kind == "exclusion"] or list(criteria)
        plan.failed_item = exclusions[-1 - k % len(exclusions)].code if exclusions else None
    return plan


def _assign_endings(allocated: list[Plan], today: date) -> None:
    """One death in the first 28 days, one withdrawal after Day 28."""
    ongoing = [p for p in allocated if p.fate is Fate.ONGOING]
    for fate, position, day in ((Fate.DIED, 1, 10), (Fate.WITHDRAWN, len(ongoing) // 2, 40)):
        if len(ongoing) >= 3 + (fate is Fate.WITHDRAWN):
            plan = ongoing[position]
            end = plan.day0 + timedelta(days=day) if plan.day0 else today
            if end < today:
                plan.fate, plan.end = fate, end
                plan.visits = {code: on for code, on in plan.visits.items() if on <= end}


def _assign_gaps(study: Study, allocated: list[Plan], today: date) -> None:
    """A missed visit (overdue), a visit outside its window and lab results still pending."""
    ongoing = [p for p in allocated if p.fate is Fate.ONGOING]
    for plan in ongoing[len(ongoing) * 2 // 3:]:
        last = list(plan.visits)[-1]
        if len(plan.visits) >= 3 and plan.window(study, last)[2] < today:
            del plan.visits[last]
            break
    # The fifth visit after Day 0 (D28 here) done a day late, in a subject whose next visit is done too.
    codes = [v.code for v in study.visits if not v.before_day0]
    for plan in ongoing[:len(ongoing) * 2 // 3]:
        if len(codes) > 5 and codes[5] in plan.visits:
            plan.visits[codes[4]] = plan.window(study, codes[4])[2] + timedelta(days=1)
            break
    recent = [p for p in ongoing if p.visits and max(p.visits.values()) >= today - timedelta(days=14)]
    for plan in recent[-2:]:
        plan.flag(list(plan.visits)[-1], "pending_lab")


def _assign_infusion_events(study: Study, allocated: list[Plan]) -> None:
    """An infusion reaction in one MSC subject, an interrupted infusion in another; a swab before consent."""
    if allocated:
        plan = allocated[0]
        plan.flag(next((v.code for v in study.visits if v.before_day0), ""), "early_swab")
    infused = [p for p in allocated if _infusion_visits(study, p)]
    if infused:
        visits = _infusion_visits(study, infused[0])
        infused[0].flag(visits[min(1, len(visits) - 1)], "reaction")
    if len(infused) > 1:
        infused[1].flag(_infusion_visits(study, infused[1])[0], "interrupted")


def _infusion_visits(study: Study, plan: Plan) -> list[str]:
    return [code for code in plan.visits
            if any(vf.form == dv.INFUSION and vf.applies_to(plan.arm) for vf in study.visit(code).forms)]


def _plan_adverse_events(study: Study, plan: Plan, today: date) -> None:
    rng, day0 = Random(f"{SEED}:{plan.index}:ae"), plan.day0
    assert day0 is not None
    last = min(today, plan.end or today)
    experimental = plan.arm in {a.code for a in study.arms if a.type == "experimental"}
    for code, names in plan.flags.items():
        on = plan.visits.get(code)
        if on and "reaction" in names:
            plan.aes.append(dv.AePlan("Infusion-related fever", 1, on, on + timedelta(days=1), "PROB", "NOTCHG"))
        if on and "interrupted" in names:
            plan.aes.append(dv.AePlan("Infusion-related chills", 2, on, on, "PROB", "INTERR", treated=True))
    if plan.fate is Fate.DIED:
        plan.aes.append(dv.AePlan("Acute respiratory distress syndrome", 5, day0 + timedelta(days=5), plan.end,
                                  "UNL" if experimental else "NA", "NA", True, ("AESDTH",)))
    if rng.random() < 0.4:
        term, grade, day, days, treated, serious = rng.choice(dv.AE_CATALOGUE)
        onset = _lab_visit(study, plan, day0 + timedelta(days=day)) if term == dv.LAB_AE else day0 + timedelta(days=day)
        if onset <= last:
            end = onset + timedelta(days=days)
            related = rng.choice(("NR", "UNL", "POS")) if experimental else "NA"
            action = "NOTCHG" if experimental and onset <= day0 + timedelta(days=6) else "NA"
            plan.aes.append(dv.AePlan(term, grade, onset, end if end <= last else None, related, action, treated,
                                      serious))
    for ae in plan.aes:
        checked = [c for c, on in plan.visits.items() if on >= ae.onset and _has_form(study, c, dv.AE_CHECK, plan)]
        if checked:
            plan.flag(checked[0], "new_ae")


def _lab_visit(study: Study, plan: Plan, earliest: date) -> date:
    """A raised liver enzyme is found on a blood sample: the first visit with labs from `earliest` on."""
    for code, on in plan.visits.items():
        if on >= earliest and _has_form(study, code, dv.LAB, plan):
            plan.flag(code, "alt_high")
            return on
    return date.max


def _has_form(study: Study, visit: str, form: str, plan: Plan) -> bool:
    return any(vf.form == form for vf in study.visit(visit).forms_for(plan.arm))


def _plan_medications(plan: Plan, today: date) -> None:
    rng = Random(f"{SEED}:{plan.index}:cm")
    last = min(today, plan.end or today)
    for pick in rng.sample(range(len(dv.CM_CATALOGUE)), rng.randint(1, 2)):
        name, indication, dose, unit, route, days = dv.CM_CATALOGUE[pick]
        if days is None:  # taken since before admission; the patient remembers only the month
            before = plan.consent - timedelta(days=rng.randint(40, 400))
            plan.cms.append(dv.CmPlan(name, indication, dose, unit, route, PartialDate(before.year, before.month),
                                      None))
            continue
        start = min(plan.consent + timedelta(days=rng.randint(-1, 1)), today)
        end = start + timedelta(days=days)
        plan.cms.append(dv.CmPlan(name, indication, dose, unit, route, start, end if end <= last else None))
    for ae in plan.aes:
        if ae.treated and ae.term in dv.TREATMENTS:
            name, dose, unit, route = dv.TREATMENTS[ae.term]
            plan.cms.append(dv.CmPlan(name, ae.term, dose, unit, route, ae.onset, ae.end))


# -- the phases, each through one user's session -------------------------------------------------

def _set_up_site(db_path: Path, study: Study, rows: list[tuple[str, str]], clock: Clock) -> str:
    admin = DEMO_USERS[0]
    new = create_site(db_path, study, SITE_CODE, SITE_NAME, admin.username, admin.full_name, admin.password,
                      clock=clock)
    try:
        for user in DEMO_USERS[1:]:
            add_user(new.session, user.username, user.full_name, user.role, password=user.password)
        if rows:
            import_allocation_list(new.session, "rand_no,arm\n" + "".join(f"{n},{arm}\n" for n, arm in rows))
    finally:
        new.session.close()
    return new.recovery_code


@contextmanager
def _session(db_path: Path, study: Study, username: str, clock: Clock) -> Iterator[SiteSession]:
    user = next(u for u in DEMO_USERS if u.username == username)
    session = login(db_path, study, user.username, user.password, clock)
    try:
        yield session
    finally:
        session.close()


def _screen(session: SiteSession, plans: list[Plan], today: date) -> None:
    study = session.study
    for plan in sorted(plans, key=lambda p: (p.consent, p.index)):
        plan.label = screen_subject(session)
        for visit in (v for v in study.visits if v.before_day0):
            ctx, forms = _ctx(study, plan, visit, plan.consent, today), list(_forms_at(study, visit, None))
            # A subject screened today: consent and demographics done, eligibility being answered.
            for form, timepoint in forms[:3] if plan.fate is Fate.SCREENING else forms:
                plan.saved[form] = _enter(session, plan, ctx, form, timepoint)


def _allocate(session: SiteSession, plans: list[Plan]) -> None:
    for plan in _allocated_plans(plans):
        try:
            allocation = allocate(session, plan.label, day0=plan.day0)
        except ServiceError as exc:  # a definition whose eligibility the generic values do not meet
            log.warning("Demo: %s stays in screening: %s", plan.label, exc.message)
            plan.fate, plan.day0 = Fate.SCREENING, None
            continue
        plan.label, plan.arm = allocation.subject_id, allocation.arm
    for plan in plans:
        if plan.fate is Fate.SCREEN_FAILURE:
            end_participation(session, plan.label, SubjectStatus.SCREEN_FAILURE, plan.consent,
                              _failure_reason(session.study, plan))


def _failure_reason(study: Study, plan: Plan) -> str:
    if study.eligibility_form and plan.failed_item:
        return f"Not eligible: {study.form(study.eligibility_form).item(plan.failed_item).label.en}"
    return "Not eligible"


def _follow_up(session: SiteSession, plans: list[Plan], today: date) -> None:
    study = session.study
    for plan in _allocated_plans(plans):
        for code, on in plan.visits.items():
            visit = study.visit(code)
            ctx = _ctx(study, plan, visit, on, today)
            for form, timepoint in _forms_at(study, visit, plan.arm):
                _enter(session, plan, ctx, form, timepoint)
        if dv.MEDICATIONS in study.logs:
            for cm in plan.cms:
                _add_log(session, plan.label, dv.MEDICATIONS, dv.cm_values(cm), today)
    _remove_a_duplicate(session, plans, today)
    _correct_a_value(session, plans, today)


def _close_out(session: SiteSession, plans: list[Plan], today: date) -> None:
    study = session.study
    for plan in _allocated_plans(plans):
        if dv.ADVERSE_EVENTS in study.logs:
            for ae in plan.aes:
                _add_log(session, plan.label, dv.ADVERSE_EVENTS, dv.ae_values(ae), today)
        if plan.end is not None:
            _end_participation(session, plan, today)


def _end_participation(session: SiteSession, plan: Plan, today: date) -> None:
    """Death: 28-day mortality, end of study, then the end; withdrawal and completion: end of study."""
    study, end = session.study, plan.end
    assert end is not None
    mortality = study.visits_of_form(dv.MORTALITY)
    if plan.fate is Fate.DIED and mortality and mortality[0] not in plan.visits:
        # Vital status at Day 28, recorded before the end cancels that visit (dated Day 28 once it has passed).
        target = plan.window(study, mortality[0])[0]
        on = target if target <= today else end
        _enter(session, plan, _ctx(study, plan, study.visit(mortality[0]), on, today), dv.MORTALITY, "")
    eos_visit = study.end_of_study_visit or next(iter(study.visits_of_form(study.end_of_study_form or "")), None)
    if study.end_of_study_form and eos_visit:
        _enter(session, plan, _ctx(study, plan, study.visit(eos_visit), end, today), study.end_of_study_form, "")
    status = {Fate.DIED: SubjectStatus.DIED, Fate.WITHDRAWN: SubjectStatus.WITHDRAWN}.get(plan.fate,
                                                                                       SubjectStatus.COMPLETED)
    reason = {Fate.DIED: dv.DEATH_CAUSE, Fate.WITHDRAWN: dv.WITHDRAWAL}.get(plan.fate, "Last study visit done")
    end_participation(session, plan.label, status, end, reason)


def _remove_a_duplicate(session: SiteSession, plans: list[Plan], today: date) -> None:
    """A medication entered twice, then removed with a reason: the removal shows in the audit trail."""
    plan = next((p for p in _allocated_plans(plans) if p.cms), None)
    if plan is None or dv.MEDICATIONS not in session.study.logs:
        return
    repeat = _add_log(session, plan.label, dv.MEDICATIONS, dv.cm_values(plan.cms[0]), today)
    if repeat:
        remove_log_entry(session, plan.label, dv.MEDICATIONS, repeat, "Entered twice by mistake; see entry #1")


def _correct_a_value(session: SiteSession, plans: list[Plan], today: date) -> None:
    """A completed heart rate corrected against the source, so the item history shows old → new and why."""
    plan = next((p for p in _allocated_plans(plans) if "PULSE" in p.saved.get("VS", {})), None)
    screening = next((v.code for v in session.study.visits if v.before_day0), None)
    if plan is None or screening is None:
        return
    pulse = plan.saved["VS"]["PULSE"] + 8
    _save(session, FormRef(plan.label, screening, "VS"), {"PULSE": pulse}, today=today,
          reason="Transcription error: corrected from the nursing chart")


# -- entering values -----------------------------------------------------------------------------

def _allocated_plans(plans: list[Plan]) -> list[Plan]:
    allocated = [p for p in plans if p.day0 is not None and p.fate not in (Fate.SCREENING, Fate.SCREEN_FAILURE)]
    return sorted(allocated, key=lambda p: (p.day0, p.index))


def _forms_at(study: Study, visit: Visit, arm: str | None) -> Iterator[tuple[str, str]]:
    """Forms staff fill at a visit (allocation fills its own form; end of study is recorded at the end)."""
    for visit_form in visit.forms_for(arm):
        if visit_form.form not in (study.allocation_form, study.end_of_study_form):
            for timepoint in visit_form.timepoints or ("",):
                yield visit_form.form, timepoint


def _ctx(study: Study, plan: Plan, visit: Visit, on: date, today: date) -> dv.Ctx:
    day = None if visit.before_day0 else visit.day
    state = dv.day_state(plan.profile, day, plan.fate is Fate.DIED, plan.rng)
    return dv.Ctx(plan.rng, study, plan.profile, plan.arm, plan.consent, visit.code, day, on, today, state=state,
                  flags=frozenset(plan.flags.get(visit.code, ())), end=plan.end, fate=plan.fate.value,
                  failed_item=plan.failed_item)


def _enter(session: SiteSession, plan: Plan, ctx: dv.Ctx, form_code: str, timepoint: str) -> dict[str, Any]:
    ctx = replace(ctx, timepoint=timepoint)
    values = dv.form_values(session.study.form(form_code), ctx)
    _save(session, FormRef(plan.label, ctx.visit, form_code, timepoint), values, today=ctx.today,
          complete=not dv.left_open(session.study, ctx, form_code))
    return values


def _save(session: SiteSession, ref: FormRef, values: Mapping[str, Any], *, today: date, complete: bool = True,
          reason: str | None = None) -> None:
    confirm: set[str] = set()
    for _ in range(5):
        try:
            save_form(session, ref, values, confirm=confirm, complete=complete, reason=reason, today=today)
            return
        except NeedsConfirmation as exc:
            # Warnings on real-looking values (low SpO2, a swab taken before consent) are confirmed, as staff do.
            confirm |= {f.key for f in exc.findings}
        except ValuesRefused as exc:
            values, complete = _without_refused(ref, values, exc), False
    log.warning("Demo: %s could not be saved.", ref)


def _add_log(session: SiteSession, label: str, form: str, values: Mapping[str, Any], today: date) -> int | None:
    values, confirm, complete = {k: v for k, v in values.items() if v is not None}, set[str](), True
    for _ in range(5):
        try:
            return add_log_entry(session, label, form, values, confirm=confirm, complete=complete, today=today)[0]
        except NeedsConfirmation as exc:
            confirm |= {f.key for f in exc.findings}
        except ValuesRefused as exc:
            values, complete = _without_refused(FormRef(label, "", form), values, exc), False
    log.warning("Demo: a %s entry of %s could not be saved.", form, label)
    return None


def _without_refused(ref: FormRef, values: Mapping[str, Any], exc: ValuesRefused) -> dict[str, Any]:
    """For definitions this module has no plausible values for: drop what is refused, leave it in progress."""
    log.warning("Demo: %s left in progress: %s", ref, exc.message)
    refused = {code for f in exc.findings if f.severity is Severity.HARD for code in f.items}
    return {k: v for k, v in values.items() if k not in refused}
