"""Subjects through the trial: screening, eligibility, allocation to an arm, and the end of participation."""
from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ecrf.services import monitoring, site_state
from ecrf.services.errors import InvalidInput, ServiceError, WrongState
from ecrf.services.forms import store_form
from ecrf.services.permissions import Do
from ecrf.services.session import SiteSession, Tx
from ecrf.services.subject_data import FormRef, find_subject, load_subject_data
from ecrf.services.subject_records import SubjectRecords
from ecrf.store.audit import Change
from ecrf.store.models import AllocationSlot, Subject, VisitRow
from ecrf.study.eligibility import Eligibility
from ecrf.study.model import ItemType, Study
from ecrf.study.schedule import window_of
from ecrf.study.screening import eligibility_of
from ecrf.study.status import SubjectStatus
from ecrf.study.subject import Where


@dataclass(frozen=True)
class Allocation:
    subject_id: str
    arm: str
    rand_no: str
    day0: date


def screen_subject(session: SiteSession) -> str:
    """Register a new subject in screening; returns the screening number (SITE-Snnn)."""
    return screen_subjects(session, 1)[0]


def screen_subjects(session: SiteSession, count: int) -> list[str]:
    """Register `count` new subjects in screening in one transaction, each as `screen_subject` does it; returns
    their screening numbers in order."""
    with session.write(Do.SCREEN) as tx:
        site_state.refuse_data_entry(tx)  # a frozen or locked site takes no new subjects
        site, numbers = tx.site, []
        for _ in range(count):
            number = f"{site.site_code}-S{site.next_screening_no:03d}"
            site.next_screening_no += 1
            tx.db.add(Subject(screening_no=number, status=SubjectStatus.SCREENING, created_at=tx.now_text()))
            tx.audit(Change("subject_screened", subject=number, new_value=SubjectStatus.SCREENING))
            numbers.append(number)
    return numbers


def eligibility(session: SiteSession, subject_label: str) -> Eligibility:
    with session.read() as db:
        return _eligibility(session.study, db, find_subject(db, subject_label), session.clock.now().date())


def _eligibility(study: Study, db: Session, subject: Subject, today: date,
                 records: SubjectRecords | None = None) -> Eligibility:
    data = records.data(subject) if records is not None else load_subject_data(db, study, subject)
    if study.eligibility_form is None:
        return Eligibility(True)
    visit = (study.visits_of_form(study.eligibility_form) or ("",))[0]
    values = data.forms.get((visit, study.eligibility_form, ""), {})
    return eligibility_of(study, values, data, Where(visit, "", today))


def import_allocation_list(session: SiteSession, csv_text: str) -> int:
    """The sponsor's list (CSV with columns rand_no, arm; in order of use), imported once."""
    session.require(Do.IMPORT_ALLOCATION)  # a refused role hears so before any remark on its input
    rows = _parse_allocation_csv(session.study, csv_text)
    digest = hashlib.sha256(csv_text.encode("utf-8")).hexdigest()
    with session.write(Do.IMPORT_ALLOCATION) as tx:
        if tx.site.allocation_list_sha256 == digest:
            raise WrongState("allocation-list-same-imported")
        if tx.site.allocation_list_sha256 is not None:
            raise WrongState("allocation-list-exists")
        for seq, (rand_no, arm) in enumerate(rows, start=1):
            tx.db.add(AllocationSlot(seq=seq, rand_no=rand_no, arm=arm))
        tx.site.allocation_list_sha256 = digest
        tx.audit(Change("allocation_list_imported", new_value=f"{len(rows)} entries", reason=f"sha256 {digest}"))
    return len(rows)


def _parse_allocation_csv(study: Study, csv_text: str) -> list[tuple[str, str]]:
    reader = csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff")))
    if reader.fieldnames is None or not {"rand_no", "arm"} <= {f.strip() for f in reader.fieldnames}:
        raise InvalidInput("allocation-list-not-csv")
    arms, rows, seen = {a.code for a in study.arms}, [], set()
    records = list(reader)
    found = {(row.get("arm") or "").strip() for row in records} - {""}
    # Not one arm in common, even ignoring case: another study's list, not a typo in a line (the line says that).
    if found and not {a.casefold() for a in found} & {a.casefold() for a in arms}:
        raise InvalidInput("allocation-list-other-study", found=", ".join(sorted(found)[:5]),
                           arms=", ".join(sorted(arms)))
    for line, row in enumerate(records, start=2):
        if None in row:  # more cells than the header names: which one is the arm is anybody's guess
            raise InvalidInput("allocation-line-extra-fields", line=line, header=",".join(reader.fieldnames),
                               extra=",".join(row[None]))  # DictReader puts the extra cells under None
        rand_no, arm = (row.get("rand_no") or "").strip(), (row.get("arm") or "").strip()
        if arm not in arms:
            raise InvalidInput("allocation-arm-unknown", line=line, arm=arm, arms=", ".join(sorted(arms)))
        if not rand_no or rand_no in seen:
            raise InvalidInput("allocation-number-invalid", line=line, rand_no=rand_no)
        seen.add(rand_no)
        rows.append((rand_no, arm))
    if not rows:
        raise InvalidInput("allocation-list-empty")
    return rows


