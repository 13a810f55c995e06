"""The reason prompt: a reason for a change, a removal or a step taken back, as an audit trail records it.

Where the kind of step has usual reasons (a data correction, un-verifying, removing a log entry) the
user picks one of them (its digit) and may add details; "Other" needs the details. The stored reason stays
text: the chosen label in the language on screen, then the details ("Transcription error: from the nursing
notes"), so the audit trail reads the same as before and any reader can take it as it is."""
from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

translate = QCoreApplication.translate


class Reasons(StrEnum):
    """Which list of usual reasons a prompt offers."""

    DATA_CHANGE = "data_change"  # changing saved data (a completed form, a query's correction)
    UNVERIFY = "unverify"  # taking back source data verification
    REMOVE_ENTRY = "remove_entry"  # removing a log entry (adverse event, medication)


def usual_reasons(kind: Reasons) -> list[str]:
    """The list in the current language (translated at call time: the language can change while running)."""
    if kind is Reasons.DATA_CHANGE:
        return [translate("Reasons", "Transcription error"),
                translate("Reasons", "Source document corrected"),
                translate("Reasons", "Data entered in error"),
                translate("Reasons", "Value confirmed against the source document"),
                translate("Reasons", "New information from the source document"),
                translate("Reasons", "Correction in answer to a query")]
    if kind is Reasons.UNVERIFY:
        return [translate("Reasons", "Value changed after verification"),
                translate("Reasons", "Verified in error"),
                translate("Reasons", "Source document corrected")]
    return [translate("Reasons", "Data entered in error"),
            translate("Reasons", "Duplicate entry"),
            translate("Reasons", "Entered for the wrong subject")]


def compose(label: str | None, details: str) -> str:
    """The stored text: the chosen label, then the details; only the details for "Other"."""
    details = details.strip()
    if label is None:
        return details
    return f"{label}: {details}" if details else label


class ReasonDialog(QDialog):
    """Free text only (`kind` None, e.g. an administrator's step), or a usual reason plus details."""

    def __init__(self, parent: QWidget | None, title: str, prompt: str, kind: Reasons | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        layout = self._column = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.choices = QButtonGroup(self)
        self.labels = usual_reasons(kind) if kind is not None else []
        for number, text in enumerate(self.labels, start=1):
            self._add_choice(f"&{number}  {text}", number - 1)
        self.other: QRadioButton | None = None
        if self.labels:
            self.other = self._add_choice(translate("Reasons", "&0  Other (write the reason below)"), len(self.labels))
        self.edit = QPlainTextEdit()
        self.edit.setObjectName("reason")
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(80)
        self.edit.setPlaceholderText(
            translate("Reasons", "Details (optional; needed for Other)") if self.labels else
            translate("dialogs", "e.g. transcription error corrected from the source document"))
        self.edit.setAccessibleName(translate("Reasons", "Details of the reason"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.edit.textChanged.connect(self._update)
        self.choices.idToggled.connect(lambda _id, _on: self._update())
        layout.addWidget(self.edit)
        layout.addWidget(self.buttons)
        self._update()

    def _add_choice(self, text: str, index: int) -> QRadioButton:
        button = QRadioButton(text)
        button.setObjectName(f"reason_{index}" if index < len(self.labels) else "reason_other")
        self.choices.addButton(button, index)
        self._column.addWidget(button)
        return button

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """A digit picks the reason of that number (0: Other, then the cursor goes to the details)."""
        digit = event.text()
        if self.labels and digit.isdigit() and len(digit) == 1 and not self.edit.hasFocus():
            button = self.other if digit == "0" else self.choices.button(int(digit) - 1)
            if button is not None:
                button.setChecked(True)
                (self.edit if button is self.other else button).setFocus()
                return
        super().keyPressEvent(event)

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.reason()))

    def chosen(self) -> str | None:
        """The usual reason picked; None for Other or while nothing is picked."""
        index = self.choices.checkedId()
        return self.labels[index] if 0 <= index < len(self.labels) else None

    def reason(self) -> str:
        """The reason as stored; empty while the dialog cannot be accepted."""
        details = self.edit.toPlainText()
        if self.labels and self.choices.checkedButton() is None:
            return ""
        return compose(self.chosen(), details)
