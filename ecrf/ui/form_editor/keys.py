"""Keyboard handling of the entry widgets: Enter moves on like Tab (a new line in a long text), Alt+Down
opens a date's calendar, leaving an item shows its findings, and the focused field scrolls into view; and
the page's side of it (FocusMoves): where the cursor starts and where Enter takes it."""
from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import QApplication, QPlainTextEdit, QWidget

from ecrf.ui.form_editor.date_picker import DateField
from ecrf.ui.form_editor.part import EditorPart

if TYPE_CHECKING:
    from ecrf.ui.form_editor.page import FormEditorPage


class FieldKeys(QObject):
    """Enter moves on; leaving a field shows its findings; a focused field scrolls into view."""

    def __init__(self, page: FormEditorPage) -> None:
        super().__init__(page)
        self.page = page

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QWidget) or not shiboken6.isValid(self.page):
            return False  # the page is being destroyed (a language switch): its fields lose focus on the way
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


class FocusMoves(EditorPart):
    """Keyboard focus in FormEditorPage: the first field once shown, Enter to the next field, findings on leaving."""

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            QTimer.singleShot(0, self, self.focus_first)

    def focus_first(self) -> None:
        """The cursor starts in the first field the user can type in (or at the item a query is about)."""
        if self.start_at in self.rows and self.rows[self.start_at].isVisible():
            self.focus_item(self.start_at)
            self.scroll_area.ensureWidgetVisible(self.rows[self.start_at])
            return
        for code, row in self.rows.items():
            if row.isVisible() and any(w.isEnabled() for w in row.field.focus_widgets()):
                self.focus_item(code)
                return

    def focus_item(self, code: str | None) -> None:
        row = self.rows.get(code or "")
        if row is not None and row.isVisible() and row.field.focus_widgets():
            row.field.focus_proxy().setFocus(Qt.FocusReason.OtherFocusReason)
            self.scroll_area.ensureWidgetVisible(row)

    def advance_from(self, widget: QWidget) -> None:
        """Enter moves to the next field (the first entry widget of the next visible, editable item)."""
        codes = list(self.rows)
        current = next((i for i, c in enumerate(codes) if self.rows[c].owns(widget)), -1)
        for code in codes[current + 1:]:
            row = self.rows[code]
            targets = [w for w in row.field.focus_widgets() if w.isEnabled()]
            if row.isVisible() and targets:
                self.focus_item(code)
                return
        target = self.save_button if self.save_button.isVisible() else self.close_button
        target.setFocus(Qt.FocusReason.TabFocusReason)

    def field_left(self, widget: QWidget) -> None:
        """Focus went elsewhere: if it left the item, its findings show now."""
        row = next((r for r in self.rows.values() if r.owns(widget)), None)
        if row is not None and not row.owns(QApplication.focusWidget()):
            self._left(row.item.code)
