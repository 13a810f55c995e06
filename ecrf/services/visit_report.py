"""The monitoring visit report: what a monitor did during one visit to the site, and what is still open.

For a period (by default from the monitor's first login today to now) it gathers: the items this user
verified, the queries raised, answered and closed or cancelled in the period (by anyone: automatic queries
too), and, as of now, every query still open or answered and every complete form whose required source data
verification is not done or must be redone ("changed since verified"). Read-only (Do.READ_DATA): making the
report changes nothing and writes no audit event; the PDF is `ecrf.export.pdf.visit_report`.

Each monitoring table is read once, as for the export (`export_monitoring`), so the report of a 2,000-subject
site costs a handful of queries.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ecrf.atomic import write_atomic
from ecrf.export.pdf.visit_report import visit_report_pdf
from ecrf.export.records import QueryRecord, SdvRecord
from ecrf.export.sdv_progress import form_sdv, key_of
from ecrf.export.visit_records import OutstandingForm, Period, VerifiedForm, VisitReport
from ecrf.services.errors import ExportFailed, InvalidInput
from ecrf.services.export_monitoring import load_monitoring
from ecrf.services.export_records import form_record
from ecrf.services.permissions import Do
from ecrf.services.session import SiteSession
from ecrf.store.clock import parse_utc, utc_text
from ecrf.store.models import AuditEvent, FormInstance, Site, Subject
from ecrf.study.model import Study
from ecrf.study.status import FormStatus, QueryState

STILL_OPEN = frozenset({QueryState.OPEN.value, QueryState.ANSWERED.value})  # answered awaits the monitor's close


def visit_report(session: SiteSession, since: str | None = None, until: str | None = None) -> VisitReport:
    """The report of the logged-in user for [since, until] (UTC text; see `period_start`), as of now."""
    made_at = session.clock.stamp()[0]
    with session.read(Do.READ_DATA) as db:
        start = since or default_since(db, session)
        period = Period(start, until or made_at)
        if period.since > period.until:
            raise InvalidInput("report-period-reversed", since=period.since[:19], until=period.until[:19])
        site = db.get_one(Site, 1)
        monitoring = load_monitoring(db)
        labels = _labels(db)
        queries = [q for m in monitoring.values() for q in m.queries]
        marks = [s for m in monitoring.values() for s in m.sdv]
        actor = session.actor
        return VisitReport(
            study_oid=site.study_oid, site_code=site.site_code, site_name=site.site_name, username=actor.username,
            full_name=actor.full_name, role=actor.role, period=period, made_at=made_at,
            audit_head_seq=site.audit_head_seq, verified=_verified_by(marks, actor.username, period),
            raised=_with_step(queries, {"raised"}, period), answered=_with_step(queries, {"answered"}, period),
            closed=_with_step(queries, {"closed", "cancelled"}, period),
            open_queries=tuple(q for q in _by_place(queries) if q.state in STILL_OPEN),
            outstanding=_outstanding(db, session.study, labels, marks))


def write_visit_report(session: SiteSession, out: Path, since: str | None = None,
                       until: str | None = None) -> VisitReport:
    """Make the report and save its PDF at `out` (whole or not at all: written beside it, then renamed)."""
    report = visit_report(session, since, until)
    pdf = visit_report_pdf(report)
    try:
        write_atomic(out, pdf)
    except OSError as exc:
        raise ExportFailed("report-not-written", path=str(out), reason=exc.strerror or str(exc)) from None
    return report


def default_period(session: SiteSession) -> Period:
    """What the report covers unless told otherwise: from the user's first login today until now."""
    with session.read(Do.READ_DATA) as db:
        return Period(default_since(db, session), session.clock.stamp()[0])


def utc_of(moment: datetime) -> str:
    """A moment the user picked (aware, any zone) as the UTC text the report's period is given in."""
    return utc_text(moment)


def moment_of(text: str) -> datetime:
    """The aware UTC moment of a period boundary (to show it in the user's local time)."""
    return parse_utc(text)


