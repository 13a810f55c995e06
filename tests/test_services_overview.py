"""The read models of the subject matrix and the subject view: cell states from the schedule and the form
statuses, log counts, removed log entries kept with their reason, and a query count that does not grow
with the number of subjects."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event
from subject_helpers import enrol, screen

from ecrf.services import logs, overview
from ecrf.services.overview import CellState, SubjectFacts, build_row
from ecrf.study import clock as app_clock
from ecrf.study.schedule import VisitStatus
from ecrf.study.status import FormStatus, SubjectStatus

TODAY = date(2024, 3, 1)


def _facts(day0: date | None, arm: str | None = "CTRL", ended: date | None = None) -> SubjectFacts:
    status = SubjectStatus.ENROLLED if day0 else SubjectStatus.SCREENING
    return SubjectFacts("CN01-001" if day0 else "CN01-S001", "CN01-S001", "CN01-001" if day0 else None, status, arm,
                        day0, ended, "R001" if day0 else None)


def _all_done(study, visit: str, arm: str | None = "CTRL") -> dict[tuple[str, str, str], FormStatus]:  # type: ignore[no-untyped-def]
    return {(visit, vf.form, tp): FormStatus.COMPLETE
            for vf in study.visit(visit).forms_for(arm) for tp in (vf.timepoints or ("",))}


@pytest.mark.req("SCHED-WINDOW")
def test_cell_states_follow_the_window_and_the_forms(study) -> None:  # type: ignore[no-untyped-def]
    day0 = TODAY - timedelta(days=20)  # D3 and D6 are past, D14 closed on day 16, D28 not open yet
    statuses = {**_all_done(study, "SCR"), **_all_done(study, "D0"), **_all_done(study, "D3"),
                ("D6", "VS", ""): FormStatus.IN_PROGRESS}
    dates = {"SCR": day0 - timedelta(days=1), "D0": day0, "D3": day0 + timedelta(days=7),
             "D6": day0 + timedelta(days=6)}
    row = build_row(study, _facts(day0), statuses, dates, (), {"AE": 2}, TODAY)
    assert row.cell("SCR").state is CellState.COMPLETE
    assert row.cell("D0").state is CellState.COMPLETE
    d3 = row.cell("D3")  # every form done, but 3 days after the window: needs attention, marked out of window
    assert d3.state is CellState.ATTENTION and d3.out_of_window and d3.schedule.days_off == 3
    assert row.cell("D6").state is CellState.IN_PROGRESS
    d14 = row.cell("D14")
    assert d14.overdue and d14.state is CellState.ATTENTION
    assert row.cell("D28").state is CellState.NOT_DUE and row.cell("D28").schedule.status is VisitStatus.UPCOMING
    assert row.overdue and row.attention and row.log_counts == {"AE": 2} and row.rand_no == "R001"


def test_a_due_visit_without_forms_is_not_started_and_cancelled_visits_are_not_due(study) -> None:  # type: ignore[no-untyped-def]
    day0 = TODAY - timedelta(days=3)
    row = build_row(study, _facts(day0, ended=TODAY), {}, {"D0": day0}, {"D6", "D14"}, {}, TODAY)
    assert row.cell("D3").state is CellState.NOT_STARTED and row.cell("D3").schedule.status is VisitStatus.DUE
    assert row.cell("D14").schedule.status is VisitStatus.CANCELLED
    assert row.cell("D14").state is CellState.NOT_DUE


def test_a_subject_in_screening_has_only_the_screening_visit_due(study) -> None:  # type: ignore[no-untyped-def]
    row = build_row(study, _facts(None, arm=None), {("SCR", "DM", ""): FormStatus.COMPLETE}, {"SCR": TODAY}, (), {},
                    TODAY)
    assert row.cell("SCR").state is CellState.IN_PROGRESS
    assert all(c.state is CellState.NOT_DUE for c in row.cells[1:])
    assert not row.overdue and row.arm is None and row.day0 is None


@pytest.mark.req("DATA-NO-ERASE")
def test_rows_and_detail_from_a_site(sites, study) -> None:  # type: ignore[no-untyped-def]
    db_path, _ = sites.make()
    nurse = sites.login(db_path, "nurse")
    try:
        subject_id = enrol(nurse)
        waiting = screen(nurse)
        for term in ("Headache", "Nausea"):
            logs.add_log_entry(nurse, subject_id, "AE", {"AETERM": term})
        logs.remove_log_entry(nurse, subject_id, "AE", 2, "entered for the wrong subject")
        rows = {r.label: r for r in overview.subject_rows(nurse)}
        assert set(rows) == {subject_id, waiting}
        enrolled = rows[subject_id]
        assert enrolled.status is SubjectStatus.ENROLLED and enrolled.arm in ("MSC", "CTRL") and enrolled.rand_no
        assert enrolled.day0 == app_clock.today() and enrolled.cell("SCR").state is CellState.IN_PROGRESS
        assert enrolled.log_counts == {"AE": 1}  # the removed entry is not counted
        assert rows[waiting].status is SubjectStatus.SCREENING and rows[waiting].log_counts == {}
        detail = overview.subject_detail(nurse, subject_id)
        assert [(e.repeat, e.deleted, e.deleted_reason) for e in detail.logs["AE"]] == [
            (1, False, None), (2, True, "entered for the wrong subject")]
        assert detail.logs["AE"][1].summary["AETERM"] == "Nausea"  # removed, not erased
        assert detail.logs["CM"] == []
        assert overview.subject_detail(nurse, enrolled.screening_no).row.label == subject_id
    finally:
        nurse.close()


def test_the_matrix_reads_the_site_in_a_fixed_number_of_queries(sites) -> None:  # type: ignore[no-untyped-def]
    db_path, _ = sites.make()
    nurse = sites.login(db_path, "nurse")
    statements: list[str] = []

    def count(*args) -> None:  # type: ignore[no-untyped-def]
        statements.append(args[2])

    try:
        enrol(nurse)
        event.listen(nurse.database.engine, "before_cursor_execute", count)
        overview.subject_rows(nurse)
        with_one = len(statements)
        assert with_one > 0
        enrol(nurse)
        screen(nurse)
        statements.clear()
        assert len(overview.subject_rows(nurse)) == 3
        assert len(statements) == with_one  # no per-subject round trips
    finally:
        event.remove(nurse.database.engine, "before_cursor_execute", count)
        nurse.close()
