"""What the user is looking at, kept while the main window is rebuilt (switching the language).

Qt widgets keep the words they were made with, so a new language means a new main window. The user must not
notice more than the words changing: the same pages in the same order (subject list › subject › form), a
form's unsaved entries, the chosen tab of each page, and the window where it was and as large as it was.
A page is remembered by how the window opens it again (its kind and key), never by its widgets."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QTabWidget

from ecrf.services.subject_data import FormRef
from ecrf.ui.page import Page

if TYPE_CHECKING:
    from ecrf.ui.form_editor.live import Entry
    from ecrf.ui.main_window import MainWindow


@dataclass(frozen=True)
class PageMemory:
    kind: str  # home, queries, admin, subject, form, sdv, audit
    key: str | FormRef | None = None  # the subject's screening number, the form's reference
    tabs: tuple[int, ...] = ()  # the current index of each tab widget on the page, in creation order
    entries: dict[str, Entry] = field(default_factory=dict)  # a form's unsaved entries


@dataclass(frozen=True)
class ScreenMemory:
    pages: tuple[PageMemory, ...]
    geometry: QRect  # the window's inside (without the frame), where it was before it was maximised
    maximised: bool


def remember(window: MainWindow) -> ScreenMemory:
    return ScreenMemory(tuple(remember_page(page) for page in window.history()), window.normalGeometry(),
                        window.isMaximized())


def remember_page(page: Page) -> PageMemory:
    from ecrf.ui.admin.page import AdminPage
    from ecrf.ui.audit_page import AuditTrailPage
    from ecrf.ui.form_editor.page import FormEditorPage
    from ecrf.ui.queries.inbox import QueryInboxPage
    from ecrf.ui.sdv_matrix import SdvMatrixPage
    from ecrf.ui.subject.page import SubjectPage

    tabs = tuple(tab.currentIndex() for tab in page.findChildren(QTabWidget))
    if isinstance(page, FormEditorPage):
        return PageMemory("form", page.ref, tabs, page.unsaved_entries())
    if isinstance(page, SubjectPage):
        return PageMemory("subject", page.key, tabs)
    if isinstance(page, QueryInboxPage):
        return PageMemory("queries", None, tabs)
    if isinstance(page, AdminPage):
        return PageMemory("admin", None, tabs)
    if isinstance(page, SdvMatrixPage):
        return PageMemory("sdv", None, tabs)
    if isinstance(page, AuditTrailPage):
        return PageMemory("audit", None, tabs)
    return PageMemory("home", None, tabs)


def restore(window: MainWindow, memory: ScreenMemory) -> None:
    """Open the remembered pages in a new window (its home page is open already) and put it where the old
    one was. A page that cannot be opened again (the subject is gone) ends the restoring: the window shows
    the last page that could be opened, with the page's own message."""
    # Before the window shows, so it appears where the old one was (not centred, as a new window is).
    window.setGeometry(memory.geometry)
    if memory.maximised:
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    for index, page_memory in enumerate(memory.pages):
        before = window.page
        if index > 0 or _kind_of(window) != page_memory.kind:
            _reopen(window, page_memory)
        page = window.page
        if page is None or (index > 0 and page is before):
            return
        _restore_tabs(page, page_memory.tabs)
        if page_memory.entries and hasattr(page, "restore_entries"):
            page.restore_entries(page_memory.entries)


def _kind_of(window: MainWindow) -> str:
    return remember_page(window.page).kind if window.page is not None else ""


def _reopen(window: MainWindow, memory: PageMemory) -> None:
    if memory.kind == "subject" and isinstance(memory.key, str):
        window.show_subject(memory.key)
    elif memory.kind == "form" and isinstance(memory.key, FormRef):
        window.open_form(memory.key)
    elif memory.kind == "queries":
        window.show_queries()
    elif memory.kind == "admin":
        window.show_admin()
    elif memory.kind == "sdv":
        window.show_sdv_matrix()
    elif memory.kind == "audit":
        window.show_audit_trail()
    else:
        window.show_home()


def _restore_tabs(page: Page, indexes: tuple[int, ...]) -> None:
    tabs = page.findChildren(QTabWidget)
    if len(tabs) != len(indexes):  # not the same page any more (a role changed): leave it as it opens
        return
    for tab, index in zip(tabs, indexes, strict=True):
        if 0 <= index < tab.count():
            tab.setCurrentIndex(index)