def default_since(db: Session, session: SiteSession) -> str:
    """The user's first login today (local day of the workstation), or the start of today without one."""
    midnight = period_start(session.clock.now().date(), session)
    first = db.scalar(select(AuditEvent.at_utc).where(AuditEvent.action == "login",
                                                      AuditEvent.username == session.actor.username,
                                                      AuditEvent.at_utc >= midnight)
                      .order_by(AuditEvent.seq).limit(1))
    return first or midnight


def period_start(day: date, session: SiteSession) -> str:
    """UTC text of the start of `day` in the workstation's time zone (what `--since DATE` means)."""
    zone = session.clock.now().tzinfo
    return utc_text(datetime.combine(day, time(0), tzinfo=zone))


def period_end(day: date, session: SiteSession) -> str:
    """UTC text of the last moment of `day` in the workstation's time zone (what `--until DATE` means)."""
    zone = session.clock.now().tzinfo
    return utc_text(datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone) - timedelta(microseconds=1))


def parse_day(text: str) -> date:
    """A date given on the command line (`--since 2026-12-03`)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput("report-bad-date", text=text) from None


def _labels(db: Session) -> dict[int, str]:
    rows = db.execute(select(Subject.id, Subject.subject_id, Subject.screening_no))
    return {pk: subject_id or screening_no for pk, subject_id, screening_no in rows}


def _in(period: Period, at: str) -> bool:
    return period.since <= at <= period.until


def _verified_by(marks: Iterable[SdvRecord], username: str, period: Period) -> tuple[VerifiedForm, ...]:
    mine: dict[tuple[str, str, str, str, int], list[SdvRecord]] = {}
    for mark in marks:
        if mark.verified_by == username and _in(period, mark.verified_at) and mark.state != "not_verified":
            mine.setdefault((mark.subject, *key_of(mark)), []).append(mark)
    found = [VerifiedForm(subject, visit, form, timepoint, repeat, tuple(m.item for m in group),
                          max(m.verified_at for m in group), tuple(m.item for m in group if m.changed_at))
             for (subject, visit, form, timepoint, repeat), group in mine.items()]
    return tuple(sorted(found, key=lambda v: (v.last_at, v.subject, v.visit, v.form)))


def _with_step(queries: Iterable[QueryRecord], kinds: set[str], period: Period) -> tuple[QueryRecord, ...]:
    return tuple(q for q in _by_place(queries) if any(m.kind in kinds and _in(period, m.at_utc) for m in q.messages))


def _by_place(queries: Iterable[QueryRecord]) -> list[QueryRecord]:
    return sorted(queries, key=lambda q: (q.subject, q.raised_at, q.query_id))


def _outstanding(db: Session, study: Study, labels: dict[int, str],
                 marks: Iterable[SdvRecord]) -> tuple[OutstandingForm, ...]:
    """Complete forms whose plan asks for SDV that is not done, or was done and the data changed since."""
    by_form: dict[tuple[str, str, str, str, int], list[SdvRecord]] = {}
    for mark in marks:
        by_form.setdefault((mark.subject, *key_of(mark)), []).append(mark)
    plan = study.monitoring.sdv
    instances = db.scalars(select(FormInstance).options(selectinload(FormInstance.values))
                           .where(FormInstance.deleted.is_(False), FormInstance.status == FormStatus.COMPLETE)
                           .order_by(FormInstance.subject_pk, FormInstance.id))
    found = []
    for instance in instances:
        label = labels[instance.subject_pk]
        key = (label, instance.visit_code, instance.form_code, instance.timepoint, instance.repeat)
        if not plan.rule(instance.visit_code, instance.form_code).required and key not in by_form:
            continue  # nothing to verify here: skip building the record
        progress = form_sdv(study, form_record(study, instance), by_form.get(key, ()))
        if progress.outstanding:
            found.append(OutstandingForm(label, progress))
    return tuple(found)
