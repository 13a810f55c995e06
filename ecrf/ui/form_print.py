"""The form editor's "Print…" button: the form blank, or with the subject's saved values, saved as a PDF and
opened in the computer's PDF viewer to print. The PDF is made by the service `ecrf.services.form_print`;
every message goes through `ecrf.ui.dialogs`."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMenu, QPushButton, QWidget

from ecrf.errors import EcrfError
from ecrf.services import form_print
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef
from ecrf.ui import dialogs
from ecrf.ui.file_dialogs import ask_save_file, start_folder

translate = QCoreApplication.translate


def ask_file(parent: QWidget, suggested: str) -> str | None:
    """Where to save the PDF; None when cancelled (tests replace this function)."""
    title = translate("FormPrint", "Save the printed form")
    chosen = ask_save_file(parent, "export", title, Path(suggested).name, "PDF (*.pdf)")
    return str(chosen) if chosen else None


def open_file(path: Path) -> bool:
    """Open the saved PDF in the system's viewer, where the user prints it (tests replace this function)."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


def print_button(parent: QWidget, session: SiteSession, ref: FormRef, has_unsaved: Callable[[], bool]) -> QPushButton:
    """"Print…" with its two choices; `has_unsaved` tells whether the editor holds entries not saved yet."""
    button = QPushButton(translate("FormPrint", "Print…"))
    button.setObjectName("print_form")
    button.setToolTip(translate("FormPrint", "Save this form as a PDF to print: blank, or with the values saved "
                                             "so far"))
    menu = QMenu(button)
    blank = menu.addAction(translate("FormPrint", "Blank form"))
    blank.setObjectName("print_blank")
    blank.triggered.connect(lambda _c=False: save_print(parent, session, ref, filled=False))
    filled = menu.addAction(translate("FormPrint", "With the saved values"))
    filled.setObjectName("print_filled")
    filled.triggered.connect(lambda _c=False: save_print(parent, session, ref, filled=True,
                                                         unsaved=has_unsaved()))
    button.setMenu(menu)
    return button


def save_print(parent: QWidget, session: SiteSession, ref: FormRef, *, filled: bool,
               unsaved: bool = False) -> Path | None:
    """Ask where, write the PDF, open it; the path saved, or None (cancelled or refused, with a message)."""
    title = translate("FormPrint", "Print form")
    if filled and unsaved and not dialogs.ask_yes_no(parent, title, translate(
            "FormPrint", "This form has entries that are not saved. The print shows only the values saved so far. "
            "Print them anyway? (To print your entries, save the form first.)")):
        return None
    suggested = str(start_folder("export") / form_print.suggested_name(ref, filled=filled))
    chosen = ask_file(parent, suggested)
    if chosen is None:
        return None
    path = Path(chosen) if chosen.lower().endswith(".pdf") else Path(chosen + ".pdf")
    try:
        form_print.write_form_sheet(session, ref, path, filled=filled)
    except EcrfError as exc:
        dialogs.show_error(parent, title, dialogs.error_text(exc))
        return None
    if not open_file(path):
        dialogs.show_info(parent, title, translate("FormPrint", "The form was saved to {0}. Open it with a PDF "
                                                                "viewer to print it.")
                          .format(path))
    return path
