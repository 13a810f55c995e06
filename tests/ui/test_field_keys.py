"""The form editor's key and focus handling (FieldKeys) outlives nothing it relies on."""
from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QScrollArea, QVBoxLayout, QWidget

from ecrf.ui.form_editor.keys import FieldKeys


class _Page(QWidget):
    """What FieldKeys uses of a FormEditorPage."""

    def __init__(self) -> None:
        super().__init__()
        self.left: list[QWidget] = []
        self.body = QWidget(self)  # the fields come before the filter among the page's children, as in the editor
        self.scroll_area = QScrollArea(self)

    def field_left(self, widget: QWidget) -> None:
        self.left.append(widget)


def test_a_page_taken_down_while_a_field_has_the_cursor_goes_quietly(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A language switch takes the old window down with the cursor still in a form field (seen on X11): the
    field loses focus while its page is already being destroyed. That is no error (pytest-qt fails the test on
    an exception in the event filter)."""
    page = _Page()
    QVBoxLayout(page.body)
    field = QLineEdit(page.body)
    page.body.layout().addWidget(field)
    keys = FieldKeys(page)  # type: ignore[arg-type]  # a stand-in page
    field.installEventFilter(keys)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=5000)
    field.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(field.hasFocus, timeout=5000)
    field.clearFocus()
    qtbot.waitUntil(lambda: page.left == [field], timeout=5000)  # a live page hears of it
    field.setFocus(Qt.FocusReason.OtherFocusReason)
    qtbot.waitUntil(field.hasFocus, timeout=5000)
    shiboken6.delete(page)
    qtbot.wait(10)
    assert not shiboken6.isValid(keys)
