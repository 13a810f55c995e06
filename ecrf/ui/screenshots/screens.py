"""The screens, in order: first windows, the nurse's pages, forms and export, the lock, the administration tabs,
the monitor's pages."""
from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ecrf.errors import Bug
from ecrf.ui.screenshots.render import SIZE, Demo, Shooter, framed, settle, tab_name

if TYPE_CHECKING:
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QWidget

    from ecrf.services.session import SiteSession
    from ecrf.services.subject_data import FormRef
    from ecrf.ui.main_window import MainWindow


def all_screens(shooter: Shooter, demo: Demo) -> None:
    _first_windows(shooter, demo)
    _nurse_screens(shooter, demo)
    _admin_screens(shooter, demo)
    _monitor_screens(shooter, demo)


def _first_windows(s: Shooter, demo: Demo) -> None:
    from ecrf.ui.i18n import text_lang
    from ecrf.ui.login import CreateSiteDialog, LoginWindow, StartWindow

    lang = "en" if s.lang == "pseudo" else s.lang
    start = StartWindow(demo.db_path.parent / "new-site" / "site.db", lang)
    start_image = framed(start)
    s.shot("01-start", lambda: start_image)

    def create_site() -> QImage:
        dialog = CreateSiteDialog(start)
        dialog.site_code.setText("CN01")
        dialog.admin_username.setText("admin")
        return framed(dialog, start_image)

    s.shot("02-create-site", create_site)
    start.deleteLater()

    def login_window() -> QImage:
        login = LoginWindow(demo.db_path, lang, demo=True, username="nurse")
        login.show()  # the app sets the title once the window is up (AppController._title_login)
        settle()
        login.set_study_title(demo.study.info.title.get(text_lang()))
        image = framed(login)
        login.deleteLater()
        return image

    s.shot("03-login", login_window)


def _nurse_screens(s: Shooter, demo: Demo) -> None:
    def screens() -> None:
        with demo.window("nurse") as main:
            s.shot("04-matrix", lambda: framed(main))
            label, visit_form, ae_repeat = subject_with_data(main.session)
            s.section("05-subject", lambda: _subject_tabs(s, main, label))
            s.section("06-charts", lambda: _charts_alone(s, main, label))
            main.show_home()
            _form_screens(s, main, label, visit_form, ae_repeat)
            s.shot("10-export", lambda: _export_over(main))
            s.shot("11-change-password", lambda: _dialog_over(main))
            s.shot("12-lock", lambda: _locked(main))

    s.section("04..12 (nurse screens)", screens)


def subject_with_data(session: SiteSession) -> tuple[str, FormRef, int]:
    """A subject with Day 3 vital signs and an adverse event: (label, VS FormRef at D3, AE repeat)."""
    from ecrf.services.overview import CellState, subject_detail, subject_rows
    from ecrf.services.subject_data import FormRef

    best = None
    for row in subject_rows(session):
        if not row.log_counts.get("AE") or not any(c.code == "D3" for c in row.cells):
            continue
        cell = row.cell("D3")
        vs = next((f for f in cell.forms if f.form == "VS"), None)
        if vs is None or cell.state is CellState.NOT_DUE:
            continue
        best = (row.label, FormRef(row.label, "D3", "VS", vs.timepoint))
        if cell.state is CellState.COMPLETE:
            break
    if best is None:
        raise LookupError("the demo has no subject with Day 3 vital signs and an adverse event")
    entries = subject_detail(session, best[0]).logs.get("AE", [])
    repeat = next((e.repeat for e in entries if not e.deleted), 1)
    return best[0], best[1], repeat


def _subject_tabs(s: Shooter, main: MainWindow, label: str) -> None:
    from PySide6.QtWidgets import QTabWidget

    depth = len(main._history)
    main.show_subject(label)
    settle()
    if len(main._history) == depth:
        raise Bug(f"the subject {label} did not open (see the note above)")
    tabs = main.page.findChild(QTabWidget) if main.page is not None else None
    if tabs is None:
        s.shot("05-subject", lambda: framed(main))
    else:
        for i in range(tabs.count()):
            name = tab_name(tabs.widget(i), i)
            tabs.setCurrentIndex(i)
            settle()
            s.shot(f"05-subject-{i + 1}-{name}", lambda: framed(main))


def _charts_alone(s: Shooter, main: MainWindow, label: str) -> None:
    """The charts widget on its own, when the subject page does not show it in a tab."""
    try:
        from ecrf.ui.charts.widget import ChartsWidget
    except ModuleNotFoundError:
        s.skip("06-charts", "ecrf.ui.charts.widget is not written yet")
        return
    if main.page is not None and main.page.findChild(ChartsWidget) is not None:
        return

    def charts() -> QImage:
        widget = ChartsWidget(main.session, label)
        widget.resize(*SIZE)
        image = framed(widget)
        widget.deleteLater()
        return image

    s.shot("06-charts", charts)


