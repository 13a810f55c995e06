"""The screens the main window switches between share this small contract."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from ecrf.services.session import SiteSession


class Page(QWidget):
    """A screen of the main window. `maybe_leave()` is asked before the window shows another page,
    closes, locks out to another user, or switches language: a page with unsaved entries asks the
    user (save / discard / stay) and returns False to stay. A page whose title changes (a screening
    number becomes a subject id, a new log entry gets its number) emits `titleChanged`."""

    titleChanged = Signal()

    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session

    def title(self) -> str:
        return ""

    def maybe_leave(self) -> bool:
        return True

    def refresh(self) -> None:
        """Reload what the page shows from the database (after a save elsewhere)."""
