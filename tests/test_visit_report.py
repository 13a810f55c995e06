"""The monitoring visit report: what the monitor verified in the period, queries raised / answered / closed in
it, and what is still open; read-only, for the period asked or since the monitor's login today."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from ecrf.export.pdf.visit_report import visit_report_pdf
from ecrf.services import visit_report as report_service
from ecrf.services.errors import InvalidInput, PermissionDenied
from ecrf.services.visit_report import parse_day, period_end, period_start, visit_report
from ecrf.store.models import FormInstance, Subject
from ecrf.study.status import SdvState
from tests.export.monitoring_rows import add_sdv, at, monitor_subject
from tests.pdf_fonts import font_names, unembedded_fonts
from tests.subject_helpers import last_seq, screen


@pytest.fixture
def visited(sites):  # type: ignore[no-untyped-def]
    """Three screened subjects; the second carries every kind of monitoring record (tests.export.monitoring_rows)."""
    db_path, _ = sites.make()
    nurse = sites.login(db_path, "nurse")
    labels = [screen(nurse) for _ in range(3)]
    monitor_subject(nurse, labels[1])
    nurse.close()
    monitor = sites.login(db_path, "monitor")
    yield monitor, labels
    monitor.close()


def test_the_report_lists_the_visit_and_what_is_still_open(visited) -> None:  # type: ignore[no-untyped-def]
    monitor, labels = visited
    before = last_seq(monitor)  # (the rows here were written without events: no trail check)
    report = visit_report(monitor, since=at(2, 0), until=at(3, 23))
    assert last_seq(monitor) == before  # reading writes nothing, not even an audit event
    assert (report.username, report.role, report.site_code) == ("monitor", "monitor", "CN01")
    assert [(v.subject, v.form, v.items, v.changed_since) for v in report.verified] == [
        (labels[1], "DM", ("ICVER", "RFICDAT"), ("RFICDAT",)), (labels[1], "IE", ("IEIN01",), ())]
    assert report.items_verified == 3
    assert [q.item for q in report.raised] == ["ICVER", "RFICDAT"]
    assert [q.item for q in report.answered] == ["RFICDAT"]
    assert [(q.form, q.state) for q in report.closed] == [("DM", "cancelled"), ("IE", "closed")]  # by time raised
    assert [(q.item, q.state) for q in report.open_queries] == [("ICVER", "open"), ("RFICDAT", "answered")]
    # every screened subject's DM and IE need SDV; the monitored one's DM changed since verified
    outstanding = {(o.subject, o.progress.record.form): o.progress for o in report.outstanding}
    assert set(outstanding) == {(label, form) for label in labels for form in ("DM", "IE")}
    dm = outstanding[(labels[1], "DM")]
    assert (dm.state, dm.done, len(dm.required), dm.changed) == (SdvState.CHANGED, 1, 2, ("RFICDAT",))
    assert outstanding[(labels[0], "IE")].state is SdvState.NOT_VERIFIED


def test_an_earlier_period_shows_only_its_own_steps(visited) -> None:  # type: ignore[no-untyped-def]
    monitor, _ = visited
    report = visit_report(monitor, since=at(1, 0), until=at(1, 23))
    assert report.verified == ()
    assert [q.check_key or q.form for q in report.raised] == ["HEIGHT:soft-range", "IE"]
    assert [q.form for q in report.answered] == ["IE"] and report.closed == ()
    assert len(report.open_queries) == 2  # what is open does not depend on the period


def test_by_default_the_period_starts_at_the_monitors_login_today(visited) -> None:  # type: ignore[no-untyped-def]
    monitor, labels = visited
    now = monitor.clock.stamp()[0]
    with monitor.database.write() as db:
        subject = db.scalars(select(Subject).where(Subject.screening_no == labels[0])).one()
        dm = db.scalars(select(FormInstance).where(FormInstance.subject_pk == subject.id,
                                                   FormInstance.form_code == "DM")).one()
        add_sdv(db, dm, "RFICDAT", when=now)
    with monitor.read() as db:
        since = report_service.default_since(db, monitor)
    assert period_start(monitor.clock.now().date(), monitor) <= since <= now
    report = visit_report(monitor)
    assert report.period.since == since
    assert [(v.subject, v.items) for v in report.verified] == [(labels[0], ("RFICDAT",))]
    assert report.raised == ()  # the June queries are not of this visit


def test_a_reversed_period_or_a_bad_date_is_refused(visited) -> None:  # type: ignore[no-untyped-def]
    monitor, _ = visited
    with pytest.raises(InvalidInput) as refused:
        visit_report(monitor, since=at(3, 0), until=at(2, 0))
    assert refused.value.code == "report-period-reversed"
    with pytest.raises(InvalidInput) as bad:
        parse_day("3 Dec")
    assert bad.value.code == "report-bad-date"
    day = parse_day("2026-06-02")
    assert period_start(day, monitor) < period_end(day, monitor)


def test_the_pdf_says_what_was_done_and_that_it_is_not_signed(visited) -> None:  # type: ignore[no-untyped-def]
    monitor, labels = visited
    pdf = visit_report_pdf(visit_report(monitor, since=at(2, 0), until=at(3, 23)))
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "Monitoring visit report 监查访视报告" in text
    assert "3 items on 2 forms verified; 2 queries raised, 1 answered, 2 closed or cancelled" in text
    assert f"{labels[1]} SCR DM ICVER, RFICDAT (changed since: RFICDAT)" in text
    assert "Which consent version was signed?" in text and "answered (Typing error): Typo, corrected" in text
    assert "not electronically signed" in text
    assert "Forms to verify 待核查的表单" in text and "Changed since verified 1 of 2 RFICDAT" in text
    assert font_names(pdf) and unembedded_fonts(pdf) == set()  # fit for archiving: every font inside the file


def test_the_command_line_writes_the_report(visited, ecrf, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monitor, _ = visited
    db_path = monitor.database.paths.db
    monitor.close()  # one app at a time per site: the command opens it itself
    out = tmp_path / "visit.pdf"
    code, text, err = ecrf("monitor", "report", "--db", db_path, "--user", "monitor",
                           "--password-stdin", "--out", out, "--since", "2026-06-01", "--until", "2026-06-03",
                           stdin="monitor-password-1\n")
    assert (code, err) == (0, "")
    assert "3 items on 2 forms verified, 4 queries raised, 2 answered, 2 closed or cancelled" in text
    assert "not signed" in text and out.read_bytes().startswith(b"%PDF")
    code, _, err = ecrf("monitor", "report", "--db", db_path, "--user", "monitor",
                        "--password-stdin", "--out", out, "--since", "June", stdin="monitor-password-1\n")
    assert code != 0 and "is not a date like 2026-12-03" in err and "Traceback" not in err


@pytest.mark.req("P11.10g")
def test_the_site_administrator_sees_no_clinical_data_in_a_report(sites) -> None:  # type: ignore[no-untyped-def]
    db_path, _ = sites.make()
    admin = sites.login(db_path, "admin")
    try:
        with pytest.raises(PermissionDenied):
            visit_report(admin)
    finally:
        admin.close()
