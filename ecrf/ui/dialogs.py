"""Every message box and small prompt of the app goes through here, so that callers stay short, texts
are consistent, and tests can replace them (monkeypatch `ecrf.ui.dialogs.<name>`).

Callers use the module attribute (`dialogs.show_error(...)`), never `from ... import show_error`."""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QInputDialog,
    QMessageBox,
    QProgressDialog,
    QWidget,
)

from ecrf.crashlog import report_crash
from ecrf.errors import EcrfError, file_error
from ecrf.ui.background import Cancelled, Operation, Progress
from ecrf.ui.i18n import text_lang
from ecrf.ui.reason_dialog import ReasonDialog, Reasons

log = logging.getLogger("ecrf.ui")


def error_text(exc: BaseException) -> str:
    """What to tell the user, the one place the app turns an exception into words: our errors say what is
    wrong and what to do in the current language; anything else is a bug, written to a crash log."""
    if isinstance(exc, EcrfError):
        return exc.text(text_lang())
    if isinstance(exc, OSError):  # a path the system refuses: the same coded message as the command line's
        return file_error(exc).text(text_lang())
    return crash_text(exc)


def crash_text(exc: BaseException) -> str:
    """Log a bug with its traceback (data folder/logs) and say where the log is, in the app's language."""
    log.error("unexpected error (%s), written to a crash log", type(exc).__name__)
    return report_crash(exc, text_lang())


def show_error(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.warning(parent, title, text)


def show_info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def ask_yes_no(parent: QWidget | None, title: str, text: str) -> bool:
    answer = QMessageBox.question(parent, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def ask_save_discard(parent: QWidget | None, title: str, text: str) -> str:
    """'save', 'discard' or 'cancel' for leaving a screen with unsaved changes. Alt+S saves, Alt+D discards,
    Esc stays (Qt's standard buttons have no accelerators)."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent)
    save = box.addButton(QCoreApplication.translate("dialogs", "&Save"), QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(QCoreApplication.translate("dialogs", "&Discard"),
                            QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QCoreApplication.translate("dialogs", "Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    return "save" if clicked == save else "discard" if clicked == discard else "cancel"


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    value, ok = QInputDialog.getText(parent, title, label, text=text)
    return value if ok else None


def ask_reason(parent: QWidget | None, title: str, prompt: str, kind: Reasons | None = None) -> str | None:
    """A reason for a change or removal; None when cancelled. Empty reasons are not accepted. With `kind`,
    the usual reasons of that kind are offered (ecrf.ui.reason_dialog); the answer is text either way."""
    dialog = ReasonDialog(parent, title, prompt, kind)
    return dialog.reason() if dialog.exec() == QDialog.DialogCode.Accepted else None


def run_with_progress(parent: QWidget | None, title: str, op: Callable[[Progress], Any],
                      on_success: Callable[[Any], None], *, cancellable: bool = False,
                      on_failure: Callable[[BaseException], None] | None = None) -> Operation:
    """Run `op` on a worker with a modal progress dialog; failures show their message."""
    cancel_text = QCoreApplication.translate("dialogs", "Cancel") if cancellable else ""
    dialog = QProgressDialog(title, cancel_text, 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(0)
    dialog.setMinimumWidth(420)
    if not cancellable:
        dialog.setCancelButton(None)
    operation = Operation(op)

    def progressed(done: int, total: int, text: str) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)
        if text:
            dialog.setLabelText(text)

    def succeeded(result: Any) -> None:
        dialog.close()
        on_success(result)

    def failed(exc: BaseException) -> None:
        dialog.close()
        if isinstance(exc, Cancelled):
            return
        if on_failure is not None:
            on_failure(exc)
        else:
            show_error(parent, title, error_text(exc))

    dialog.canceled.connect(operation.cancel)
    operation.on_progress(progressed).on_success(succeeded).on_failure(failed).start()
    dialog.show()
    return operation
