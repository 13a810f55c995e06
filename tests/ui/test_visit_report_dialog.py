"""The monitoring visit report in the app: the monitor's menu action, the period and summary, saving the PDF."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from ecrf.ui import visit_report_dialog
from ecrf.ui.main_window import MainWindow
from ecrf.ui.visit_report_dialog import VisitReportDialog, to_qt
from tests.export.monitoring_rows import at, monitor_subject
from tests.subject_helpers import screen


@pytest.fixture
def monitor(sites):  # type: ignore[no-untyped-def]
    db_path, _ = sites.make()
    nurse = sites.login(db_path, "nurse")
    monitor_subject(nurse, screen(nurse))
    nurse.close()
    session = sites.login(db_path, "monitor")
    yield session
    session.close()


@pytest.mark.parametrize(("username", "shown"), [("monitor", True), ("nurse", False), ("investigator", False)])
def test_only_monitors_have_the_action(qtbot, sites, username, shown):  # type: ignore[no-untyped-def]
    db_path, _ = sites.make()
    session = sites.login(db_path, username)
    try:
        window = MainWindow(session, idle_check_ms=60000)
        qtbot.addWidget(window)
        action = window.findChild(QAction, "action_visit_report")
        assert (action is not None) is shown
        if shown:
            action.trigger()
            assert isinstance(window.visit_report_dialog, VisitReportDialog) and window.visit_report_dialog.isModal()
            window.lock()  # the dialog shows data and would keep the password field from input
            assert window.visit_report_dialog is None and session.locked
        window.watcher.stop()
    finally:
        session.close()


def test_the_dialog_summarises_the_period_and_saves_the_pdf(qtbot, monitor, monkeypatch, tmp_path,  # type: ignore[no-untyped-def]
                                                            dialogs) -> None:
    dialog = VisitReportDialog(monitor)
    qtbot.addWidget(dialog)
    assert "0 items on 0 forms verified" in dialog.summary.text()  # today: nothing done yet
    assert "Still open: 2 queries; 2 forms to verify." in dialog.summary.text()
    dialog.since.setDateTime(to_qt(at(2, 0)))
    dialog.until.setDateTime(to_qt(at(3, 23)))
    dialog.refresh()
    assert "3 items on 2 forms verified; 2 queries raised, 1 answered, 2 closed or cancelled." in dialog.summary.text()
    chosen = tmp_path / "visit"
    monkeypatch.setattr(visit_report_dialog, "ask_file", lambda parent, suggested: str(chosen))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved == Path(f"{chosen}.pdf") and dialog.saved.read_bytes().startswith(b"%PDF")
    assert dialogs.infos and not dialogs.errors


def test_a_reversed_period_is_explained_and_cannot_be_saved(qtbot, monitor) -> None:  # type: ignore[no-untyped-def]
    dialog = VisitReportDialog(monitor)
    qtbot.addWidget(dialog)
    dialog.since.setDateTime(to_qt(at(3, 0)))
    dialog.until.setDateTime(to_qt(at(2, 0)))
    dialog.refresh()
    assert "starts" in dialog.summary.text() and not dialog.save_button.isEnabled()
