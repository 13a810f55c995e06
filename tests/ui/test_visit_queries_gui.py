"""Queries on a visit as a whole through the real widgets: a monitor raises one from the subject's schedule; the
site reads its thread under the schedule and answers it with a response code; the monitor closes, re-opens and
cancels it; the query inbox opens such a query at its visit with its thread (21 CFR 11.10(f))."""
from __future__ import annotations

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QPushButton

from ecrf.services import queries
from ecrf.services.queries import QueryPlace
from ecrf.study.status import QueryState, ResponseCode
from ecrf.ui.queries.inbox import QueryInboxPage
from ecrf.ui.queries.thread import QueryDialog, RaiseQueryDialog
from ecrf.ui.subject.page import SubjectPage
from ecrf.ui.subject.schedule import RefRole
from tests.monitoring.query_helpers import vital_signs_site

pytestmark = pytest.mark.req("P11.10f")


@pytest.fixture
def site(sites, study):  # type: ignore[no-untyped-def]
    desk, ref = vital_signs_site(sites, study)
    yield desk, ref
    desk.close()


def _page(qtbot, session, label: str) -> SubjectPage:  # type: ignore[no-untyped-def]
    page = SubjectPage(session)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    page.show_subject(label)
    return page


def _choose_visit(page: SubjectPage, visit: str) -> None:
    assert page.schedule.select_visit(visit)
    assert page.visit_queries.visit == visit


def _thread(page: SubjectPage, query_id: int) -> QueryDialog:
    page.visit_queries.findChild(QPushButton, f"open_query_{query_id}").click()
    dialog = page.visit_queries.dialog
    assert isinstance(dialog, QueryDialog) and dialog.isVisible()
    return dialog


def test_a_monitor_raises_a_query_on_a_visit_from_the_schedule(qtbot, site, dialogs):
    desk, ref = site
    page = _page(qtbot, desk("monitor"), ref.subject)
    assert page.visit_queries.isHidden()  # no visit chosen yet
    page.schedule.tree.setCurrentIndex(page.schedule.form_index("D3", "VS"))  # a form row: its visit counts
    assert page.visit_queries.visit == "D3" and page.visit_queries.isVisible()
    menu = page.schedule.row_menu()
    raise_action = menu.findChild(QAction, "menu_raise_visit_query")
    assert raise_action is not None and "D3" in raise_action.text()
    raise_action.trigger()
    raising = page.visit_queries.dialog
    assert isinstance(raising, RaiseQueryDialog)
    assert raising.place == QueryPlace.on_visit(ref.subject, "D3")
    raising.text.setPlainText("Was the Day 3 visit done? Nothing is entered.")
    raising.submit()
    assert raising.result() == RaiseQueryDialog.DialogCode.Accepted
    [view] = queries.query_inbox(desk("monitor"))
    assert (view.place, view.state) == (QueryPlace.on_visit(ref.subject, "D3"), QueryState.OPEN)
    line = page.visit_queries.findChild(QLabel, f"query_line_{view.id}")
    assert "Q-0001" in line.text() and "Was the Day 3 visit done?" in line.text()
    assert "1 open or answered, 1 in all" in page.visit_queries.title.text()
    assert page.schedule.current_visit() == "D3"  # the schedule read anew keeps the row chosen
    assert page.schedule.model.item(_visit_row(page, "D3"), 6).text() == "?1"  # D3 has no form started yet
    _choose_visit(page, "D0")  # another visit: its own queries (none), still the raise button
    assert page.visit_queries.threads == [] and page.visit_queries.raise_button.isVisible()


def _visit_row(page: SubjectPage, visit: str) -> int:
    return next(n for n in range(page.schedule.model.rowCount())
                if page.schedule.model.item(n).data(RefRole) == visit)


def test_site_staff_answer_a_visit_query_and_the_monitor_closes_it(qtbot, site, dialogs):
    desk, ref = site
    qid = queries.raise_query(desk("monitor"), QueryPlace.on_visit(ref.subject, "D3"), "Was the D3 visit done?")
    nurse = desk("nurse")
    page = _page(qtbot, nurse, ref.subject)
    _choose_visit(page, "D3")
    assert not page.visit_queries.raise_button.isVisible()  # site staff answer, they do not raise
    dialog = _thread(page, qid)
    assert "Was the D3 visit done?" in dialog.thread_view.toPlainText()
    assert not hasattr(dialog, "change_value")  # a visit has no value to correct
    assert not hasattr(dialog, "close_button")  # only the raiser's role decides
    dialog.answer_text.setPlainText("The subject came on Day 4; the forms follow today.")
    assert not dialog.send_answer.isEnabled()  # no response code chosen yet
    assert not dialog.answer()
    assert dialogs.last_error() == "Choose the response first."
    assert queries.query_thread(nurse, qid).query.state == QueryState.OPEN
    dialog.response.setCurrentIndex(dialog.response.findData(ResponseCode.DATA_MISSING.value))
    dialog.send_answer.click()
    thread = queries.query_thread(nurse, qid)
    assert thread.query.state == QueryState.ANSWERED and thread.messages[-1].response == ResponseCode.DATA_MISSING
    assert "the forms follow today" in dialog.thread_view.toPlainText()
    assert "0 open or answered" not in page.visit_queries.title.text()  # answered still waits for the monitor
    assert "↩" in page.visit_queries.findChild(QLabel, f"query_line_{qid}").text()
    page.close()

    monitor = desk("monitor")
    page = _page(qtbot, monitor, ref.subject)
    _choose_visit(page, "D3")
    dialog = _thread(page, qid)
    assert not hasattr(dialog, "send_answer")
    dialog.decision_text.setPlainText("Agreed: visit out of window, noted.")
    dialog.close_button.click()
    assert queries.query_thread(monitor, qid).query.state == QueryState.CLOSED
    assert "0 open or answered, 1 in all" in page.visit_queries.title.text()
    assert dialog.reopen_button.isEnabled() and not dialog.close_button.isEnabled()


