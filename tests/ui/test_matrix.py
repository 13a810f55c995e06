"""The subject matrix: the model and its proxy without widgets, 2,000 subjects, and the home page."""
from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QPushButton

from ecrf.services.overview import CellState, SubjectFacts, build_row
from ecrf.study.status import FormStatus, SubjectStatus
from ecrf.ui.matrix.model import (
    COL_ARM,
    COL_STATUS,
    COL_SUBJECT,
    STATE_BACKGROUND,
    LabelRole,
    RowRole,
    SortRole,
    StateRole,
    SubjectMatrixModel,
)
from ecrf.ui.matrix.page import MatrixPage
from ecrf.ui.matrix.proxy import ACTIVE, SubjectFilterProxy

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # bench/ is a folder of the repo, not part of the installed package
    sys.path.insert(0, str(REPO))

from bench.ui_matrix import synthetic_rows  # noqa: E402 (after the sys.path line above)

TODAY = date(2024, 3, 1)


def _rows(study):  # type: ignore[no-untyped-def]
    """Three subjects: one in screening, one overdue at D14 (MSC), one (CTRL) with D3 done late and D6 due."""
    def facts(n: int, arm: str | None, day0: date | None) -> SubjectFacts:
        status = SubjectStatus.ENROLLED if arm else SubjectStatus.SCREENING
        return SubjectFacts(f"CN01-{n:03d}" if arm else f"CN01-S{n:03d}", f"CN01-S{n:03d}",
                            f"CN01-{n:03d}" if arm else None, status, arm, day0, None, f"R{n:03d}" if arm else None)

    def done(visit: str, arm: str) -> dict:  # type: ignore[type-arg]
        return {(visit, vf.form, tp): FormStatus.COMPLETE for vf in study.visit(visit).forms_for(arm)
                for tp in (vf.timepoints or ("",))}

    late = TODAY - timedelta(days=20)
    fresh = TODAY - timedelta(days=5)
    return [
        build_row(study, facts(3, None, None), {("SCR", "DM", ""): FormStatus.IN_PROGRESS}, {"SCR": TODAY}, (), {},
                  TODAY),
        build_row(study, facts(1, "MSC", late),
                  {**done("SCR", "MSC"), **done("D0", "MSC"), **done("D3", "MSC"), **done("D6", "MSC")},
                  {"SCR": late, "D0": late, "D3": late + timedelta(days=3), "D6": late + timedelta(days=6)}, (),
                  {"AE": 2}, TODAY),
        build_row(study, facts(2, "CTRL", fresh), {**done("SCR", "CTRL"), **done("D0", "CTRL"), **done("D3", "CTRL")},
                  {"SCR": fresh, "D0": fresh, "D3": fresh + timedelta(days=5)}, (), {"CM": 1}, TODAY),
    ]


def _index(model, row: int, column: int) -> QModelIndex:  # type: ignore[no-untyped-def]
    return model.index(row, column)


@pytest.mark.req("SCHED-WINDOW")
def test_model_cells_headers_and_tooltips(study) -> None:  # type: ignore[no-untyped-def]
    model = SubjectMatrixModel(study)
    model.set_rows(_rows(study))
    assert model.rowCount() == 3
    assert model.columnCount() == 4 + len(study.visits) + len(study.logs)
    d3 = model.visit_column("D3")
    assert model.headerData(d3, Qt.Orientation.Horizontal) == "D3\nDay 3"
    assert model.headerData(model.visit_column("SCR"), Qt.Orientation.Horizontal) == "SCR\nscreening"
    assert model.headerData(model.log_column("AE"), Qt.Orientation.Horizontal) == "AE"
    assert _index(model, 0, COL_SUBJECT).data() == "CN01-S003"
    assert _index(model, 0, COL_ARM).data() == "—" and _index(model, 0, COL_STATUS).data() == "Screening"
    # Colour *and* symbol: complete, needs attention (overdue), done after the window.
    d0 = _index(model, 1, model.visit_column("D0"))
    assert d0.data() == "✓" and d0.data(StateRole) == CellState.COMPLETE
    assert d0.data(Qt.ItemDataRole.BackgroundRole) == STATE_BACKGROUND[CellState.COMPLETE]
    d14 = _index(model, 1, model.visit_column("D14"))
    assert d14.data(StateRole) == CellState.ATTENTION and d14.data().startswith("! 0/") and d14.data().endswith("late")
    late_d3 = _index(model, 2, d3)
    assert late_d3.data() == "! +1d"  # D3 (window days 2–4) done on day 5, a day after the window
    assert _index(model, 2, model.visit_column("D6")).data() == "○ 0/5"  # due today, nothing entered
    assert _index(model, 0, model.visit_column("D3")).data() == "·"  # not scheduled without Day 0
    tip = d14.data(Qt.ItemDataRole.ToolTipRole)
    assert "D14 – Day 14" in tip and "overdue" in tip and "Vital signs: not started" in tip
    assert _index(model, 1, model.log_column("AE")).data() == 2 and _index(model, 2, model.log_column("AE")).data() == 0
    assert _index(model, 1, 0).data(LabelRole) == "CN01-001" and _index(model, 1, 5).data(RowRole).arm == "MSC"


