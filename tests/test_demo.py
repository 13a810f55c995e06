"""The demo site: made through the public services, deterministic, showing every state the UI must show."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import DEMO_WARNINGS
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ecrf.demo import DEMO_USERS, DemoSite, create_demo
from ecrf.services.audit_trail import item_history
from ecrf.services.auth import login
from ecrf.services.errors import InvalidInput
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef, load_subject_data
from ecrf.store.errors import SiteExists
from ecrf.store.models import AuditEvent, FormInstance, LockRow, QueryRow, SdvMark, SignatureRow, Subject
from ecrf.study import clock as app_clock
from ecrf.study.schedule import VisitStatus, subject_schedule
from ecrf.study.status import FormStatus

TODAY = date(2024, 6, 1)
Row = tuple[str, str, str, str, int, str, str | None, str | None]


def _open(site: DemoSite, study, username: str = "monitor") -> SiteSession:  # type: ignore[no-untyped-def]
    user = next(u for u in site.users if u.username == username)
    return login(site.db_path, study, user.username, user.password)


def _values(session: SiteSession) -> set[Row]:
    """Every stored item value with where it lives (ids of subjects, not database keys)."""
    with session.read() as db:
        rows: set[Row] = set()
        query = select(FormInstance).options(selectinload(FormInstance.values))
        labels = {s.id: s.subject_id or s.screening_no for s in db.scalars(select(Subject))}
        for form in db.scalars(query):
            rows |= {(labels[form.subject_pk], form.visit_code, form.form_code, form.timepoint, form.repeat,
                      v.item_code, v.value, v.missing) for v in form.values}
        return rows


@pytest.fixture(scope="module")
def demo(demo_template: Path, tmp_path_factory, study) -> Iterator[tuple[Path, SiteSession]]:  # type: ignore[no-untyped-def]
    """The run's 20-subject demo (made once per run with the run's today), copied for this module."""
    folder = tmp_path_factory.mktemp("demo") / "site"
    shutil.copytree(demo_template, folder)
    session = login(folder / "site.db", study, "monitor", "demo-monitor-2020")
    yield folder, session
    session.close()


def test_every_demo_user_logs_in_with_the_printed_password_and_role(small_demo, study):  # type: ignore[no-untyped-def]
    assert {u.role for u in DEMO_USERS} == {"site_admin", "investigator", "nurse", "monitor", "read_only"}
    for user in DEMO_USERS:
        assert len(user.password) >= 8 and user.password != user.username
        session = login(small_demo.db_path, study, user.username, user.password)
        try:
            assert (session.actor.role, session.actor.must_change_password) == (user.role, False)
            assert session.site_code == "DEMO"
        finally:
            session.close()


def test_every_form_of_this_study_is_filled_without_falling_back(demo):  # type: ignore[no-untyped-def]
    folder, session = demo
    with session.read() as db:
        assert len(db.scalars(select(Subject)).all()) == 20
    assert (folder / DEMO_WARNINGS).read_text(encoding="utf-8") == ""  # what ecrf.demo logged while making it


def test_the_same_today_gives_the_same_values(tmp_path, study):  # type: ignore[no-untyped-def]
    """Two demos of a few subjects made on the same day hold the same values (only keys and audit times differ)."""
    first, again = (create_demo(tmp_path / name / "site.db", study, subjects=6, today=TODAY) for name in "ab")
    sessions = [_open(first, study), _open(again, study)]
    try:
        assert _values(sessions[0]) == _values(sessions[1])
    finally:
        for session in sessions:
            session.close()
    assert again.subject_ids == first.subject_ids and len(first.subject_ids) == 6


def test_both_arms_and_every_way_a_subject_leaves_the_trial(demo):  # type: ignore[no-untyped-def]
    _, session = demo
    with session.read() as db:
        subjects = db.scalars(select(Subject)).all()
    assert {s.arm for s in subjects if s.arm} == {"MSC", "CTRL"}
    assert {s.status for s in subjects} == {"screening", "enrolled", "completed", "screen_failure", "withdrawn",
                                            "died"}


def test_the_schedule_shows_visits_done_due_overdue_upcoming_and_cancelled(demo, study):  # type: ignore[no-untyped-def]
    _, session = demo
    seen: set[VisitStatus] = set()
    with session.read() as db:
        for subject in db.scalars(select(Subject).where(Subject.day0.is_not(None))):
            data = load_subject_data(db, study, subject)
            ended = date.fromisoformat(subject.ended_on) if subject.status in ("died", "withdrawn") else None
            seen |= {v.status for v in subject_schedule(study, data.day0, app_clock.today(), data.visit_dates,
                                                        ended)}
    assert {VisitStatus.DONE, VisitStatus.DUE, VisitStatus.OVERDUE, VisitStatus.UPCOMING,
            VisitStatus.CANCELLED, VisitStatus.OUT_OF_WINDOW} <= seen


def test_every_visit_and_form_has_data_with_complete_and_unfinished_forms(demo, study):  # type: ignore[no-untyped-def]
    _, session = demo
    with session.read() as db:
        forms = db.scalars(select(FormInstance).where(FormInstance.deleted.is_(False))).all()
    assert {f.visit_code for f in forms} >= {v.code for v in study.visits}
    assert {f.form_code for f in forms} == set(study.forms)
    statuses = [f.status for f in forms]
    assert statuses.count(FormStatus.IN_PROGRESS) >= 2
    assert statuses.count(FormStatus.COMPLETE) > 0.9 * len(statuses)


def test_values_stay_inside_hard_ranges_and_some_warnings_were_confirmed(demo, study):  # type: ignore[no-untyped-def]
    _, session = demo
    confirmed = 0
    with session.read() as db:
        for form in db.scalars(select(FormInstance).options(selectinload(FormInstance.values))):
            for row in form.values:
                item = study.form(form.form_code).item(row.item_code)
                if item.hard is not None and row.value is not None:
                    assert item.hard.contains(float(row.value)), (form.form_code, row.item_code, row.value)
                confirmed += bool(row.confirmed)
    assert 3 <= confirmed <= 40


def test_adverse_events_and_a_removed_log_entry(demo):  # type: ignore[no-untyped-def]
    _, session = demo
    with session.read() as db:
        logs = db.scalars(select(FormInstance).where(FormInstance.visit_code == "")).all()
    assert any(f.form_code == "AE" for f in logs) and any(f.form_code == "CM" for f in logs)
    assert [f.deleted_reason for f in logs if f.deleted] == ["Entered twice by mistake; see entry #1"]


@pytest.mark.req("P11.10e")
def test_the_demo_audit_trail_verifies_and_records_a_correction_and_a_removal(demo):  # type: ignore[no-untyped-def]
    _, session = demo
    assert session.database.check_trail().ok
    history = item_history(session, FormRef("DEMO-001", "SCR", "VS"), "PULSE")
    assert len(history) == 2 and history[1].old_value == history[0].new_value
    assert history[1].reason == "Transcription error: corrected from the nursing chart"
    with session.read() as db:
        removed = db.scalars(select(AuditEvent).where(AuditEvent.action == "log_entry_removed")).all()
        users = set(db.scalars(select(AuditEvent.username).distinct()))
    assert [e.reason for e in removed] == ["Entered twice by mistake; see entry #1"]
    assert {"admin", "nurse", "investigator"} <= users


def test_three_subjects(tmp_path, study):  # type: ignore[no-untyped-def]
    site = create_demo(tmp_path / "site.db", study, subjects=3, today=TODAY)
    session = _open(site, study)
    try:
        with session.read() as db:
            statuses = sorted(s.status for s in db.scalars(select(Subject)))
        assert statuses == ["completed", "enrolled", "screen_failure"]
        assert session.database.check_trail().ok
    finally:
        session.close()


def test_no_subjects_gives_users_only(tmp_path, study):  # type: ignore[no-untyped-def]
    site = create_demo(tmp_path / "site.db", study, subjects=0, today=TODAY)
    assert site.subject_ids == () and site.recovery_code
    session = _open(site, study, "reader")
    try:
        with session.read() as db:
            assert db.scalars(select(Subject)).all() == []
    finally:
        session.close()


def test_an_existing_site_is_not_overwritten(tmp_path, study):  # type: ignore[no-untyped-def]
    path = Path(tmp_path / "site.db")
    create_demo(path, study, subjects=0, today=TODAY)
    with pytest.raises(SiteExists):
        create_demo(path, study, subjects=0, today=TODAY)


def test_a_today_after_the_computers_date_is_refused(tmp_path, study):  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput):
        create_demo(tmp_path / "site.db", study, subjects=1, today=app_clock.today() + timedelta(days=2))
    assert not (tmp_path / "site.db").exists()


def test_users_are_the_documented_ones():
    assert [(u.username, u.password) for u in DEMO_USERS][:2] == [("admin", "demo-admin-2020"),
                                                                  ("investigator", "demo-investigator-2020")]


@pytest.mark.req("MON-DEMO")
def test_the_demo_site_holds_monitoring_as_it_stands_mid_trial(demo):  # type: ignore[no-untyped-def]
    """Every monitoring screen shows something on the first start (issue "Monitoring", point 7)."""
    _, session = demo
    with session.read() as db:
        sdv = dict(db.execute(select(SdvMark.state, func.count()).group_by(SdvMark.state)).all())
        asked = {tuple(row) for row in db.execute(select(QueryRow.origin, QueryRow.state))}
        signed = {tuple(row) for row in db.execute(select(SignatureRow.scope, SignatureRow.state))}
        locked = db.scalars(select(LockRow.scope).where(LockRow.active.is_(True))).all()
    assert sdv.get("verified", 0) > 100 and sdv.get("changed_since_verified") == 1
    assert {("manual", "open"), ("manual", "answered"), ("manual", "closed")} <= asked
    assert {"auto"} == {origin for origin, _ in asked} - {"manual"}
    assert {("subject", "valid"), ("subject", "broken"), ("form", "valid"), ("form", "broken")} <= signed
    assert locked == ["subject"]
    assert session.database.check_trail().ok
