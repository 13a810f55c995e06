"""The queries of one place in a panel: a line per query (number, state symbol and word, where, the last message)
with a button to open its thread; hidden while the place has none and the user cannot raise one. The form's
panel sits above its items in the form editor, tells the editor which items carry a query (their marker) and
raises new ones for a monitor; the visit's (ecrf.ui.queries.visit_panel) sits under the subject's schedule."""
from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ecrf.services import queries
from ecrf.services.permissions import Do, may
from ecrf.services.queries import QueryPlace, QueryThread
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef
from ecrf.study.status import QueryState, Scope
from ecrf.ui import dialogs
from ecrf.ui.form_editor.live import Entry
from ecrf.ui.i18n import text_lang
from ecrf.ui.queries.thread import QueryDialog, RaiseQueryDialog
from ecrf.ui.queries.words import STATE_SYMBOLS, author_text, message_text, place_text, state_text

# The most pressing state of an item's queries is its marker: open before answered before the rest.
MAX_LINES_HEIGHT = 120  # about four queries; more scroll
PRESSING = (QueryState.OPEN, QueryState.ANSWERED, QueryState.CLOSED, QueryState.CANCELLED)


class QueryLines(QFrame):
    """A line per query of one place with a button to open its thread, and a raise button for a monitor; the
    form's panel (QueryPanel) and the visit's (ecrf.ui.queries.visit_panel) say which queries and where a new one
    goes. changed(): a query step was stored (a value may have changed with it: the opener reloads)."""

    changed = Signal()

    def __init__(self, session: SiteSession, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.lang = session, text_lang()
        self.threads: list[QueryThread] = []
        self.dialog: QDialog | None = None  # the open dialog, kept for tests and from the garbage collector
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setVisible(False)
        self.may_raise = may(session.actor.role, Do.RAISE_QUERY)
        self._built = False  # most places have no query and most users cannot raise one: then nothing is shown

    # -- what the place says ------------------------------------------------------------------

    def fetch(self) -> list[QueryThread]:
        """The queries of the place, oldest first."""
        raise NotImplementedError

    def heading(self, asking: int, total: int) -> str:
        raise NotImplementedError

    def raise_label(self) -> tuple[str, str]:
        """(text, object name) of the raise button."""
        raise NotImplementedError

    def place(self, item: str | None) -> QueryPlace:
        """Where a new query goes (`item`: on that item of the form, if the place has items)."""
        raise NotImplementedError

    def current(self, item: str) -> Entry | None:
        """The value an answer's correction starts from (none where there are no values)."""
        return None

    # -- building and filling -----------------------------------------------------------------

    def _build(self) -> None:
        """The title, the raise button and the lines, made when first shown (see _fill)."""
        self._built = True
        self.setStyleSheet(f"#{self.objectName()} {{ background: #fff8e1; }}")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 4, 6, 4)
        head = QHBoxLayout()
        self.title = QLabel()
        self.title.setObjectName("query_panel_title")
        self.title.setWordWrap(True)  # a long visit name in Chinese keeps the button on screen
        head.addWidget(self.title, 1)
        text, name = self.raise_label()
        self.raise_button = QPushButton(text)
        self.raise_button.setObjectName(name)
        self.raise_button.clicked.connect(lambda: self.raise_on(None))
        self.raise_button.setVisible(self.may_raise)
        head.addWidget(self.raise_button)
        outer.addLayout(head)
        lines = QWidget()
        lines.setObjectName("query_lines")
        self.grid = QGridLayout(lines)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setColumnStretch(1, 1)
        scroll = QScrollArea()  # many queries scroll here rather than push the form off the screen
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(lines)
        for plain in (lines, scroll.viewport()):  # the panel's colour behind the lines, not a grey box
            plain.setAutoFillBackground(False)
        outer.addWidget(scroll)
        self.lines_area, self.lines = scroll, lines

    def reload(self) -> None:
        try:
            self.threads = self.fetch()
        except Exception as exc:  # noqa: BLE001 - the page still shows; the panel says why it is empty
            self.threads = []
            if not self._built:
                self._build()
            self._fill()
            self.title.setText(dialogs.error_text(exc))
            self.setVisible(True)
            return
        self._fill()

    def _fill(self) -> None:
        if not self._built:
            if not self.threads and not self.may_raise:
                return
            self._build()
        while (taken := self.grid.takeAt(0)) is not None:
            widget = taken.widget()
            if widget is not None:  # out of the panel at once (findChild, screen readers see the new lines only)
                widget.setParent(None)
                widget.deleteLater()
        asking = [t for t in self.threads if t.query.state in (QueryState.OPEN, QueryState.ANSWERED)]
        self.title.setText(self.heading(len(asking), len(self.threads)))
        for n, thread in enumerate(self.threads):
            view = thread.query
            label = QLabel(f"<b>{view.number}</b> {escape(state_text(view.state))} · "
                           f"{escape(place_text(view.place, self.session.study, self.lang))} — "
                           f"{escape(author_text(view.last_author))}: "
                           f"{escape(message_text(view.last_author, view.last_text, self.lang).splitlines()[0])}")
            label.setObjectName(f"query_line_{view.id}")
            label.setWordWrap(True)
            button = QPushButton(self.tr("Open…"))
            button.setObjectName(f"open_query_{view.id}")
            button.clicked.connect(lambda _c=False, qid=view.id: self.open_thread(qid))
            self.grid.addWidget(label, n, 1)
            self.grid.addWidget(button, n, 2)
        self.lines_area.setVisible(bool(self.threads))  # no empty box taking the page's room
        self.setVisible(bool(self.threads) or self.may_raise)
        self._fit_lines()

    def _fit_lines(self) -> None:
        """The lines as high as they are at the width shown (long ones wrap), at most MAX_LINES_HEIGHT (then they
        scroll): a scroll area's own wish is far taller, which took room from the schedule or the form."""
        lines = self.lines
        width = max(self.lines_area.viewport().width(), self.width() - 12, 200)
        wanted = lines.heightForWidth(width) if lines.hasHeightForWidth() else -1
        self.lines_area.setFixedHeight(min(MAX_LINES_HEIGHT, wanted if wanted > 0 else lines.sizeHint().height()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._built and event.size().width() != event.oldSize().width():
            self._fit_lines()

    # -- steps ----------------------------------------------------------------------------------

    def open_thread(self, query_id: int) -> QueryDialog:
        item = next((t.query.place.item for t in self.threads if t.query.id == query_id), "")
        dialog = QueryDialog(self.session, query_id, self.current(item) if item else None, self)
        dialog.changed.connect(self._changed)
        self.dialog = dialog
        dialog.open()
        return dialog

    def raise_on(self, item: str | None) -> RaiseQueryDialog:
        dialog = RaiseQueryDialog(self.session, self.place(item), self)
        dialog.accepted.connect(self._changed)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _changed(self) -> None:
        self.reload()
        self.changed.emit()


class QueryPanel(QueryLines):
    """The queries of one form instance and its items, above the items in the form editor."""

    def __init__(self, session: SiteSession, ref: FormRef, current: Callable[[str], Entry | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(session, "query_panel", parent)
        self.ref, self.current_value = ref, current

    def fetch(self) -> list[QueryThread]:
        ref = self.ref
        return queries.queries_at(self.session, ref) if ref.visit or ref.repeat else []

    def heading(self, asking: int, total: int) -> str:
        return self.tr("Queries on this form: {0} open or answered, {1} in all").format(asking, total)

    def raise_label(self) -> tuple[str, str]:
        return self.tr("Raise query on this form…"), "raise_form_query"

    def place(self, item: str | None) -> QueryPlace:
        return QueryPlace.on_item(self.ref, item) if item else QueryPlace.on_form(self.ref)

    def current(self, item: str) -> Entry | None:
        return self.current_value(item)

    def load(self, ref: FormRef) -> None:
        self.ref = ref
        self.reload()

    def markers(self) -> dict[str, tuple[str, str]]:
        """Item code -> (symbol, tooltip) for the items that carry a query."""
        marks: dict[str, tuple[str, str]] = {}
        for state in reversed(PRESSING):  # the most pressing state written last wins
            for thread in self.threads:
                view = thread.query
                if view.place.scope == Scope.ITEM and view.state == state:
                    marks[view.place.item] = (STATE_SYMBOLS[state], f"{view.number} {state_text(state)}")
        return marks

    def thread_for(self, item: str) -> int | None:
        """The query to open from an item's marker: its most pressing one."""
        for state in PRESSING:
            for thread in self.threads:
                if thread.query.place.item == item and thread.query.state == state:
                    return thread.query.id
        return None
