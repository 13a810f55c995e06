"""The main window: a stack of pages (home, subject, form, queries, audit trail, admin), menus by role, and the lock
cover.

Pages never reach for the window; they emit signals (subjectActivated, formRequested, closed) that
the window connects to its navigation methods."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QMainWindow, QStackedWidget, QToolBar, QVBoxLayout, QWidget

from ecrf.services import read_only
from ecrf.services.permissions import Do, may
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef
from ecrf.ui import dialogs
from ecrf.ui.i18n import current_language, text_lang
from ecrf.ui.lock import IdleWatcher, LockCover
from ecrf.ui.menu_keys import MenuKeysFirst
from ecrf.ui.page import Page
from ecrf.ui.password import ChangePasswordDialog
from ecrf.ui.screen_fit import fit_to_screen, refit_after_show
from ecrf.ui.settings import LANGUAGES
from ecrf.ui.trail_banner import TrailBanner

if TYPE_CHECKING:
    from ecrf.ui.export_dialog import ExportDialog
    from ecrf.ui.guide import GuideDialog
    from ecrf.ui.visit_report_dialog import VisitReportDialog

# Marked for lupdate here, translated where shown (QCoreApplication.translate("MainWindow", ...)).
ROLE_LABELS = {"site_admin": QT_TRANSLATE_NOOP("MainWindow", "Site administrator"),
               "investigator": QT_TRANSLATE_NOOP("MainWindow", "Investigator"),
               "nurse": QT_TRANSLATE_NOOP("MainWindow", "Study nurse"),
               "monitor": QT_TRANSLATE_NOOP("MainWindow", "Monitor"),
               "read_only": QT_TRANSLATE_NOOP("MainWindow", "Read-only")}
PREFERRED_SIZE = QSize(1280, 800)
P = TypeVar("P", bound=Page)  # the page being pushed, as its `prepare` gets it


def has_admin_page(role: str) -> bool:
    """Whether the window offers the administration page: as the home page (no trial data) or from the toolbar."""
    return not may(role, Do.READ_DATA) or may(role, Do.MANAGE_USERS)


class MainWindow(QMainWindow):
    logoutRequested = Signal()
    languageRequested = Signal(str)
    restoreRequested = Signal(str)  # a backup file; the controller logs out first, then restores
    closing = Signal()  # closed for good (Quit, the window's close button): the controller logs out

    def __init__(self, session: SiteSession, *, idle_check_ms: int = 5000) -> None:
        super().__init__()
        self.session = session
        self.setWindowTitle(f"ecrf – {session.study.info.short_title.get(text_lang())} – {session.site_code}")
        fit_to_screen(self, PREFERRED_SIZE)  # a ward PC's 1366×768 is smaller than the preferred size
        self._fitted = False
        self.stack = QStackedWidget()
        self.trail_banner = TrailBanner(session)
        self.trail_banner.checked.connect(self._trail_checked)
        self.setCentralWidget(self._central())
        self._history: list[Page] = []
        self.export_dialog: ExportDialog | None = None
        self.visit_report_dialog: VisitReportDialog | None = None
        self.guide_dialog: GuideDialog | None = None
        self._build_menus()
        self.menu_keys = MenuKeysFirst(self)  # Ctrl+E and the like also while a text field has the focus
        self._build_status()
        self.cover = LockCover(session, self)
        self.cover.unlocked.connect(self._unlocked)
        self.cover.logoutRequested.connect(self.request_logout)
        self.watcher = IdleWatcher(session, self, idle_check_ms)
        self.watcher.idle.connect(lambda: self.lock(by_user=False))
        self.show_home()

    def _central(self) -> QWidget:
        """The audit trail banner across the top (hidden while the trail is sound), the pages below it."""
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.trail_banner)
        layout.addWidget(self.stack, 1)
        return central

    def check_trail(self) -> None:
        """The check at open (DESIGN.md, Audit trail): on a worker once the window shows, for every user."""
        self.trail_banner.start_check()

    def _trail_checked(self, found: object) -> None:
        for page in self._history:  # pages that show a trail report of their own follow the banner
            if hasattr(page, "show_trail_check"):
                page.show_trail_check(found)

    # -- navigation -------------------------------------------------------------------------

    @property
    def page(self) -> Page | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Page) else None

    def history(self) -> tuple[Page, ...]:
        """The open pages, home first, the one shown last."""
        return tuple(self._history)

    def show_home(self) -> None:
        if not self._leave_all():
            return
        self._replace_history(self._home_page())

    def show_subject(self, label: str) -> None:
        from ecrf.ui.subject.page import SubjectPage

        self._push(SubjectPage(self.session), lambda page: page.show_subject(label))

    def open_form(self, ref: FormRef) -> None:
        from ecrf.ui.form_editor.page import FormEditorPage

        self._push(FormEditorPage(self.session, ref))

    def show_sdv_matrix(self) -> None:
        from ecrf.ui.sdv_matrix import SdvMatrixPage

        self._push(SdvMatrixPage(self.session))

    def open_form_at(self, ref: FormRef, item: str) -> None:
        """The form, with the cursor in `item` (from the query inbox)."""
        from ecrf.ui.form_editor.page import FormEditorPage

        page = FormEditorPage(self.session, ref)
        page.start_at = item or None
        self._push(page)

    def show_visit_query(self, subject: str, visit: str, query_id: int) -> None:
        """The subject at the visit with the query's thread open (from the query inbox: a query on a visit)."""
        from ecrf.ui.subject.page import SubjectPage

        page = SubjectPage(self.session)
        self._push(page, lambda p: p.show_subject(subject))
        if self.page is not page:
            return
        try:
            page.open_visit_query(visit, query_id)
        except Exception as exc:  # noqa: BLE001 - the subject shows; the page says why the thread does not
            dialogs.show_error(self, self.tr("Cannot open"), dialogs.error_text(exc))

    def show_queries(self) -> None:
        from ecrf.ui.queries.inbox import QueryInboxPage

        if not self._leave_all():
            return
        self._replace_history(QueryInboxPage(self.session))

    def show_audit_trail(self) -> None:
        """The audit trail page, for the roles that read the trail and have no administration page."""
        from ecrf.ui.audit_page import AuditTrailPage

        if not self._leave_all():
            return
        self._replace_history(AuditTrailPage(self.session))

    def show_admin(self) -> None:
        from ecrf.ui.admin.page import AdminPage

        if not self._leave_all():
            return
        self._replace_history(AdminPage(self.session))

    def back(self) -> None:
        """Leave the current page (it was asked already, or asks now) and show the one before."""
        if len(self._history) < 2:
            return
        current = self._history[-1]
        if not current.maybe_leave():
            return
        self._history.pop()
        self._drop(current)
        previous = self._history[-1]
        previous.refresh()
        self.stack.setCurrentWidget(previous)
        self._update_back()

    def _home_page(self) -> Page:
        if may(self.session.actor.role, Do.READ_DATA):
            from ecrf.ui.matrix.page import MatrixPage

            return MatrixPage(self.session)
        from ecrf.ui.admin.page import AdminPage

        return AdminPage(self.session)

    def _push(self, page: P, prepare: Callable[[P], object] | None = None) -> None:
        self._wire(page)
        try:
            if prepare is not None:
                prepare(page)
        except Exception as exc:  # noqa: BLE001 - a page that cannot load says why and is not shown
            dialogs.show_error(self, self.tr("Cannot open"), dialogs.error_text(exc))
            page.deleteLater()
            return
        self._history.append(page)
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)
        self._update_back()

    def _replace_history(self, page: Page) -> None:
        for old in self._history:
            self._drop(old)
        self._history = []
        self._push(page)

    def _leave_all(self) -> bool:
        """Ask every open page, newest first, whether it may close (unsaved entries)."""
        for page in reversed(self._history):
            self.stack.setCurrentWidget(page)
            if not page.maybe_leave():
                return False
        return True

    def _wire(self, page: Page) -> None:
        for signal, slot in (("subjectActivated", self.show_subject), ("formRequested", self.open_form),
                             ("closed", self.back), ("homeRequested", self.show_home),
                             ("restoreRequested", self.restoreRequested.emit),
                             ("titleChanged", self._update_back), ("saved", lambda _r: self._update_back()),
                             ("trailChecked", self.trail_banner.show_result), ("itemRequested", self.open_form_at),
                             ("visitQueryRequested", self.show_visit_query)):
            if hasattr(page, signal):
                getattr(page, signal).connect(slot)

    def _drop(self, page: Page) -> None:
        self.stack.removeWidget(page)
        page.deleteLater()

    def _update_back(self) -> None:
        self.back_action.setEnabled(len(self._history) > 1)
        titles = [p.title() for p in self._history if p.title()]
        # On the home page the toolbar's own button names it already.
        self.where.setText("  ›  ".join(titles) if len(self._history) > 1 else "")

    # -- menus and status -------------------------------------------------------------------

    def _build_menus(self) -> None:
        role = self.session.actor.role
        bar = QToolBar(self.tr("Navigation"))
        bar.setObjectName("navigation")
        bar.setMovable(False)
        self.addToolBar(bar)
        self.back_action = self._action(bar, self.tr("Back"), self.back, QKeySequence.StandardKey.Back, "back")
        self.home_action = self._action(bar, self.tr("Subjects") if may(role, Do.READ_DATA) else
                                        self.tr("Administration"), self.show_home, "Ctrl+Home", "home")
        if may(role, Do.VERIFY_SOURCE):
            self._action(bar, self.tr("SDV progress"), self.show_sdv_matrix, None, "sdv_matrix")

        if may(role, Do.RAISE_QUERY) or may(role, Do.ANSWER_QUERY):
            self._action(bar, self.tr("Queries"), self.show_queries, None, "queries")
        if may(role, Do.MANAGE_USERS) and may(role, Do.READ_DATA):  # else the home page is administration
            self._action(bar, self.tr("Administration"), self.show_admin, None, "admin")
        if may(role, Do.READ_AUDIT) and not has_admin_page(role):  # the administration has it as a tab
            self._action(bar, self.tr("Audit trail"), self.show_audit_trail, "Ctrl+T", "audit_trail")
        self.where = QLabel()
        self.where.setObjectName("where")
        bar.addSeparator()
        bar.addWidget(self.where)
        session_menu = self.menuBar().addMenu(self.tr("&Session"))
        self._action(session_menu, self.tr("Lock now"), self.lock_now, "Ctrl+L", "lock")
        self._action(session_menu, self.tr("Change my password…"), self.change_password, None, "password")
        self._action(session_menu, self.tr("Log out"), self.request_logout, None, "logout")
        # Ctrl+Q everywhere: the platform's standard Quit key is none on Windows (and offscreen).
        self._action(session_menu, self.tr("Quit"), self.close, "Ctrl+Q", "quit")
        self._build_language_menu()
        if may(role, Do.EXPORT) or may(role, Do.MANAGE_SITE):
            data_menu = self.menuBar().addMenu(self.tr("&Data"))
            if may(role, Do.EXPORT):
                self._action(data_menu, self.tr("Export bundle…"), self.export_bundle, "Ctrl+E", "export")
            if may(role, Do.SIGN):
                self._action(data_menu, self.tr("Ready for signature…"), self.show_ready_for_signature, None,
                             "ready_for_signature")
            if may(role, Do.MANAGE_SITE):  # the site administrator brings the sponsor's files in
                self._action(data_menu, self.tr("Import sponsor queries…"), self.import_sponsor_queries, None,
                             "import_sponsor_queries")
        if may(role, Do.VERIFY_SOURCE):
            monitoring_menu = self.menuBar().addMenu(self.tr("&Monitoring"))
            self._action(monitoring_menu, self.tr("Monitoring visit report…"), self.visit_report, None,
                         "visit_report")
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self._action(help_menu, self.tr("User guide"), self.show_guide, "F1", "guide")
        self._action(help_menu, self.tr("About ecrf…"), self.show_about, None, "about")

    def show_guide(self) -> None:
        """Help › User guide (F1): non-modal, in the UI language; one window, raised when asked again."""
        from ecrf.ui.guide import GuideDialog

        if self.guide_dialog is None:
            self.guide_dialog = GuideDialog(self)
            self.guide_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.guide_dialog.destroyed.connect(lambda _o=None: setattr(self, "guide_dialog", None))
        self.guide_dialog.show()
        self.guide_dialog.raise_()

    def _build_language_menu(self) -> None:
        """One checkable entry per language, the current one ticked (an exclusive group)."""
        menu = self.menuBar().addMenu(self.tr("&Language"))
        group = QActionGroup(self)
        group.setExclusive(True)
        for code, name in LANGUAGES.items():
            action = self._action(menu, name, lambda c=code: self.languageRequested.emit(c), None, f"lang_{code}")
            action.setCheckable(True)
            action.setChecked(code == current_language())
            group.addAction(action)

    def show_about(self) -> None:
        from ecrf.ui.about import AboutDialog

        AboutDialog(self.session, self).exec()

    def _action(self, owner: QWidget, text: str, slot: Callable[..., object],
                shortcut: QKeySequence.StandardKey | str | None, name: str) -> QAction:
        action = QAction(text, self)
        action.setObjectName(f"action_{name}")
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        owner.addAction(action)
        return action

    def _build_status(self) -> None:
        actor = self.session.actor
        role = QCoreApplication.translate("MainWindow", ROLE_LABELS.get(actor.role, actor.role))  # type: ignore[arg-type]  # QT_TRANSLATE_NOOP's text; the stubs say object
        # The role once: the username goes to the tooltip (it often is the role's name, "nurse").
        who = QLabel(self.tr("{0} · {1} · Site {2}").format(actor.full_name, role, self.session.site_code))
        who.setObjectName("who")
        who.setToolTip(self.tr("Logged in as {0}").format(actor.username))
        self.statusBar().addPermanentWidget(who)

    # -- session ----------------------------------------------------------------------------

    def lock_now(self) -> None:
        """Session › Lock now (Ctrl+L): the user's own lock, said and audited as such."""
        self.lock(by_user=True)

    def lock(self, by_user: bool = False) -> None:
        """Cover the window; `by_user` False is the idle lock."""
        if self.cover.isVisible():
            return
        try:
            read_only.lock(self.session, by_user=by_user)  # auth.lock, or no audit write on read-only media
        except Exception as exc:  # noqa: BLE001 - the cover goes up even if the audit write failed
            dialogs.error_text(exc)
            self.session.locked = True
        if self.export_dialog is not None and not self.export_dialog.is_running():
            self.export_dialog.reject()  # else its window modality would keep the password field from input
        if self.visit_report_dialog is not None:
            self.visit_report_dialog.reject()  # likewise, and it shows data
        self.cover.cover(by_user=by_user)

    def _unlocked(self) -> None:
        self.trail_banner.resume()
        if self.page is not None:
            self.page.setFocus()

    def change_password(self) -> None:
        """Session › Change my password (the forced change after a temporary password comes before this window:
        `AppController.logged_in`)."""
        ChangePasswordDialog(self.session, self).exec()

    def export_bundle(self) -> None:
        from ecrf.ui.export_dialog import ExportDialog

        dialog = ExportDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: setattr(self, "export_dialog", None))
        self.export_dialog = dialog
        dialog.open()  # window-modal without a nested event loop: the idle lock and the progress keep running

    def import_sponsor_queries(self) -> None:
        from ecrf.ui.sponsor_import import import_sponsor_queries

        if import_sponsor_queries(self, self.session) is not None and self.page is not None:
            self.page.refresh()

    def show_ready_for_signature(self) -> None:
        from ecrf.ui.esign.ready import ReadyDialog

        dialog = ReadyDialog(self.session, self)
        dialog.subjectRequested.connect(self.show_subject)
        dialog.exec()
        if self.page is not None:
            self.page.refresh()

    def visit_report(self) -> None:
        from ecrf.ui.visit_report_dialog import VisitReportDialog

        dialog = VisitReportDialog(self.session, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: setattr(self, "visit_report_dialog", None))
        self.visit_report_dialog = dialog
        dialog.open()

    def request_logout(self) -> None:
        if self.cover.isVisible() and any(getattr(p, "has_unsaved", lambda: False)() for p in self._history):
            if not dialogs.ask_yes_no(self, self.tr("Log out"), self.tr(
                    "A form has entries that are not saved yet. Logging out without the password drops "
                    "them. Log out anyway?")):
                return
        elif not self.cover.isVisible() and not self._leave_all():
            return
        self.logoutRequested.emit()

    def may_close(self) -> bool:
        return self.cover.isVisible() or self._leave_all()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.cover.isVisible():
            event.ignore()  # a locked window is not closed behind the user's back; log out instead
            return
        if not self._leave_all():
            event.ignore()
            return
        self.watcher.stop()
        self.menu_keys.stop()
        event.accept()
        self.closing.emit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted:  # the window manager's real frame is known now
            self._fitted = True
            refit_after_show(self, PREFERRED_SIZE)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.cover.isVisible():
            self.cover.setGeometry(self.rect())
