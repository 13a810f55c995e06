"""The main window's menu keys (Ctrl+E export, Ctrl+L lock, Ctrl+Q quit) work wherever the focus is.

A text field claims some Ctrl+letter keys for itself before any shortcut sees them: on Linux/X11 Qt binds
Ctrl+E to "end of line", so Ctrl+E did nothing while the subject search box (the home page's default focus)
had the focus. Qt asks the focused widget first with a ShortcutOverride event; this filter answers that
question for the window's own menu keys, so they win. Only Ctrl+letter keys are taken: Ctrl+Home and the
like keep their meaning inside a long text field."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

_CTRL_ONLY = Qt.KeyboardModifier.ControlModifier


class MenuKeysFirst(QObject):
    """Installed on the application for as long as `window` lives; stopped with `stop()`."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self.window:
            return False
        # Filtered without being accepted: the field does not claim the key, so the shortcut fires.
        return self._is_menu_key(event)

    def _is_menu_key(self, event: QKeyEvent) -> bool:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers != _CTRL_ONLY or not Qt.Key.Key_A.value <= event.key() <= Qt.Key.Key_Z.value:
            return False
        pressed = QKeySequence(event.keyCombination())
        return any(action.isEnabled() and action.shortcut() == pressed
                   for action in self.window.findChildren(QAction) if not action.shortcut().isEmpty())

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
