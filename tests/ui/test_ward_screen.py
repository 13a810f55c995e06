"""A ward PC's 1366×768 screen: the main window's frame fits the free area (the task bar takes 40 px) and the
buttons a user needs (the form's Save and Close, the query inbox's Open, the matrix legend) are inside it."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QMargins, QRect, QSize
from PySide6.QtWidgets import QWidget

from ecrf.services.subject_data import FormRef
from ecrf.ui import screen_fit
from ecrf.ui.main_window import PREFERRED_SIZE, MainWindow
from ecrf.ui.matrix.legend import Legend

pytestmark = pytest.mark.req("WARD-SCREEN")
WARD_SCREEN = QRect(0, 0, 1366, 768 - 40)  # 1366×768 with the Windows task bar along the bottom


def _inside(widget: QWidget, window: QWidget) -> bool:
    """Shown, inside the window and inside the screen's free area."""
    corner = widget.mapTo(window, widget.rect().topLeft())
    on_screen = QRect(widget.mapToGlobal(widget.rect().topLeft()), widget.size())
    return (widget.isVisible() and window.rect().contains(QRect(corner, widget.size()))
            and WARD_SCREEN.contains(on_screen))


@pytest.fixture
def ward_window(session, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(screen_fit, "available_geometry", lambda _window: WARD_SCREEN)
    window = MainWindow(session, idle_check_ms=3600 * 1000)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.watcher.stop()


def test_the_window_frame_fits_a_1366x768_screen(ward_window):  # type: ignore[no-untyped-def]
    frame = ward_window.geometry().marginsAdded(screen_fit.frame_margins(ward_window))
    assert WARD_SCREEN.contains(frame), f"{frame} is not inside {WARD_SCREEN}"
    assert ward_window.width() == PREFERRED_SIZE.width()  # only as much smaller as the screen needs
    assert ward_window.height() < PREFERRED_SIZE.height()


def test_the_legend_the_form_buttons_and_the_inbox_button_are_on_screen(ward_window, qtbot):  # type: ignore[no-untyped-def]
    legend = ward_window.findChild(Legend)
    assert legend is not None and _inside(legend, ward_window)
    ward_window.open_form(FormRef("DEMO-017", "D6", "VS"))  # due, not started: the nurse may edit it
    editor = ward_window.page
    qtbot.waitUntil(lambda: editor.save_button.isVisible())
    for button in (editor.save_button, editor.complete_button, editor.close_button):
        assert _inside(button, ward_window), button.text()
    ward_window.show_queries()
    assert _inside(ward_window.page.open_button, ward_window)


def test_a_window_larger_than_the_screen_is_made_smaller_and_placed_on_it():  # type: ignore[no-untyped-def]
    frame = QMargins(8, 31, 8, 8)
    size = screen_fit.fitted_size(QSize(1280, 800), WARD_SCREEN, frame)
    assert size == QSize(1280, 728 - 39)
    corner = screen_fit.placed_frame(size.grownBy(frame), WARD_SCREEN)
    assert WARD_SCREEN.contains(QRect(corner, size.grownBy(frame)))
    assert screen_fit.fitted_size(QSize(1280, 800), QRect(0, 0, 1920, 1040), frame) == QSize(1280, 800)
