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
