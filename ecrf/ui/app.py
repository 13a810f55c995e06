"""Start the desktop app: which window comes first, login, logout and language switches.

`ecrf gui` calls `main()`. Qt and the study definition load first; the database opens at login."""
from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

from ecrf.ui import dialogs
from ecrf.ui.fonts import install_fonts
from ecrf.ui.i18n import install_language, text_lang
from ecrf.ui.login import CreateSiteDialog, LoginWindow, RecoveryCodeDialog, StartWindow
from ecrf.ui.long_lived import freeze_session_objects, release_session_objects
from ecrf.ui.settings import AppSettings

if TYPE_CHECKING:  # the database layer loads at login, not before the login window shows
    from ecrf.services.backup import RestoreInfo
    from ecrf.services.session import SiteSession
    from ecrf.services.site_setup import NewSite
    from ecrf.study.model import Study
    from ecrf.ui.background import Operation
    from ecrf.ui.main_window import MainWindow
    from ecrf.ui.screen_memory import ScreenMemory

log = logging.getLogger("ecrf.ui")


class AppController(QObject):
    """Owns the top-level window of the moment: start, login or main."""

    def __init__(self, db_path: Path, forms_dir: Path, settings: AppSettings, *, demo_path: Path | None = None,
                 idle_check_ms: int = 5000) -> None:
        super().__init__()
        self.db_path, self.forms_dir, self.settings = db_path, forms_dir, settings
        self.demo_path = demo_path
        self.idle_check_ms = idle_check_ms
        self.window: QWidget | None = None
        self.session: SiteSession | None = None
        self._study: Study | None = None
        self._operation: Operation | None = None
        self._loading: Operation | None = None

    # -- study definition, loaded once ------------------------------------------------------

    @property
    def study(self) -> Study:
        if self._study is None:
            from ecrf.study.loader import load_study

            self._study = load_study(self.forms_dir)
        return self._study

    def begin(self, *, demo: bool = False) -> None:
        """The first window: `--demo` opens the demo's login (the first time, only the progress while the
        demo is made); else the login, or the Welcome window where there is no site database yet."""
        if demo:
            self.open_demo()
        else:
            self.start()

    def start(self) -> None:
        if self.db_path.exists():
            self.show_login()
        else:
            self.show_start()

    def _show(self, window: QWidget) -> None:
        old, self.window = self.window, window
        window.show()
        if old is not None:
            old.hide()
            old.deleteLater()

    # -- first run --------------------------------------------------------------------------

    def show_start(self) -> None:
        start = StartWindow(self.db_path, self.settings.language)
        start.createSite.connect(self.create_site)
        start.openDemo.connect(self.open_demo)
        start.languageChosen.connect(lambda lang: self.switch_language(lang, self.show_start))
        self._show(start)

    def create_site(self, dialog: CreateSiteDialog | None = None) -> None:
        """Ask for the site's details and create it; if creating fails, the same dialog comes back with
        everything typed and the reason in it (a broken study definition: a message box, as typing cannot help)."""
        dialog = dialog or CreateSiteDialog(self.window)
        if dialog.exec() != CreateSiteDialog.DialogCode.Accepted:
            return
        from ecrf.services.site_setup import create_site

        args = dialog.values()

        def work(_progress: object) -> NewSite:
            return create_site(self.db_path, self.study, *args)

        def created(new: NewSite) -> None:
            RecoveryCodeDialog(new.recovery_code, self.window).exec()
            self.logged_in(new.session)

        def failed(exc: BaseException) -> None:
            if self._study is None:  # the study definition did not load: nothing typed can fix that
                dialogs.show_error(self.window, self.tr("Creating the site database…"), dialogs.error_text(exc))
                return
            dialog.error.setText(dialogs.error_text(exc))
            self.create_site(dialog)

        self._operation = dialogs.run_with_progress(self.window, self.tr("Creating the site database…"), work,
                                                    created, on_failure=failed)

    def open_demo(self) -> None:
        """The demo's login; made first if there is none. With `--demo` nothing else is on screen meanwhile
        (no Welcome window with live buttons behind the progress); if making it fails, the Welcome window
        comes up under the message so that the user can go on."""
        from ecrf.paths import default_demo_db

        demo = self.demo_path or default_demo_db()
        if demo.exists():
            self.db_path = demo
            self.show_login()
            return
        from ecrf.demo import create_demo

        def work(_progress: object) -> Path:
            site = create_demo(demo, self.study)
            site_path = site.db_path
            return site_path

        def made(path: Path) -> None:
            self.db_path = path
            self.show_login()

        def failed(exc: BaseException) -> None:
            if self.window is None:
                self.show_start()
            dialogs.show_error(self.window, title, dialogs.error_text(exc))

        title = self.tr("Making the demo study (less than half a minute)…")
        self._operation = dialogs.run_with_progress(self.window, title, work, made, on_failure=failed)

    # -- login and logout -------------------------------------------------------------------

    def is_demo(self) -> bool:
        from ecrf.paths import default_demo_db

        return self.db_path == (self.demo_path or default_demo_db())

    def show_login(self, username: str | None = None) -> None:
        """The login window; `username` is what was typed before a language switch (else the last user's)."""
        login = LoginWindow(self.db_path, self.settings.language, demo=self.is_demo(),
                            username=self.settings.last_username if username is None else username)
        login.loginRequested.connect(self.log_in)
        # The typed username stays through a language switch; the password is typed again.
        login.languageChosen.connect(
            lambda lang: self.switch_language(lang, lambda: self.show_login(login.username.text())))
        self._show(login)
        if self._study is not None:
            self._title_login(login)
            return
        # The definition loads on a worker so that the window shows at once; a login before it is
        # loaded simply loads it then (the `study` property).
        from ecrf.ui.background import Operation

        def loaded(study: Study) -> None:
            self._study = self._study or study
            self._title_login(login)

        def failed(exc: BaseException) -> None:
            if self.window is login:
                login.failed(self.tr("The study definition could not be loaded: {0}").format(dialogs.error_text(exc)))

        self._loading = Operation(lambda _p: _load(self.forms_dir)).on_success(loaded).on_failure(failed).start()

    def _title_login(self, login: LoginWindow) -> None:
        if self.window is not login:
            return  # replaced meanwhile (language switch)
        try:
            login.set_study_title(self.study.info.title.get(text_lang()))
        except Exception as exc:  # noqa: BLE001 - a broken forms folder is reported at login too
            login.failed(self.tr("The study definition could not be loaded: {0}").format(dialogs.error_text(exc)))

    def log_in(self, username: str, password: str) -> None:
        from ecrf.services.read_only import login  # auth.login, or a session that only reads on read-only media

        window = self.window
        assert isinstance(window, LoginWindow)
        try:
            session = login(self.db_path, self.study, username, password)
        except Exception as exc:  # noqa: BLE001 - wrong password, locked, damaged: the message of #3
            window.failed(_login_error(exc))
            return
        self.settings.last_username = username
        self.logged_in(session)

    def logged_in(self, session: SiteSession) -> None:
        from ecrf.ui.queries.inbox import raise_overdue_quietly

        self.session = session
        if session.actor.must_change_password and not self._choose_own_password(session):
            return
        raise_overdue_quietly(session)  # overdue required data become queries at each login (monitor, site staff)
        main = self._main_window(session)
        self._show(main)
        from ecrf.services.read_only import read_only_notice

        if (notice := read_only_notice(session)) is not None:
            dialogs.show_info(main, "ecrf", notice.text(text_lang()))  # the catalogue's words, both languages
        main.check_trail()
        freeze_session_objects()  # no full collection pauses while forms open (see ecrf.ui.long_lived)

    def _main_window(self, session: SiteSession) -> MainWindow:
        from ecrf.ui.main_window import MainWindow

        main = MainWindow(session, idle_check_ms=self.idle_check_ms)
        main.logoutRequested.connect(self.log_out)
        main.languageRequested.connect(self.switch_language_in_session)
        main.restoreRequested.connect(self.restore)
        main.closing.connect(self.end_session)  # quitting is a log-out too (audited)
        return main

    def _choose_own_password(self, session: SiteSession) -> bool:
        """A temporary password reads no data: the user chooses their own over the login window, before any
        page tries to load (and fails). Cancelled: logged out again, the login window stays."""
        from PySide6.QtWidgets import QDialog

        from ecrf.ui.password import ChangePasswordDialog

        if ChangePasswordDialog(session, self.window, forced=True).exec() == QDialog.DialogCode.Accepted:
            return True
        self.log_out()
        return False

    def log_out(self) -> None:
        self.end_session()
        self.show_login()

    def end_session(self) -> None:
        """Audit the log-out and close the database (Log out, or the main window closed to quit)."""
        from ecrf.ui.main_window import MainWindow

        if isinstance(self.window, MainWindow):
            self.window.watcher.stop()
        release_session_objects()
        if self.session is not None:
            try:
                from ecrf.services.auth import log_out

                log_out(self.session)
            except Exception as exc:  # noqa: BLE001 - logging out always closes the database
                log.warning("log out: %s", exc)
            self.session = None

    def restore(self, backup_file: str) -> None:
        """Restore replaces the database file: ask an administrator's password of the backup, log out,
        restore on a worker, then show the login window again."""
        from ecrf.ui.admin import restore as restoring

        credentials = restoring.ask_restore_login(self.window, Path(backup_file), self.settings.last_username)
        if credentials is None:
            return
        self.log_out()

        def done(info: RestoreInfo) -> None:
            dialogs.show_info(self.window, self.tr("Restore a backup"), restoring.restored_text(info))
            self.show_login()

        self._operation = restoring.restore_in_background(self.window, Path(backup_file), self.db_path,
                                                          *credentials, on_done=done)

    # -- language ---------------------------------------------------------------------------

    def switch_language(self, language: str, reopen: Callable[[], object]) -> None:
        if language == self.settings.language:
            return
        self.settings.language = language
        install_language(language)
        QTimer.singleShot(0, reopen)  # not from inside the old window's own signal

    def switch_language_in_session(self, language: str) -> None:
        """Rebuild the main window in the new language with the same screen: the same pages, a form's unsaved
        entries, the chosen tabs, the window's place and size (`screen_memory`). Nothing is asked or saved."""
        from ecrf.ui.main_window import MainWindow
        from ecrf.ui.screen_memory import remember

        window = self.window
        if language == self.settings.language or not isinstance(window, MainWindow) or window.cover.isVisible():
            return
        session = self.session
        assert session is not None
        memory = remember(window)
        self.settings.language = language
        install_language(language)
        window.watcher.stop()
        QTimer.singleShot(0, lambda: self._rebuild_main_window(session, memory))

    def _rebuild_main_window(self, session: SiteSession, memory: ScreenMemory) -> None:
        from ecrf.ui.screen_memory import restore

        main = self._main_window(session)
        restore(main, memory)
        self._show(main)
        main.check_trail()  # the new window's banner says again what the check finds