def allocate(session: SiteSession, subject_label: str, day0: date | None = None) -> Allocation:
    """Allocate an eligible subject to the arm of the next unused entry of the allocation list."""
    with session.write(Do.ALLOCATE) as tx:
        return _allocate_to(tx, session.study, *_next_allocation(tx, session.study, subject_label, day0))


def allocate_all(session: SiteSession, subjects: Sequence[tuple[str, date | None]]) -> list[Allocation | ServiceError]:
    """`allocate` for each (subject, Day 0), in order, in one transaction (one commit, one seal), each allocated
    and audited exactly as `allocate` does it. A subject `allocate` would refuse before writing (not eligible,
    not in screening, list used up, Day 0 in the future ...) keeps its place in the list as that refusal and the
    others are allocated; a refusal after a subject's first write (its allocation form refused by the study's
    checks) takes the whole batch back and is raised."""
    outcomes: list[Allocation | ServiceError] = []
    with session.write(Do.ALLOCATE) as tx:
        records = SubjectRecords(tx.db, session.study)  # each subject's forms read once (see save_forms)
        for label, day0 in subjects:
            try:
                found = _next_allocation(tx, session.study, label, day0, records)
            except ServiceError as refused:
                outcomes.append(refused)
                continue
            outcomes.append(_allocate_to(tx, session.study, *found, records))
    return outcomes


def _next_allocation(tx: Tx, study: Study, label: str, day0: date | None,
                     records: SubjectRecords | None = None) -> tuple[Subject, AllocationSlot, date]:
    """The subject, the list entry it gets and its Day 0; every refusal of `allocate`, before anything is written."""
    subject = _allocatable(tx, study, label, records)
    slot = tx.db.scalar(select(AllocationSlot).where(AllocationSlot.subject_pk.is_(None))
                        .order_by(AllocationSlot.seq).limit(1))
    if slot is None:
        imported = tx.site.allocation_list_sha256 is not None
        raise WrongState("allocation-list-used-up" if imported else "allocation-list-missing")
    day0 = day0 or tx.clock.now().date()
    _not_future(day0, tx)
    return subject, slot, day0


def _allocate_to(tx: Tx, study: Study, subject: Subject, slot: AllocationSlot, day0: date,
                 records: SubjectRecords | None = None) -> Allocation:
    slot.subject_pk, slot.used_at = subject.id, tx.now_text()
    return _enrol(tx, study, subject, slot.arm, slot.rand_no, day0, f"allocation list entry {slot.seq}", records)


def allocate_manually(session: SiteSession, subject_label: str, arm: str, rand_no: str, reason: str,
                      day0: date | None = None) -> Allocation:
    """Allocation outside the list (e.g. an envelope used during an outage): investigators only, with reason."""
    session.require(Do.ALLOCATE_MANUALLY)
    if not reason.strip():
        raise InvalidInput("manual-allocation-reason-required")
    if arm not in {a.code for a in session.study.arms}:
        raise InvalidInput("arm-unknown", arm=arm, arms=", ".join(a.code for a in session.study.arms))
    with session.write(Do.ALLOCATE_MANUALLY) as tx:
        subject = _allocatable(tx, session.study, subject_label)
        if tx.db.scalar(select(func.count()).select_from(Subject).where(Subject.rand_no == rand_no.strip())):
            raise InvalidInput("allocation-number-used", rand_no=rand_no)
        _use_list_entry(tx, subject, arm, rand_no.strip())
        return _enrol(tx, session.study, subject, arm, rand_no.strip(), day0, f"manual: {reason.strip()}")


def _use_list_entry(tx: Tx, subject: Subject, arm: str, rand_no: str) -> None:
    """An envelope of the list opened by hand: its entry is used up, and its arm must match."""
    slot = tx.db.scalar(select(AllocationSlot).where(AllocationSlot.rand_no == rand_no))
    if slot is None:
        return
    if slot.subject_pk is not None:
        raise InvalidInput("allocation-number-used", rand_no=rand_no)
    if slot.arm != arm:
        raise InvalidInput("allocation-arm-mismatch", rand_no=rand_no, list_arm=slot.arm, arm=arm)
    slot.subject_pk, slot.used_at = subject.id, tx.now_text()


def _allocatable(tx: Tx, study: Study, label: str, records: SubjectRecords | None = None) -> Subject:
    subject = records.subject(label) if records is not None else find_subject(tx.db, label)
    _guard_subject(tx, subject, records)
    if subject.status != SubjectStatus.SCREENING:
        raise WrongState("subject-not-in-screening", label=subject.label, status=subject.status.replace("_", " "))
    verdict = _eligibility(study, tx.db, subject, tx.clock.now().date(), records)
    if verdict.eligible is not True:
        open_or_failed = verdict.reasons or verdict.open
        raise WrongState("subject-not-eligible", label=subject.label,
                         reasons="; ".join(str(r) for r in open_or_failed) or "eligibility is not established")
    return subject