def _form_screens(s: Shooter, main: MainWindow, label: str, visit_form: FormRef, ae_repeat: int) -> None:
    from ecrf.services.subject_data import FormRef

    def form(ref: FormRef, change: Callable[[QWidget | None], None] | None = None) -> Callable[[], QImage]:
        def make() -> QImage:
            depth = len(main._history)
            main.open_form(ref)
            settle()
            if len(main._history) == depth:
                raise Bug(f"the form {ref} did not open (see the note above)")
            if change is not None:
                change(main.page)
                settle()
            image = framed(main)
            main.back()  # unsaved changes: the patched dialogs answer 'discard'
            settle()
            return image
        return make

    s.shot("07-form-vs", form(visit_form))
    s.shot("08-form-vs-hard-finding", form(visit_form, lambda page: type_into(page, "TEMP", "55")))
    s.shot("09-form-ae", form(FormRef(label, "", "AE", "", ae_repeat)))


def type_into(page: QWidget | None, item: str, text: str) -> None:
    """Type `text` into the entry field of `item` as a user would, then leave the field."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit, QWidget

    if page is None:
        raise LookupError("no page is shown to type into")
    found = page.findChild(QWidget, item)
    edit = found if isinstance(found, QLineEdit) else (found.findChild(QLineEdit) if found is not None else None)
    if edit is None:
        edits = [e for e in page.findChildren(QLineEdit) if item.lower() in e.objectName().lower()]
        edit = edits[0] if edits else None
    if edit is None:
        raise LookupError(f"no entry field named {item!r} on the form page")
    window = edit.window()
    window.activateWindow()  # focus events (the editor shows findings when a field is left) need it
    settle()
    edit.setFocus(Qt.FocusReason.MouseFocusReason)
    edit.selectAll()
    QTest.keyClicks(edit, text)
    QTest.keyClick(edit, Qt.Key.Key_Tab)
    settle()
    if edit.hasFocus():  # Tab stayed inside the field: move on the way the editor's Enter does
        QTest.keyClick(edit, Qt.Key.Key_Return)
    settle()


def _dialog_over(main: MainWindow) -> QImage:
    from ecrf.ui.password import ChangePasswordDialog

    backdrop = framed(main)
    dialog = ChangePasswordDialog(main.session, main)
    image = framed(dialog, backdrop)
    dialog.hide()
    dialog.deleteLater()
    return image


def _export_over(main: MainWindow) -> QImage:
    from ecrf.ui.export_dialog import ExportDialog
    from ecrf.ui.settings import AppSettings

    backdrop = framed(main)
    # A settings file of its own: the shot never shows (or changes) a folder remembered on this PC.
    with tempfile.TemporaryDirectory(prefix="ecrf-shot-") as tmp:
        dialog = ExportDialog(main.session, main, settings=AppSettings(Path(tmp) / "ui.ini"))
        dialog.folder.setText("E:\\ecrf-export")  # a USB drive on the ward's Windows PC
        image = framed(dialog, backdrop)
        dialog.hide()
        dialog.deleteLater()
    return image


def _locked(main: MainWindow) -> QImage:
    main.lock()
    settle()
    return framed(main)


def _admin_screens(s: Shooter, demo: Demo) -> None:
    from PySide6.QtWidgets import QTabWidget

    def screens() -> None:
        with demo.window("admin") as main:
            main.show_admin()
            settle()
            tabs = main.page.findChild(QTabWidget) if main.page is not None else None
            if tabs is None:
                s.shot("13-admin", lambda: framed(main))
                return
            for i in range(tabs.count()):
                name = tab_name(tabs.widget(i), i)
                tabs.setCurrentIndex(i)
                settle()
                s.shot(f"13-admin-{i + 1}-{name}", lambda: framed(main))

    s.section("13-admin", screens)



def _monitor_screens(s: Shooter, demo: Demo) -> None:
    """What a monitor works with on site: the SDV progress, the query inbox, a form with its verify ticks and the
    audit trail page."""

    def screens() -> None:
        with demo.window("monitor") as main:
            label, visit_form, _ = subject_with_data(main.session)
            main.show_sdv_matrix()
            s.shot("14-monitor-sdv", lambda: framed(main))
            main.show_queries()
            s.shot("15-monitor-queries", lambda: framed(main))
            main.show_home()
            main.open_form(visit_form)
            s.shot("16-monitor-form", lambda: framed(main))
            main.show_audit_trail()
            s.shot("17-monitor-audit-trail", lambda: framed(main))

    s.section("14..17 (monitor screens)", screens)
