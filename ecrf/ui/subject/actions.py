"""The two small forms of the subject view: manual allocation (investigators) and the end of participation.

The page calls `actions.ask_manual_allocation` / `actions.ask_end_participation` through the module, so
tests can answer them without showing a dialog (like `ecrf.ui.dialogs`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ecrf.study.model import Study
from ecrf.study.status import SubjectStatus
from ecrf.ui.i18n import text_lang
from ecrf.ui.subject_words import status_text


@dataclass(frozen=True)
class ManualAllocation:
    arm: str
    rand_no: str
    reason: str


@dataclass(frozen=True)
class EndOfParticipation:
    status: SubjectStatus
    on: date
    reason: str


class _Dialog(QDialog):
    def __init__(self, parent: QWidget | None, title: str, intro: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.layout_ = QVBoxLayout(self)
        text = QLabel(intro)
        text.setWordWrap(True)
        self.layout_.addWidget(text)
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(80)
        self.reason.textChanged.connect(self.update_ok)

    def finish(self) -> None:
        self.layout_.addWidget(self.buttons)
        self.update_ok()

    def ready(self) -> bool:
        return bool(self.reason.toPlainText().strip())

    def update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.ready())


class ManualAllocationDialog(_Dialog):
    def __init__(self, parent: QWidget | None, study: Study, subject: str) -> None:
        super().__init__(parent, self.tr("Manual allocation"), self.tr(
            "Allocate {0} without the allocation list, e.g. from a sealed envelope opened during a power cut. "
            "Enter the arm and the allocation number exactly as on the envelope, and why the list was not "
            "used. This is recorded in the audit trail and cannot be undone.").format(subject))
        self.arm = QComboBox()
        self.arm.setObjectName("arm")
        for arm in study.arms:
            self.arm.addItem(f"{arm.code} – {arm.label.get(text_lang())}", arm.code)
        self.rand_no = QLineEdit()
        self.rand_no.setObjectName("rand_no")
        self.rand_no.textChanged.connect(self.update_ok)
        self.reason.setPlaceholderText(self.tr("e.g. computer down at night; envelope 17 opened by Dr Li"))
        self.form.addRow(self.tr("Arm"), self.arm)
        self.form.addRow(self.tr("Allocation number"), self.rand_no)
        self.form.addRow(self.tr("Reason"), self.reason)
        self.finish()

    def ready(self) -> bool:
        return super().ready() and bool(self.rand_no.text().strip())

    def value(self) -> ManualAllocation:
        return ManualAllocation(self.arm.currentData(), self.rand_no.text().strip(), self.reason.toPlainText().strip())


class EndParticipationDialog(_Dialog):
    def __init__(self, parent: QWidget | None, subject: str, screening: bool, today: date,
                 earliest: date | None) -> None:
        super().__init__(parent, self.tr("End participation"), self.tr(
            "Record that {0}'s participation has ended. The visits not yet due are cancelled (kept, marked). "
            "This cannot be undone.").format(subject))
        self.status = QComboBox()
        self.status.setObjectName("status")
        choices = ([(SubjectStatus.SCREEN_FAILURE, status_text(SubjectStatus.SCREEN_FAILURE))] if screening else
                   [(SubjectStatus.COMPLETED, self.tr("Completed the study")),
                    (SubjectStatus.WITHDRAWN, status_text(SubjectStatus.WITHDRAWN)),
                    (SubjectStatus.DIED, status_text(SubjectStatus.DIED))])
        for status, text in choices:
            self.status.addItem(text, status.value)
        self.on = QDateEdit()
        self.on.setObjectName("on")
        self.on.setDisplayFormat("yyyy-MM-dd")
        self.on.setCalendarPopup(True)
        self.on.setMaximumDate(QDate(today.year, today.month, today.day))
        if earliest is not None:
            self.on.setMinimumDate(QDate(earliest.year, earliest.month, earliest.day))
        self.on.setDate(QDate(today.year, today.month, today.day))
        self.reason.setPlaceholderText(self.tr("e.g. the subject withdrew consent on the phone"))
        self.form.addRow(self.tr("Status"), self.status)
        self.form.addRow(self.tr("Date"), self.on)
        self.form.addRow(self.tr("Reason"), self.reason)
        self.finish()

    def value(self) -> EndOfParticipation:
        day = self.on.date()
        return EndOfParticipation(SubjectStatus(self.status.currentData()), date(day.year(), day.month(), day.day()),
                                  self.reason.toPlainText().strip())


def ask_manual_allocation(parent: QWidget | None, study: Study, subject: str) -> ManualAllocation | None:
    dialog = ManualAllocationDialog(parent, study, subject)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None


def ask_end_participation(parent: QWidget | None, subject: str, screening: bool, today: date,
                          earliest: date | None) -> EndOfParticipation | None:
    dialog = EndParticipationDialog(parent, subject, screening, today, earliest)
    return dialog.value() if dialog.exec() == QDialog.DialogCode.Accepted else None