def _enrol(tx: Tx, study: Study, subject: Subject, arm: str, rand_no: str, day0: date | None,
           how: str, records: SubjectRecords | None = None) -> Allocation:
    day0 = day0 or tx.clock.now().date()
    _not_future(day0, tx)
    site = tx.site
    subject.subject_id = f"{site.site_code}-{site.next_subject_no:03d}"
    site.next_subject_no += 1
    subject.arm, subject.rand_no, subject.day0, subject.status = arm, rand_no, day0.isoformat(), SubjectStatus.ENROLLED
    tx.audit(Change("allocated", subject=subject.label, item=rand_no, new_value=arm,
                    reason=f"{how}; screening number {subject.screening_no}; Day 0 {day0.isoformat()}"))
    for visit in study.visits:
        target, earliest, latest = window_of(visit, day0)
        tx.db.add(VisitRow(subject_pk=subject.id, visit_code=visit.code, target_date=target.isoformat(),
                           earliest=earliest.isoformat(), latest=latest.isoformat(), cancelled=False))
    tx.db.flush()
    _fill_allocation_form(tx, study, subject, arm, rand_no, day0, records)
    return Allocation(subject.subject_id, arm, rand_no, day0)


def _fill_allocation_form(tx: Tx, study: Study, subject: Subject, arm: str, rand_no: str, day0: date,
                          records: SubjectRecords | None = None) -> None:
    """The allocation form (date, arm, number) is filled by the allocation itself, never by hand."""
    if study.allocation_form is None:
        return
    form = study.form(study.allocation_form)
    values: dict[str, object] = {}
    for item in form.items:
        if item.value_type is ItemType.DATE and "date" not in values:
            values["date"], values[item.code] = True, day0
        elif (item.cdash or "").upper() == "ARMCD":
            values[item.code] = arm
        elif (item.cdash or "").upper() == "RANDNO":
            values[item.code] = rand_no
    values.pop("date", None)
    visit = (study.visits_of_form(form.code) or ("",))[0]
    # Allocation happens once, on the list's word: its warnings are recorded as confirmed, not asked.
    store_form(tx, study, subject, FormRef(subject.label, visit, form.code), values, complete=True,
               confirm_all=True, today=day0, records=records)


def end_participation(session: SiteSession, subject_label: str, status: SubjectStatus, on: date, reason: str) -> None:
    """Withdrawal, death or completion: the subject's remaining visits are cancelled (kept, marked)."""
    if status not in (SubjectStatus.WITHDRAWN, SubjectStatus.DIED, SubjectStatus.COMPLETED,
                      SubjectStatus.SCREEN_FAILURE):
        raise InvalidInput("end-status-invalid", status=status)
    if not reason.strip():
        raise InvalidInput("end-reason-required")
    with session.write(Do.END_PARTICIPATION) as tx:
        subject = find_subject(tx.db, subject_label)
        _guard_subject(tx, subject)
        _check_end(subject, status, on)
        _not_future(on, tx)
        tx.audit(Change("participation_ended", subject=subject.label, old_value=subject.status, new_value=status,
                        reason=f"{reason.strip()} (on {on.isoformat()})"))
        subject.status, subject.ended_on, subject.end_reason = status, on.isoformat(), reason.strip()
        for visit in subject.visits:
            if not visit.cancelled and visit.earliest > on.isoformat():
                visit.cancelled = True
                tx.audit(Change("visit_cancelled", subject=subject.label, visit=visit.visit_code,
                                reason=f"participation ended: {status}"))


def _guard_subject(tx: Tx, subject: Subject, records: SubjectRecords | None = None) -> None:
    """A change of the subject itself (allocation, end of participation): refused while the site is frozen or
    locked, or the subject is locked."""
    monitoring.guard_change(tx, subject, FormRef(subject.label, "", "", "", 0), records)


def _not_future(day: date, tx: Tx) -> None:
    today = tx.clock.now().date()
    if day > today:
        raise InvalidInput("date-in-future", day=day.isoformat(), today=today.isoformat())


def _check_end(subject: Subject, status: SubjectStatus, on: date) -> None:
    if subject.status not in (SubjectStatus.SCREENING, SubjectStatus.ENROLLED):
        raise WrongState("participation-already-ended", label=subject.label, status=subject.status.replace("_", " "))
    if status is SubjectStatus.SCREEN_FAILURE and subject.status != SubjectStatus.SCREENING:
        raise WrongState("screen-failure-after-allocation", label=subject.label)
    if status is not SubjectStatus.SCREEN_FAILURE and subject.status == SubjectStatus.SCREENING:
        raise WrongState("still-in-screening", label=subject.label)
    if subject.day0 and on.isoformat() < subject.day0:
        raise InvalidInput("date-before-day0", day=on.isoformat(), label=subject.label, day0=subject.day0)
