"""One query's thread and what the user may do with it now: the site answers an open query (response code, text,
and for a query on an item an optional new value with the reason for the change); the role that raised it closes,
re-opens or cancels it. Every step goes to one service call; a refusal is shown and nothing typed is lost."""
from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from ecrf.services import queries
from ecrf.services.errors import NeedsConfirmation, ReasonRequired
from ecrf.services.permissions import Do, may
from ecrf.services.queries import QueryThread
from ecrf.services.session import SiteSession
from ecrf.study.model import Item
from ecrf.study.status import QueryState, ResponseCode, Scope
from ecrf.ui import dialogs
from ecrf.ui.clock import shown_time
from ecrf.ui.form_editor.choices import make_field
from ecrf.ui.form_editor.fields import Field
from ecrf.ui.form_editor.live import Entry
from ecrf.ui.i18n import text_lang
from ecrf.ui.queries.corrections import correction_line, corrections
from ecrf.ui.queries.words import author_text, kind_text, message_text, place_text, response_text, state_text


def thread_html(thread: QueryThread, corrected: Mapping[int, str] | None = None) -> str:
    """The messages oldest first; `corrected`: message index -> the value its answer corrected, in words."""
    parts = []
    for n, m in enumerate(thread.messages):
        when = shown_time(m.at_utc)
        head = f"<b>{escape(author_text(m.author))}</b> · {escape(kind_text(m.kind))} · {escape(when)}"
        if m.response is not None:
            head += f" · <i>{escape(response_text(m.response))}</i>"
        text = message_text(m.author, m.text, text_lang())
        body = escape(text).replace(chr(10), '<br>')
        if corrected and n in corrected:  # what the monitor checks against the source, so not in a tooltip
            body += f"<br><i>{escape(corrected[n])}</i>"
        parts.append(f"<p>{head}<br>{body}</p>")
    return "".join(parts)


Step = Callable[[SiteSession, int, str], None]  # a decision on the query: close, re-open or cancel


