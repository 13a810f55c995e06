"""Administration: users, backup & restore, site, data locks, audit trail — each tab shown to the roles that may use
it."""
from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from ecrf.services.integrity import Integrity
from ecrf.services.permissions import Do, may
from ecrf.services.session import SiteSession
from ecrf.ui.admin.audit_tab import AuditTab
from ecrf.ui.admin.backup_tab import BackupTab
from ecrf.ui.admin.locks_tab import LocksTab
from ecrf.ui.admin.notices import AdminNotices
from ecrf.ui.admin.site_tab import SiteTab
from ecrf.ui.admin.users import UsersTab
from ecrf.ui.page import Page


class AdminPage(Page):
    """`restoreRequested(path)`: the user chose a backup to restore and agreed; the app must log out
    (the database cannot be swapped while open) and then call `ecrf.ui.admin.restore`."""

    restoreRequested = Signal(str)
    trailChecked = Signal(object)  # the audit tab checked the trail (an Integrity): the window's banner follows

    def __init__(self, session: SiteSession, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        role = session.actor.role
        self.tabs = QTabWidget()
        self.tabs.setObjectName("admin_tabs")
        self.users: UsersTab | None = None
        self.backup: BackupTab | None = None
        self.audit: AuditTab | None = None
        self.locks: LocksTab | None = None
        if may(role, Do.MANAGE_USERS):
            self.users = UsersTab(session)
            self.tabs.addTab(self.users, self.tr("Users"))
        if may(role, Do.BACKUP):
            self.backup = BackupTab(session)
            self.backup.restoreRequested.connect(self.restoreRequested)
            self.tabs.addTab(self.backup, self.tr("Backup && restore"))
        self.site = SiteTab(session)
        self.tabs.addTab(self.site, self.tr("Site"))
        if may(role, Do.LOCK):  # the site administrator locks without the subject page (no clinical data)
            self.locks = LocksTab(session)
            self.tabs.addTab(self.locks, self.tr("Data locks"))
        if may(role, Do.READ_AUDIT) or may(role, Do.VERIFY_AUDIT):
            self.audit = AuditTab(session)
            self.audit.trailChecked.connect(self.trailChecked)
            self.tabs.addTab(self.audit, self.tr("Audit trail"))
        self.notices = AdminNotices(session)
        self.notices.importAllocation.connect(self._import_allocation)
        self.notices.makeBackup.connect(self._make_backup)
        self.site.allocation.imported.connect(self.notices.refresh)
        if self.backup is not None:
            self.backup.backupMade.connect(self.notices.refresh)
        self.tabs.currentChanged.connect(lambda _i: self._refresh_current())
        # After a temporary password the tabs stay empty until the forced change: reload then.
        self._stale = session.actor.must_change_password
        layout = QVBoxLayout(self)
        layout.addWidget(self.notices)
        layout.addWidget(self.tabs)
        self.notices.refresh()

    def title(self) -> str:
        return self.tr("Administration")

    def tab_names(self) -> list[str]:
        return [self.tabs.tabText(i).replace("&&", "&") for i in range(self.tabs.count())]

    def show_tab(self, widget: QWidget) -> None:
        self.tabs.setCurrentWidget(widget)

    def refresh(self) -> None:
        for tab in (self.users, self.backup, self.site, self.locks, self.audit):
            if tab is not None:
                tab.refresh()
        self.notices.refresh()

    def _import_allocation(self) -> None:
        self.show_tab(self.site)
        self.site.allocation.import_list()

    def _make_backup(self) -> None:
        if self.backup is not None:
            self.show_tab(self.backup)
            self.backup.make_backup()

    def show_trail_check(self, found: Integrity) -> None:
        """The window's banner checked the trail: an audit tab that shows a report follows it."""
        if self.audit is not None and self.audit.found not in (None, found):  # `found`: its own result, shown
            self.audit.show_found(found)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if (event.type() == QEvent.Type.ActivationChange and self._stale
                and not self.session.actor.must_change_password):
            self._stale = False
            self.refresh()

    def _refresh_current(self) -> None:
        # Another tab may have changed what this one shows (a new user, a new audit event).
        tab = self.tabs.currentWidget()
        if tab in (self.users, self.backup, self.site, self.locks, self.audit):
            tab.refresh()