def _load(forms_dir: Path) -> Study:
    from ecrf.study.loader import load_study

    return load_study(forms_dir)


def _login_error(exc: BaseException) -> str:
    return dialogs.error_text(exc)


def create_app(argv: list[str]) -> QApplication:
    app = QApplication.instance() or QApplication(argv)
    assert isinstance(app, QApplication)
    QGuiApplication.setApplicationDisplayName("ecrf")
    app.setApplicationName("ecrf")
    install_fonts(app)
    return app


ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def last_resort_hook(fallback: ExceptHook) -> ExceptHook:
    """An excepthook for exceptions that escape a Qt slot (Qt would only print them and carry on): the
    user sees what `dialogs.error_text` says (a bug: with the crash log's path), nothing is lost."""
    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            fallback(exc_type, exc, tb)
            return
        try:
            text = dialogs.error_text(exc.with_traceback(tb))
            dialogs.show_error(QApplication.activeWindow(), QCoreApplication.translate("app", "Error"), text)
        except Exception:  # noqa: BLE001 - the hook of last resort must not fail in its turn
            fallback(exc_type, exc, tb)

    return hook


def install_last_resort_hook() -> None:
    sys.excepthook = last_resort_hook(sys.excepthook)


def main(db_path: Path, forms_dir: Path, *, demo: bool = False) -> int:
    """Run the app until its last window closes; returns the exit code."""
    from ecrf.paths import default_demo_db

    app = create_app(sys.argv[:1])
    install_last_resort_hook()
    settings = AppSettings()
    install_language(settings.language)
    controller = AppController(default_demo_db() if demo else db_path, forms_dir, settings)
    controller.begin(demo=demo)
    code = app.exec()
    if controller.session is not None:
        controller.session.close()
    return code
