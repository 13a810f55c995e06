"""Auto-lock: after the site's idle time the window is covered and the password asked again.

The pages under the cover stay as they were, so nothing typed is lost; only the same user can unlock
(another user logs out first, which asks before dropping unsaved entries)."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ecrf.services import read_only
from ecrf.services.session import SiteSession
from ecrf.ui import dialogs

_ACTIVITY = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.Wheel, QEvent.Type.TouchBegin}


class IdleWatcher(QObject):
    """Marks the session active on keyboard and mouse input; asks for a lock when it has been idle."""

    idle = Signal()

    def __init__(self, session: SiteSession, parent: QObject | None = None, interval_ms: int = 5000) -> None:
        super().__init__(parent)
        self.session = session
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.check)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)
        self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and not self.session.locked:
            self.session.touch()
        return False

    def check(self) -> None:
        if not self.session.locked and self.session.idle_expired():
            self.idle.emit()

    def stop(self) -> None:
        self.timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)


class LockCover(QFrame):
    """Covers the whole main window; the password field unlocks."""

    unlocked = Signal()
    logoutRequested = Signal()

    def __init__(self, session: SiteSession, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName("lock_cover")
        self.setAutoFillBackground(True)
        self.setStyleSheet("#lock_cover { background: #2b3a4a; } #lock_cover QLabel { color: white; }")
        outer = QVBoxLayout(self)
        outer.addStretch()
        panel = QVBoxLayout()
        self.title = title = QLabel()
        title.setObjectName("lock_title")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        title.setFont(font)
        who = QLabel(self.tr("{0} ({1}) is logged in. Enter the password to continue where you left off.")
                     .format(session.actor.full_name, session.actor.username))
        who.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setObjectName("unlock_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setMinimumWidth(280)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #ffb4a9;")
        unlock = QPushButton(self.tr("Unlock"))
        unlock.setObjectName("unlock")
        logout = QPushButton(self.tr("Log out"))
        logout.setObjectName("logout")
        unlock.clicked.connect(self.try_unlock)
        self.password.returnPressed.connect(self.try_unlock)
        logout.clicked.connect(self.logoutRequested)
        buttons = QHBoxLayout()
        buttons.addWidget(unlock)
        buttons.addWidget(logout)
        for widget in (title, who, self.password, self.error):
            panel.addWidget(widget)
        panel.addLayout(buttons)
        row = QHBoxLayout()
        row.addStretch()
        row.addLayout(panel)
        row.addStretch()
        outer.addLayout(row)
        outer.addStretch()
        self.hide()

    def cover(self, *, by_user: bool = False) -> None:
        """Show the cover; its title says why the window is locked (the user's Lock now, or the idle time)."""
        self.title.setText(self.tr("Locked by {0}").format(self.session.actor.full_name) if by_user
                           else self.tr("Locked after a period without activity"))
        self.setGeometry(self.parentWidget().rect())  # type: ignore[union-attr]  # made with the main window as parent
        self.password.clear()
        self.error.clear()
        self.show()
        self.raise_()
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def try_unlock(self) -> None:
        try:
            read_only.reauthenticate(self.session, self.password.text())  # auth's, or no write on read-only media
        except Exception as exc:  # noqa: BLE001 - wrong password, locked account, missing drive: a message
            self.password.clear()
            self.error.setText(dialogs.error_text(exc))
            return
        self.hide()
        self.unlocked.emit()