@pytest.mark.req("P11.10e")
def test_the_monitor_reopens_and_cancels_a_visit_query_with_a_reason(qtbot, site, dialogs):
    desk, ref = site
    qid = queries.raise_query(desk("monitor"), QueryPlace.on_visit(ref.subject, "D0"), "Is the D0 date right?")
    queries.answer_query(desk("nurse"), qid, "Yes.", ResponseCode.CONFIRMED_CORRECT)
    monitor = desk("monitor")
    page = _page(qtbot, monitor, ref.subject)
    _choose_visit(page, "D0")
    dialog = _thread(page, qid)
    dialog.decision_text.setPlainText("The source has another date: please check again.")
    dialog.reopen_button.click()
    assert queries.query_thread(monitor, qid).query.state == QueryState.OPEN
    dialog.cancel_button.click()  # cancelling needs a reason
    assert queries.query_thread(monitor, qid).query.state == QueryState.OPEN
    assert dialogs.errors and dialogs.errors[-1][0] == "Not done"
    dialog.decision_text.setPlainText("Raised on the wrong subject.")
    dialog.cancel_button.click()
    thread = queries.query_thread(monitor, qid)
    assert thread.query.state == QueryState.CANCELLED
    assert [m.kind for m in thread.messages] == ["raised", "answered", "reopened", "cancelled"]
    assert "✗" in page.visit_queries.findChild(QLabel, f"query_line_{qid}").text()


def test_the_inbox_opens_a_visit_query_at_its_visit_with_its_thread(qtbot, site, dialogs):
    from ecrf.ui.main_window import MainWindow

    desk, ref = site
    qid = queries.raise_query(desk("monitor"), QueryPlace.on_visit(ref.subject, "D3"), "Was the D3 visit done?")
    window = MainWindow(desk("investigator"), idle_check_ms=60_000)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.findChild(QAction, "action_queries").trigger()
    inbox = window.page
    assert isinstance(inbox, QueryInboxPage)
    row = next(n for n, v in enumerate(inbox.model.views) if v.id == qid)
    assert inbox.model.data(inbox.model.index(row, 2)).startswith("D3 – Day 3")  # the visit by its name
    inbox.open_row(row)
    page = window.page
    assert isinstance(page, SubjectPage) and page.key and page.schedule.current_visit() == "D3"
    dialog = page.visit_queries.dialog
    assert isinstance(dialog, QueryDialog) and dialog.isVisible() and dialog.query_id == qid
    dialog.response.setCurrentIndex(dialog.response.findData(ResponseCode.OTHER.value))
    dialog.answer_text.setPlainText("Visit missed: the subject was in hospital.")
    assert dialog.answer(), dialogs.errors
    assert queries.query_thread(desk("investigator"), qid).query.state == QueryState.ANSWERED
    dialog.reject()
    window.back()
    assert window.page is inbox
    inbox.refresh()
    assert inbox.model.views[row].state == QueryState.ANSWERED
    window.watcher.stop()


def test_a_nurse_sees_no_visit_panel_where_there_is_no_query(qtbot, site, dialogs):
    desk, ref = site
    page = _page(qtbot, desk("nurse"), ref.subject)
    _choose_visit(page, "D0")
    assert page.visit_queries.isHidden()
    assert page.schedule.row_menu().findChild(QAction, "menu_raise_visit_query") is None


def test_the_visit_panel_and_the_form_panel_speak_chinese(qtbot, site, dialogs):
    from ecrf.ui.form_editor.page import FormEditorPage
    from ecrf.ui.i18n import install_language

    desk, ref = site
    on_visit = queries.raise_query(desk("monitor"), QueryPlace.on_visit(ref.subject, "D3"), "Was D3 done?")
    on_form = queries.raise_query(desk("monitor"), QueryPlace.on_form(ref), "Check the form.")
    install_language("zh_CN")
    monitor = desk("monitor")
    page = _page(qtbot, monitor, ref.subject)
    _choose_visit(page, "D3")
    assert page.visit_queries.title.text().startswith("访视 D3 – ")
    assert "1 条待回复或已回复，共 1 条" in page.visit_queries.title.text()
    assert page.visit_queries.raise_button.text() == "对本访视发起质疑…"
    assert page.visit_queries.findChild(QPushButton, f"open_query_{on_visit}").text() == "打开…"
    assert page.schedule.row_menu().findChild(QAction, "menu_raise_visit_query").text() == "对访视 D3 发起质疑…"
    form = FormEditorPage(monitor, ref)
    qtbot.addWidget(form)
    assert form.query_panel.findChild(QPushButton, f"open_query_{on_form}").text() == "打开…"
