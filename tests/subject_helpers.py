"""Shared steps for the service tests: a subject screened, eligible and allocated, a clock the test moves,
and reading the audit trail and stored values back without going through a role's permissions."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from ecrf.services import auth, forms, subjects
from ecrf.services.errors import NeedsConfirmation
from ecrf.services.forms import SaveResult
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import (
    FormRef,
    find_instance,
    find_subject,
    typed_values,
)
from ecrf.store.clock import Clock
from ecrf.store.models import AuditEvent, FormInstance, SealRow, Subject
from ecrf.study import clock as app_clock
from ecrf.study.model import Study

UTC_TEXT = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$"
TZ_PLUS_8 = timezone(timedelta(hours=8))  # the trial's sites are in China


def consent_day() -> date:
    """Consent a couple of days ago: inside the screening window, never a future date."""
    return app_clock.today() - timedelta(days=2)


def dm_values(consent: date | None = None, *, sex: str = "M", age: int = 45) -> dict[str, Any]:
    consent = consent or consent_day()
    return {"RFICDAT": consent.isoformat(), "ICVER": "V1.0 2020-01-20",
            "BRTHDAT": date(consent.year - age, 1, 15).isoformat(), "SEX": sex,
            **({"PREGST": "NEG"} if sex == "F" else {}), "HEIGHT": "172.5", "WEIGHT": "68.0"}


IE_ELIGIBLE = {"IEIN01": "Y", "IEIN02": "Y", "IEIN03": "Y",
               "IEEX01": "N", "IEEX02": "N", "IEEX03": "N", "IEEX04": "N", "IEEX05": "N"}


def screen(session: SiteSession, *, ie: Mapping[str, Any] | None = None, consent: date | None = None,
           sex: str = "M") -> str:
    """A new subject with demographics and eligibility saved complete; returns the screening number.
    `ie` overrides answers of the eligibility form (e.g. {"IEEX02": "Y"} makes the subject ineligible)."""
    label = subjects.screen_subject(session)
    forms.save_form(session, FormRef(label, "SCR", "DM"), dm_values(consent, sex=sex), complete=True)
    forms.save_form(session, FormRef(label, "SCR", "IE"), {**IE_ELIGIBLE, **(ie or {})}, complete=True)
    return label


def enrol(session: SiteSession, *, day0: date | None = None, manual: tuple[str, str] | None = None,
          consent: date | None = None) -> str:
    """Screen and allocate a subject (from the list, or manually with (arm, number)); returns the subject id."""
    label = screen(session, consent=consent)
    day0 = day0 or app_clock.today()
    if manual:
        arm, rand_no = manual
        return subjects.allocate_manually(session, label, arm, rand_no, "envelope used in a test", day0).subject_id
    return subjects.allocate(session, label, day0=day0).subject_id


def save_confirming(session: SiteSession, ref: FormRef, values: Mapping[str, Any], **kwargs: Any) -> SaveResult:
    """Save, confirming whatever warnings the values raise (for tests about something else)."""
    try:
        return forms.save_form(session, ref, values, **kwargs)
    except NeedsConfirmation as asked:
        confirm = {*kwargs.pop("confirm", ()), *(f.key for f in asked.findings)}
        return forms.save_form(session, ref, values, confirm=confirm, **kwargs)


def password_of(username: str) -> str:
    """The passwords the `sites` fixture gives its users."""
    from conftest import ADMIN_PASSWORD

    return ADMIN_PASSWORD if username == "admin" else f"{username}-password-1"


def login_at(db_path: Path, study: Study, username: str, time: ManualTime, password: str | None = None) -> SiteSession:
    """Log in with the test's clock (the session keeps it for every event it writes)."""
    return auth.login(db_path, study, username, password or password_of(username), clock=time.clock)


def head(session: SiteSession) -> int:
    """The audit head (sequence number of the last event); checks the chain on the way."""
    report = session.database.check_trail()
    assert report.ok, report.problem
    return report.head_seq


def last_seq(session: SiteSession) -> int:
    """The audit head without the whole trail check (for tests that only ask whether anything was written)."""
    with session.database.read() as db:
        return db.scalar(select(func.max(AuditEvent.seq))) or 0


def events_after(session: SiteSession, seq: int) -> list[AuditEvent]:
    with session.database.read() as db:
        return list(db.scalars(select(AuditEvent).where(AuditEvent.seq > seq).order_by(AuditEvent.seq)))


def actions_after(session: SiteSession, seq: int) -> list[str]:
    return [e.action for e in events_after(session, seq)]


def stored(session: SiteSession, ref: FormRef) -> dict[str, Any]:
    """The typed values stored for one form instance ({} when there is none)."""
    with session.database.read() as db:
        instance = find_instance(db, find_subject(db, ref.subject), ref)
        return typed_values(session.study.form(ref.form), instance.values) if instance else {}


def instance_of(session: SiteSession, ref: FormRef) -> FormInstance | None:
    with session.database.read() as db:
        return find_instance(db, find_subject(db, ref.subject), ref)


def subject_row(session: SiteSession, label: str) -> Subject:
    with session.database.read() as db:
        subject = find_subject(db, label)
        _ = subject.visits  # loaded while the session is open
        return subject


@dataclass
class ManualTime:
    """A wall clock the test sets and moves: `clock` reads `now`."""

    now: datetime = field(default_factory=lambda: app_clock.local_now())
    workstation: str = "WARD-3-PC"

    @property
    def clock(self) -> Clock:
        return Clock(source=lambda: self.now, workstation=self.workstation)

    def move(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def seal_count(session: SiteSession) -> int:
    """The seals stored so far (one per sealed write transaction)."""
    with session.database.read() as db:
        return db.scalar(select(func.count()).select_from(SealRow)) or 0
