"""Queries through the real widgets: a monitor raises a query from an item's menu; a nurse opens it from the
item's marker, answers it and corrects the value with a reason in the same step (21 CFR 11.10(f))."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit
from subject_helpers import stored

from ecrf.services import queries
from ecrf.services.queries import QueryPlace
from ecrf.study.status import QueryState, ResponseCode
from ecrf.ui.form_editor.missing_menu import item_menu
from ecrf.ui.form_editor.page import FormEditorPage
from ecrf.ui.queries.inbox import QueryInboxPage
from ecrf.ui.queries.thread import QueryDialog, RaiseQueryDialog
from tests.monitoring.query_helpers import vital_signs_site

pytestmark = pytest.mark.req("P11.10f")


@pytest.fixture
def site(sites, study):  # type: ignore[no-untyped-def]
    desk, ref = vital_signs_site(sites, study)
    yield desk, ref
    desk.close()


def _page(qtbot, session, ref) -> FormEditorPage:  # type: ignore[no-untyped-def]
    page = FormEditorPage(session, ref)
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    return page


def test_a_monitor_raises_a_query_and_a_nurse_answers_it_with_a_correction(qtbot, site, dialogs):
    desk, ref = site
    monitor_page = _page(qtbot, desk("monitor"), ref)
    row = monitor_page.rows["PULSE"]
    menu = item_menu(monitor_page, row.item, {}, "en", current=None, editable=False, has_history=True,
                     can_query=True)
    assert "query" in [a.objectName() for a in menu.actions()]
    monitor_page.apply_menu_choice("PULSE", ("query", ""))
    raising = monitor_page.query_panel.dialog
    assert isinstance(raising, RaiseQueryDialog)
    raising.text.setPlainText("Pulse 80 is not in the source: the ECG printout says 88.")
    raising.submit()
    assert raising.result() == RaiseQueryDialog.DialogCode.Accepted
    assert not row.query_mark.isHidden() and row.query_mark.text() == "?"
    assert "Q-0001" in monitor_page.query_panel.findChild(QLabel, "query_line_1").text()
    monitor_page.close()
    monitor_page.deleteLater()

    nurse = desk("nurse")
    page = _page(qtbot, nurse, ref)
    assert page.rows["PULSE"].query_mark.text() == "?"
    page.open_query_at("PULSE")
    dialog = page.query_panel.dialog
    assert isinstance(dialog, QueryDialog)
    assert dialog.findChild(QPlainTextEdit, "answer_text") is dialog.answer_text  # built for site staff
    assert not hasattr(dialog, "close_button")  # only the raiser's role decides
    dialog.response.setCurrentIndex(dialog.response.findData(ResponseCode.TYPING_ERROR.value))
    dialog.answer_text.setPlainText("Typed 80 for 88.")
    dialog.change_value.setChecked(True)
    dialog.new_value.set_entry("88")
    dialog.change_reason.setText("corrected from the ECG printout")
    assert dialog.answer(), dialogs.errors
    assert stored(nurse, ref)["PULSE"] == 88
    assert page.rows["PULSE"].field.entry() == "88"  # the editor reloaded the corrected form
    assert page.rows["PULSE"].query_mark.text() == "↩"
    thread = queries.query_thread(nurse, 1)
    assert thread.query.state == QueryState.ANSWERED
    assert [m.kind for m in thread.messages] == ["raised", "answered"]
    assert "Typed 80 for 88." in dialog.thread_view.toPlainText()


def test_a_correction_without_a_reason_is_shown_as_refused(qtbot, site, dialogs):
    desk, ref = site
    qid = queries.raise_query(desk("monitor"), QueryPlace.on_item(ref, "PULSE"), "Check the pulse.")
    page = _page(qtbot, desk("nurse"), ref)
    dialog = page.query_panel.open_thread(qid)
    dialog.response.setCurrentIndex(dialog.response.findData(ResponseCode.TYPING_ERROR.value))
    dialog.answer_text.setPlainText("Fixed.")
    dialog.change_value.setChecked(True)
    dialog.new_value.set_entry("88")
    assert not dialog.answer()
    assert "needs a reason" in dialogs.last_error()
    assert "Heart rate" in dialogs.last_error() and "PULSE" not in dialogs.last_error()  # the label, not the code
    assert dialog.answer_text.toPlainText() == "Fixed."  # nothing typed is lost
    assert stored(desk("nurse"), ref)["PULSE"] == 80


def test_the_monitor_closes_from_the_thread_and_the_inbox_filters(qtbot, site, dialogs):
    desk, ref = site
    qid = queries.raise_query(desk("monitor"), QueryPlace.on_item(ref, "PULSE"), "Check the pulse.")
    queries.answer_query(desk("nurse"), qid, "Source says 80.", ResponseCode.CONFIRMED_CORRECT)
    monitor = desk("monitor")
    inbox = QueryInboxPage(monitor)
    qtbot.addWidget(inbox)
    assert inbox.model.rowCount() == 1
    requested = []
    inbox.itemRequested.connect(lambda r, item: requested.append((r, item)))
    inbox.open_row(0)
    assert requested == [(ref, "PULSE")]
    page = _page(qtbot, monitor, ref)
    dialog = page.query_panel.open_thread(qid)
    assert not hasattr(dialog, "send_answer")
    dialog.decision_text.setPlainText("Agreed.")
    dialog.close_button.click()
    assert queries.query_thread(monitor, qid).query.state == QueryState.CLOSED
    inbox.state.setCurrentIndex(inbox.state.findData(QueryState.OPEN.value))
    assert inbox.model.rowCount() == 0


def test_the_inbox_is_reachable_from_the_main_window_and_opens_the_form_at_the_item(qtbot, site, dialogs):
    from PySide6.QtGui import QAction

    from ecrf.ui.main_window import MainWindow

    desk, ref = site
    queries.raise_query(desk("monitor"), QueryPlace.on_item(ref, "OXYSAT"), "Check SpO2 against the source.")
    window = MainWindow(desk("nurse"), idle_check_ms=60_000)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.findChild(QAction, "action_queries").trigger()
    assert isinstance(window.page, QueryInboxPage)
    window.page.open_row(0)
    page = window.page
    assert isinstance(page, FormEditorPage) and page.ref == ref
    assert page.start_at == "OXYSAT"
    qtbot.waitUntil(lambda: page.rows["OXYSAT"].owns(QApplication.focusWidget()))
    window.watcher.stop()