def test_proxy_filters_search_and_sort(study) -> None:  # type: ignore[no-untyped-def]
    model = SubjectMatrixModel(study)
    model.set_rows(_rows(study))
    proxy = SubjectFilterProxy()
    proxy.setSourceModel(model)

    def labels() -> list[str]:
        return [proxy.index(r, 0).data(LabelRole) for r in range(proxy.rowCount())]

    assert len(labels()) == 3
    proxy.set_arm("MSC")
    assert labels() == ["CN01-001"]
    proxy.set_arm(None)
    proxy.set_status(SubjectStatus.SCREENING.value)
    assert labels() == ["CN01-S003"]
    proxy.set_status(ACTIVE)
    assert len(labels()) == 3
    proxy.set_status("")
    proxy.set_overdue_only(True)
    assert labels() == ["CN01-001"]
    proxy.set_overdue_only(False)
    proxy.set_attention_only(True)
    assert sorted(labels()) == ["CN01-001", "CN01-002"]
    proxy.set_attention_only(False)
    hinted = {"R001": ["CN01-001 · allocation no. R001"], "S002": ["CN01-002 · screening no. CN01-S002"]}
    for text, found in (("s003", ["CN01-S003"]), ("cn01-002", ["CN01-002"]), ("R001", ["CN01-001"]),
                        ("S002", ["CN01-002"]), ("nobody", [])):
        proxy.set_search(text)
        assert labels() == found, text
        assert [proxy.index(r, 0).data() for r in range(proxy.rowCount())] == hinted.get(text, found)
    proxy.set_search("")
    proxy.sort(model.visit_column("D14"), Qt.SortOrder.AscendingOrder)
    assert labels()[0] == "CN01-001"  # work to do sorts first
    proxy.sort(COL_SUBJECT, Qt.SortOrder.DescendingOrder)
    assert labels() == ["CN01-S003", "CN01-002", "CN01-001"]
    assert proxy.index(0, COL_STATUS).data(SortRole) < proxy.index(1, COL_STATUS).data(SortRole)


class CountingModel(SubjectMatrixModel):
    calls = 0

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        CountingModel.calls += 1
        return super().data(index, role)


def test_two_thousand_subjects_touch_only_what_is_shown(qtbot, study) -> None:  # type: ignore[no-untyped-def]
    from ecrf.ui.matrix.view import FrozenColumnTable

    rows = synthetic_rows(study, 2000)
    model = CountingModel(study)  # built from the study alone: it has no session, so no database to reach
    proxy = SubjectFilterProxy()
    proxy.setSourceModel(model)
    model.set_rows(rows)
    view = FrozenColumnTable()
    qtbot.addWidget(view)
    view.resize(1240, 700)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(COL_SUBJECT, Qt.SortOrder.DescendingOrder)
    CountingModel.calls = 0
    view.grab()
    cells = model.columnCount() * 30  # about 25 rows fit in 700 px
    assert 0 < CountingModel.calls < cells * 20  # a bounded number of roles per visible cell, not 2,000 rows
    assert proxy.rowCount() == 2000 and proxy.index(0, 0).data() == "CN01-S2000"
    CountingModel.calls = 0
    proxy.set_search("CN01-19")  # filtering reads the rows directly, not through data()
    assert CountingModel.calls == 0
    assert proxy.rowCount() == 90  # CN01-1900…1999 less the ten still in screening (CN01-S19x0)
    assert sum(r.overdue for r in rows) > 0 and sum(r.status is SubjectStatus.SCREENING for r in rows) == 200


def test_home_page_search_filters_and_open(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    page = MatrixPage(session)
    qtbot.addWidget(page)
    assert page.count.text() == "20 of 20 subjects"
    qtbot.keyClicks(page.search, "demo-015")
    assert page.proxy.rowCount() == 1 and page.count.text() == "1 of 20 subjects"
    with qtbot.waitSignal(page.subjectActivated) as opened:
        qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert opened.args == ["DEMO-015"]
    page.search.clear()
    page.status.setCurrentIndex(page.status.findData(SubjectStatus.SCREENING.value))
    assert [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())] == ["DEMO-S020"]
    page.status.setCurrentIndex(0)
    page.arm.setCurrentIndex(page.arm.findData("MSC"))
    assert {page.proxy.index(r, COL_ARM).data() for r in range(page.proxy.rowCount())} == {"MSC"}
    page.arm.setCurrentIndex(0)
    page.overdue.setChecked(True)
    assert 0 < page.proxy.rowCount() < 20 and all(page.proxy.row_at(r).overdue for r in range(page.proxy.rowCount()))
    page.overdue.setChecked(False)
    with qtbot.waitSignal(page.table.activated) as _, qtbot.waitSignal(page.subjectActivated) as opened:
        page.table.activated.emit(page.proxy.index(3, 5))
    assert opened.args == [page.proxy.index(3, 0).data()]