class QueryDialog(QDialog):
    """changed(): a step was stored (the opener reloads what it shows)."""

    changed = Signal()

    def __init__(self, session: SiteSession, query_id: int, current: Entry | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.query_id, self.current, self.lang = session, query_id, current, text_lang()
        self.setObjectName("query_dialog")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("query_heading")
        self.heading.setWordWrap(True)
        self.thread_view = QTextBrowser()
        self.thread_view.setObjectName("query_thread")
        layout.addWidget(self.heading)
        layout.addWidget(self.thread_view, 1)
        self.shown = queries.query_thread(session, query_id)
        self.new_value: Field | None = None
        role = session.actor.role
        if may(role, Do.ANSWER_QUERY):
            layout.addWidget(self._answer_box())
        if may(role, Do.CLOSE_QUERY) and role == self.shown.query.owner_role:
            layout.addWidget(self._decision_box())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._show()

    # -- building ---------------------------------------------------------------------------

    def _answer_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Answer"))
        box.setObjectName("answer_box")
        form = QFormLayout(box)
        self.response = QComboBox()
        self.response.setObjectName("response")
        for code in ResponseCode:
            self.response.addItem(response_text(code), code.value)
        # No answer is preselected: the site says which it is (a default would be sent unread).
        self.response.setPlaceholderText(self.tr("Choose a response…"))
        self.response.setCurrentIndex(-1)
        self.response.currentIndexChanged.connect(lambda _i: self._enable_send())
        self.answer_text = QPlainTextEdit()
        self.answer_text.setObjectName("answer_text")
        self.answer_text.setTabChangesFocus(True)
        self.answer_text.setFixedHeight(60)
        form.addRow(self.tr("Response"), self.response)
        form.addRow(self.tr("Text"), self.answer_text)
        item = self._queried_item()
        if item is not None:
            self.change_value = QCheckBox(self.tr("Correct the value in the same step"))
            self.change_value.setObjectName("change_value")
            self.new_value = make_field(item, self.lang)
            if isinstance(self.current, str):
                self.new_value.set_entry(self.current)
            self.change_reason = QLineEdit()
            self.change_reason.setObjectName("change_reason")
            self.change_reason.setPlaceholderText(self.tr("Reason for the change (required)"))
            self.change_value.toggled.connect(self._toggle_change)
            form.addRow(self.change_value)
            form.addRow(item.label.get(self.lang), self.new_value)
            form.addRow(self.tr("Reason"), self.change_reason)
            self._toggle_change(False)
        self.send_answer = QPushButton(self.tr("Send answer"))
        self.send_answer.setObjectName("send_answer")
        self.send_answer.clicked.connect(self.answer)
        form.addRow(self.send_answer)
        return box

    def _decision_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Decision"))
        box.setObjectName("decision_box")
        column = QVBoxLayout(box)
        self.decision_text = QPlainTextEdit()
        self.decision_text.setObjectName("decision_text")
        self.decision_text.setTabChangesFocus(True)
        self.decision_text.setFixedHeight(50)
        self.decision_text.setPlaceholderText(self.tr("Why you close, re-open or cancel the query"))
        row = QHBoxLayout()
        self.close_button = self._button(row, self.tr("Close query"), "close_query", queries.close_query)
        self.reopen_button = self._button(row, self.tr("Re-open"), "reopen_query", queries.reopen_query)
        self.cancel_button = self._button(row, self.tr("Cancel query (raised in error)"), "cancel_query",
                                          queries.cancel_query)
        column.addWidget(self.decision_text)
        column.addLayout(row)
        return box

    def _button(self, row: QHBoxLayout, text: str, name: str, step: Step) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda: self._decide(step))
        row.addWidget(button)
        return button

    def _queried_item(self) -> Item | None:
        """The item a value correction would change (none for a query on a form or visit, or a calculated item)."""
        place, study = self.shown.query.place, self.session.study
        if place.scope != Scope.ITEM or place.form not in study.forms:
            return None
        if not study.form(place.form).has_item(place.item):
            return None
        item = study.form(place.form).item(place.item)
        return None if item.is_calculated else item

    def _toggle_change(self, on: bool) -> None:
        if self.new_value is not None:
            self.new_value.set_editable(on)
            self.change_reason.setEnabled(on)

    # -- showing ----------------------------------------------------------------------------

    def _show(self) -> None:
        view = self.shown.query
        self.setWindowTitle(self.tr("Query {0}").format(view.number))
        self.heading.setText(f"<b>{view.number}</b> · {escape(state_text(view.state))} · "
                             f"{escape(view.place.subject)} · "
                             f"{escape(place_text(view.place, self.session.study, self.lang))}")
        corrected = {n: correction_line(event, self.session.study, self.lang)
                     for n, event in corrections(self.session, self.shown).items()}
        self.thread_view.setHtml(thread_html(self.shown, corrected))
        self._enable_send()
        if hasattr(self, "close_button"):
            self.close_button.setEnabled(view.state in (QueryState.OPEN, QueryState.ANSWERED))
            self.cancel_button.setEnabled(view.state in (QueryState.OPEN, QueryState.ANSWERED))
            self.reopen_button.setEnabled(view.state in (QueryState.ANSWERED, QueryState.CLOSED))

    def _enable_send(self) -> None:
        """Send only an open query's answer, and only once a response is chosen."""
        if hasattr(self, "send_answer"):
            self.send_answer.setEnabled(self.shown.query.state == QueryState.OPEN
                                        and self.response.currentIndex() >= 0)

    def _reload(self) -> None:
        self.shown = queries.query_thread(self.session, self.query_id)
        self._show()
        self.changed.emit()

    # -- steps ------------------------------------------------------------------------------

    def answer(self) -> bool:
        if self.response.currentIndex() < 0:
            dialogs.show_error(self, self.tr("Not answered"), self.tr("Choose the response first."))
            self.response.setFocus()
            return False
        text = self.answer_text.toPlainText()
        response = ResponseCode(self.response.currentData())
        values: dict[str, Entry] = {}
        reason = None
        if self.new_value is not None and self.change_value.isChecked():
            values = {self.shown.query.place.item: self.new_value.value()}
            reason = self.change_reason.text()
        confirm: set[str] = set()
        for _round in range(3):  # the correction may raise warnings to confirm, asked once each
            try:
                queries.answer_query(self.session, self.query_id, text, response, values=values or None,
                                     reason=reason, confirm=confirm)
                break
            except NeedsConfirmation as asked:
                listing = "\n".join(f"• {f.text(self.lang)}" for f in asked.findings)
                if not dialogs.ask_yes_no(self, self.tr("Confirm warnings"), self.tr(
                        "The new value raises these warnings:\n{0}\n\nConfirm that it is correct?").format(listing)):
                    return False
                confirm |= {f.key for f in asked.findings}
            except ReasonRequired as refused:
                dialogs.show_error(self, self.tr("Not answered"), dialogs.error_text(self._labelled(refused)))
                if self.new_value is not None:
                    self.change_reason.setFocus()
                return False
            except Exception as exc:  # noqa: BLE001 - a refusal is shown; the typing stays
                dialogs.show_error(self, self.tr("Not answered"), dialogs.error_text(exc))
                return False
        else:
            return False
        self.answer_text.clear()
        self.response.setCurrentIndex(-1)  # a re-opened query is answered anew
        self._reload()
        return True

    def _labelled(self, refused: ReasonRequired) -> ReasonRequired:
        """The service names the corrected item by its code (PULSE); the user knows it by its label."""
        item = self._queried_item()
        if item is None or "items" not in refused.params:
            return refused
        return ReasonRequired(refused.code, **{**refused.params, "items": item.label.get(self.lang)})

    def _decide(self, step: Step) -> bool:
        try:
            step(self.session, self.query_id, self.decision_text.toPlainText())
        except Exception as exc:  # noqa: BLE001 - a refusal is shown; the typing stays
            dialogs.show_error(self, self.tr("Not done"), dialogs.error_text(exc))
            return False
        self.decision_text.clear()
        self._reload()
        return True


class RaiseQueryDialog(QDialog):
    """The monitor's question about one place; `raise_query` runs on OK and the dialog stays open if refused."""

    def __init__(self, session: SiteSession, place: queries.QueryPlace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.place, self.query_id = session, place, 0
        self.setObjectName("raise_query_dialog")
        self.setWindowTitle(self.tr("Raise query"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        where = QLabel(self.tr("Query on {0}").format(
            f"{escape(place.subject)} · {escape(place_text(place, session.study, text_lang()))}"))
        where.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setObjectName("query_text")
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText(
            self.tr("What should the site check? e.g. Was this visit done? Nothing is entered for it yet.")
            if place.scope == Scope.VISIT else self.tr("What should the site check? e.g. The source says 88, not 80."))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        for widget in (where, self.text, self.buttons):
            layout.addWidget(widget)

    def submit(self) -> None:
        try:
            self.query_id = queries.raise_query(self.session, self.place, self.text.toPlainText())
        except Exception as exc:  # noqa: BLE001 - a refusal is shown; the typing stays
            dialogs.show_error(self, self.tr("Query not raised"), dialogs.error_text(exc))
            return
        self.accept()
