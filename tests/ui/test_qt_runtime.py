"""The Qt binding itself: a PySide6 release that leaks references to None would abort a long session
('deallocating None') on Python 3.11, as 6.12.0 does; pyproject.toml excludes it and this test guards."""
from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_qt_calls_do_not_drop_references_to_none(qapp):  # type: ignore[no-untyped-def]
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
    assert sys.getrefcount(None) - before > -100


def test_emitting_a_python_signal_does_not_drop_references_to_true(qapp):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QObject, Signal

    class Emitter(QObject):
        changed = Signal()

    emitter, seen = Emitter(), []
    emitter.changed.connect(lambda: seen.append(1))
    before = sys.getrefcount(True)
    for _ in range(2000):
        emitter.changed.emit()
    assert len(seen) == 2000
    assert sys.getrefcount(True) - before > -100
