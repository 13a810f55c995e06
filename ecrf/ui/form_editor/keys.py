"""Keyboard handling of the entry widgets: Enter moves on like Tab (a new line in a long text), Alt+Down
opens a date's calendar, leaving an item shows its findings, and the focused field scrolls into view."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from ecrf.ui.form_editor.date_picker import DateField

if TYPE_CHECKING:
    from ecrf.ui.form_editor.page import FormEditorPage


class FieldKeys(QObject):
    """Enter moves on; leaving a field shows its findings; a focused field scrolls into view."""

    def __init__(self, page: FormEditorPage) -> None:
        super().__init__(page)
        self.page = page

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QWidget):
            return False
        kind = event.type()
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.key() in (
                Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier):
            if isinstance(watched, QPlainTextEdit):
                return False  # a new line in a long text
            self.page.advance_from(watched)
            return True
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Down \
                and event.modifiers() & Qt.KeyboardModifier.AltModifier:
            field = watched.parentWidget()
            if isinstance(field, DateField):  # Alt+Down in a date: the calendar
                field.open_calendar()
                return True
        if kind == QEvent.Type.FocusOut:
            QTimer.singleShot(0, self.page, lambda w=watched: self.page.field_left(w))
        elif kind == QEvent.Type.FocusIn:
            self.page.scroll_area.ensureWidgetVisible(watched, 20, 40)
        return False