def test_screening_a_new_subject_opens_it(qtbot, session, dialogs) -> None:  # type: ignore[no-untyped-def]
    page = MatrixPage(session)
    qtbot.addWidget(page)
    dialogs.yes_no.append(False)
    page.screen_button.click()
    assert page.model.rowCount() == 20  # said no: nothing registered
    with qtbot.waitSignal(page.subjectActivated) as opened:
        page.screen_button.click()
    assert opened.args == ["DEMO-S021"] and page.model.rowCount() == 21


@pytest.mark.parametrize("user", ["monitor", "reader"])
def test_readers_cannot_screen(qtbot, demo, user) -> None:  # type: ignore[no-untyped-def]
    session = demo.login(user)
    try:
        page = MatrixPage(session)
        qtbot.addWidget(page)
        assert page.findChild(QPushButton, "screen") is None and page.model.rowCount() == 20
    finally:
        session.close()


def test_main_window_finds_and_opens_a_subject(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    from ecrf.ui.main_window import MainWindow
    from ecrf.ui.subject.page import SubjectPage

    window = MainWindow(session, idle_check_ms=10**8)
    qtbot.addWidget(window)
    home = window.page
    assert isinstance(home, MatrixPage)
    qtbot.keyClicks(home.search, "DEMO-S017")  # the screening number finds the allocated subject
    qtbot.keyClick(home.search, Qt.Key.Key_Return)
    assert isinstance(window.page, SubjectPage) and window.page.title() == "DEMO-015"
    window.back()
    assert window.page is home and home.selected_label() is None


@pytest.mark.req("WARD-SPEED-UI-1")
def test_search_says_which_number_found_a_subject(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    """Issue 16 item 13: "017" also finds DEMO-015 (screening number DEMO-S017); the row says so."""
    page = MatrixPage(session)
    qtbot.addWidget(page)
    label_width = page.table.columnWidth(COL_SUBJECT)
    qtbot.keyClicks(page.search, "017")
    shown = {page.proxy.index(r, 0).data(LabelRole): page.proxy.index(r, 0) for r in range(page.proxy.rowCount())}
    assert set(shown) == {"DEMO-017", "DEMO-015"}
    assert shown["DEMO-017"].data() == "DEMO-017"  # found by its own label: nothing to explain
    assert shown["DEMO-015"].data() == "DEMO-015 · screening no. DEMO-S017"
    assert "Found by its screening no. DEMO-S017" in shown["DEMO-015"].data(Qt.ItemDataRole.ToolTipRole)
    assert shown["DEMO-015"].data(Qt.ItemDataRole.BackgroundRole) is not None
    assert shown["DEMO-017"].data(Qt.ItemDataRole.BackgroundRole) is None
    widened = page.table.columnWidth(COL_SUBJECT)
    assert widened >= page.fontMetrics().horizontalAdvance(shown["DEMO-015"].data()) > label_width
    assert page.table.frozen.columnWidth(COL_SUBJECT) == widened  # the frozen copy of the column follows
    with qtbot.assertNotEmitted(page.subjectActivated):
        qtbot.keyClick(page.search, Qt.Key.Key_Return)  # two subjects left: Enter opens neither
    page.search.clear()
    assert page.table.columnWidth(COL_SUBJECT) == label_width
    assert page.proxy.index(0, 0).data() == page.proxy.index(0, 0).data(LabelRole)


@pytest.mark.req("WARD-SPEED-UI-1")
def test_enter_opens_the_one_subject_found_by_another_number(qtbot, session) -> None:  # type: ignore[no-untyped-def]
    page = MatrixPage(session)
    qtbot.addWidget(page)
    qtbot.keyClicks(page.search, "s017")
    assert page.proxy.rowCount() == 1
    assert page.proxy.index(0, 0).data() == "DEMO-015 · screening no. DEMO-S017"
    with qtbot.waitSignal(page.subjectActivated) as opened:
        qtbot.keyClick(page.search, Qt.Key.Key_Return)
    assert opened.args == ["DEMO-015"]


def test_sort_keeps_the_selected_subject_and_equal_keys_in_given_order(study) -> None:  # type: ignore[no-untyped-def]
    """The model sorts itself (the proxy only filters): a selection follows its row, ties stay stable."""
    model = SubjectMatrixModel(study)
    rows = _rows(study)
    model.set_rows(rows)
    selected = QPersistentModelIndex(model.index(2, COL_ARM))  # CN01-002
    model.sort(COL_SUBJECT, Qt.SortOrder.AscendingOrder)
    assert [model.index(r, 0).data() for r in range(3)] == ["CN01-001", "CN01-002", "CN01-S003"]
    assert selected.row() == 1 and selected.column() == COL_ARM and selected.data(LabelRole) == "CN01-002"
    model.sort(model.log_column("CM"), Qt.SortOrder.DescendingOrder)  # counts 0, 0, 1 in the given order
    assert [model.index(r, 0).data() for r in range(3)] == ["CN01-002", "CN01-S003", "CN01-001"]
    model.set_rows(list(reversed(rows)))  # new rows keep the last sort
    assert [model.index(r, 0).data() for r in range(3)] == ["CN01-002", "CN01-001", "CN01-S003"]
