"""The Save/Discard/Cancel question asked before leaving unsaved entries answers to the keyboard: Alt+S, Alt+D,
Esc (issue 16, item 7). Outside tests/ui: that folder replaces every message box with a recorder."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from ecrf.ui import dialogs


def _answer_with(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier) -> str:  # type: ignore[no-untyped-def]
    seen: list[list[str]] = []

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, press)
            return
        seen.append([button.text() for button in box.buttons()])
        box.activateWindow()
        assert QTest.qWaitForWindowActive(box, 2000)  # a button's Alt key works in the active window only
        qtbot.keyClick(box, key, modifier)
        QTimer.singleShot(1000, box.reject)  # a key that did nothing fails the test instead of hanging it

    QTimer.singleShot(0, press)
    answer = dialogs.ask_save_discard(None, "Unsaved entries", "VS has entries that are not saved yet.")
    assert seen and sorted(seen[0]) == ["&Discard", "&Save", "Cancel"]
    return answer


@pytest.mark.req("WARD-SHELL-2")
@pytest.mark.parametrize(("key", "modifier", "answer"), [
    (Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier, "save"),
    (Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier, "discard"),
    (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier, "cancel"),
    (Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "cancel")])  # Enter is the safe choice: stay
def test_save_discard_cancel_by_keyboard(qtbot, key, modifier, answer):  # type: ignore[no-untyped-def]
    assert _answer_with(qtbot, key, modifier) == answer
