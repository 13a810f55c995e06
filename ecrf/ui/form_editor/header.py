"""The top of the form editor: which form of which subject, its status, who saved it last, and a
mark while there are entries not saved yet."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ecrf.services.editing import FormState
from ecrf.study.status import FormStatus
from ecrf.ui.clock import shown_time


def status_text(status: FormStatus | str) -> str:
    """Translated at call time (the language can change while the app runs)."""
    translate = QCoreApplication.translate
    names = {FormStatus.NOT_STARTED: translate("FormStatus", "Not started"),
             FormStatus.IN_PROGRESS: translate("FormStatus", "In progress"),
             FormStatus.COMPLETE: translate("FormStatus", "Complete")}
    return names.get(FormStatus(status), str(status))


class Header(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.setSpacing(2)
        self.title = QLabel()
        self.title.setObjectName("form_title")
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.details = QLabel()
        self.details.setObjectName("form_status")
        self.details.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.details)
        self._title_text = ""
        self._dirty = False

    def show_state(self, state: FormState, title: str, lang: str) -> None:
        self._title_text = title
        parts = [self.tr("Subject {0}").format(state.subject_label),
                 self.tr("Status: {0}").format(status_text(state.status))]
        if state.updated_at:
            parts.append(self.tr("last saved {0} by {1}").format(shown_time(state.updated_at),
                                                                     state.updated_by))
        self.details.setText("  ·  ".join(parts))
        self.details.setStyleSheet("")  # no longer the red of an error shown before this state was read
        self._show_title()

    def set_dirty(self, dirty: bool) -> None:
        if dirty != self._dirty:
            self._dirty = dirty
            self._show_title()

    def _show_title(self) -> None:
        mark = "  " + self.tr("(not saved)") if self._dirty else ""
        self.title.setText(self._title_text + mark)

    def show_error(self, title: str, message: str) -> None:
        self._title_text = title
        self._show_title()
        self.details.setText(message)
        self.details.setStyleSheet("color: #9b0000;")
