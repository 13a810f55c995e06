"""The form editor: one form instance of a subject, generated from the study definition.

Findings show as the user leaves a field, skip logic and derived values follow at once, Ctrl+S saves
(in progress), Ctrl+Shift+S saves as complete, Enter moves on like Tab, Ctrl+M opens the item menu."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from ecrf.services.editing import FormState, open_form
from ecrf.services.forms import SaveResult
from ecrf.services.permissions import Do, may
from ecrf.services.session import SiteSession
from ecrf.services.subject_data import FormRef
from ecrf.study.status import FormStatus, Scope
from ecrf.study.validate import FormCheck
from ecrf.study.values import Missing
from ecrf.trail.esign import Place
from ecrf.ui import dialogs
from ecrf.ui.esign.dialog import sign_with_dialogs
from ecrf.ui.form_editor import saving
from ecrf.ui.form_editor.entries import EntryChecks
from ecrf.ui.form_editor.findings_view import Banner
from ecrf.ui.form_editor.header import Header, status_text
from ecrf.ui.form_editor.item_actions import ItemActions
from ecrf.ui.form_editor.keys import FieldKeys, FocusMoves
from ecrf.ui.form_editor.layout import ItemRow, form_help
from ecrf.ui.form_editor.live import Entry, loaded_entries
from ecrf.ui.form_editor.monitoring import MonitoringControls
from ecrf.ui.form_editor.sdv_marks import SdvMarker
from ecrf.ui.form_print import print_button
from ecrf.ui.i18n import text_lang
from ecrf.ui.page import Page
from ecrf.ui.queries.panel import QueryPanel


class FormEditorPage(EntryChecks, MonitoringControls, ItemActions, FocusMoves, Page):
    """The page builds the rows, loads and saves the form, and signs it; each concern around that is a part
    (see part.py): EntryChecks (entries, live checks), MonitoringControls (SDV), ItemActions (item menu,
    history, queries), FocusMoves (where the cursor goes)."""

    closed = Signal()
    saved = Signal(object)  # SaveResult

    def __init__(self, session: SiteSession, ref: FormRef, parent: QWidget | None = None) -> None:
        super().__init__(session, parent)
        self.ref, self.lang = ref, text_lang()
        self.state: FormState | None = None
        self.initial: dict[str, Entry] = {}
        self.confirmed_now: set[str] = set()
        self.rows: dict[str, ItemRow] = {}
        self.touched: set[str] = set()
        self.last_check: FormCheck | None = None  # the latest live check: what the banner's cause is read from
        self._show_all = self._show_required = self._shown_once = False
        self.can_verify = may(session.actor.role, Do.VERIFY_SOURCE)
        self.sdv_markers: dict[str, SdvMarker] = {}  # only items the monitoring plan asks to verify
        self.start_at: str | None = None  # the item the cursor starts in (opened from a query), else the first
        self._build()
        self._load()

    # -- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.header = Header()
        self.banner = Banner()
        self._build_monitoring()
        self.query_panel = QueryPanel(self.session, self.ref, self.initial.get)
        self.query_panel.changed.connect(self._queries_changed)
        layout.addWidget(self.header)
        layout.addWidget(self.monitoring_line)
        layout.addWidget(self.banner)
        layout.addWidget(self.query_panel)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("form_scroll")
        self.scroll_area.setWidgetResizable(True)
        layout.addWidget(self.scroll_area, 1)
        bar = QHBoxLayout()
        self.close_button = QPushButton(self.tr("Close"))
        self.close_button.setObjectName("close")
        self.close_button.clicked.connect(self.close_page)
        self.save_button = QPushButton(self.tr("Save (Ctrl+S)"))
        self.save_button.setObjectName("save")
        self.save_button.clicked.connect(lambda: self.save(False))
        self.complete_button = QPushButton(self.tr("Save as complete (Ctrl+Shift+S)"))
        self.complete_button.setObjectName("save_complete")
        self.complete_button.clicked.connect(lambda: self.save(True))
        bar.addWidget(self.close_button)
        bar.addWidget(print_button(self, self.session, self.ref, self.has_unsaved))
        bar.addStretch(1)
        bar.addWidget(self.verify_button)
        bar.addWidget(self.unverify_button)
        self.sign_button: QPushButton | None = None
        if may(self.session.actor.role, Do.SIGN):
            self.sign_button = QPushButton(self.tr("Sign form…"))
            self.sign_button.setObjectName("sign_form")
            self.sign_button.clicked.connect(self.sign_form)
            bar.addWidget(self.sign_button)
        bar.addWidget(self.save_button)
        bar.addWidget(self.complete_button)
        layout.addLayout(bar)
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in (("Ctrl+S", lambda: self.save(False)), ("Ctrl+Shift+S", lambda: self.save(True)),
                           ("Ctrl+M", self._menu_for_focus)):
            QShortcut(QKeySequence(keys), self, slot, context=context)

    def _build_rows(self, state: FormState) -> None:
        body = QWidget()
        body.setObjectName("form_body")
        column = QVBoxLayout(body)
        help_label = form_help(state.form, self.lang)
        if help_label is not None:
            column.addWidget(help_label)
        keys = FieldKeys(self)
        for item in state.form.items:
            row = ItemRow(item, self.lang)
            row.menuRequested.connect(self._show_menu)
            row.field.committed.connect(lambda code=item.code: self._left(code))
            row.field.edited.connect(self._edited)
            row.queryClicked.connect(self.open_query_at)
            for widget in row.field.focus_widgets():
                widget.installEventFilter(keys)
            self.rows[item.code] = row
            column.addWidget(row)
        column.addStretch(1)
        self.scroll_area.setWidget(body)

    def _load(self) -> None:
        try:
            state = open_form(self.session, self.ref)
        except Exception as exc:  # noqa: BLE001 - the page says why it cannot show the form
            self.header.show_error(self.ref.form, dialogs.error_text(exc))
            self.save_button.hide()
            self.complete_button.hide()
            return
        if not self.rows:
            self._build_rows(state)
        self._apply(state)

    def _apply(self, state: FormState) -> None:
        """Show a freshly read state: stored values in the fields, read-only or not, header, findings."""
        self.state, self.ref = state, state.ref
        self.initial = loaded_entries(state)
        missing_labels = self.session.study.missing_codes
        for code, row in self.rows.items():
            entry = self.initial.get(code, "")
            row.field.blockSignals(True)
            if isinstance(entry, Missing):
                row.field.set_missing(entry.code, missing_labels[entry.code].get(self.lang)
                                      if entry.code in missing_labels else "")
            else:
                row.field.set_missing(None)
                row.field.set_entry(entry)
            row.field.set_editable(state.editable)
            row.field.blockSignals(False)
            row.more.setVisible(state.editable or state.exists)
        self.touched |= {code for code, entry in self.initial.items() if entry != ""}
        self.show_queries()
        self.save_button.setVisible(state.editable)
        self.complete_button.setVisible(state.editable)
        if self.sign_button is not None:  # only a complete form is signed on its own
            self.sign_button.setEnabled(state.status == FormStatus.COMPLETE)
        self.header.show_state(state, self.title(), self.lang)
        self.show_monitoring()
        if not state.editable:
            why_not = state.refusal.text(self.lang) if state.refusal is not None else state.why_not
            self.banner.say(self.tr("Read only: {0}").format(why_not), "incomplete",
                            holds=lambda: self.state is not None and not self.state.editable)
        self.refresh_live()

    def sign_form(self) -> bool:
        """The investigator signs this form (saved first: a signature covers what is stored)."""
        if self.has_unsaved():
            dialogs.show_info(self, self.tr("Sign form"), self.tr("Save your changes first: a signature covers "
                                                                  "the data as stored."))
            return False
        ref = self.ref
        place = Place(ref.visit, ref.form, ref.timepoint, ref.repeat)
        return sign_with_dialogs(self, self.session, ref.subject, Scope.FORM, ref=place)

    # -- the page contract -------------------------------------------------------------------

    def title(self) -> str:
        state, study = self.state, self.session.study
        label = state.form.label.get(self.lang) if state else self.ref.form
        if self.ref.visit:
            text = f"{self.ref.visit} · {label}"
            if self.ref.timepoint and self.ref.timepoint in study.timepoints:
                text += f" ({study.timepoints[self.ref.timepoint].get(self.lang)})"
            return text
        if self.ref.repeat:
            return f"{label} #{self.ref.repeat}"
        return self.tr("{0} · new entry").format(label)

    def maybe_leave(self) -> bool:
        if not self.has_unsaved():
            return True
        answer = dialogs.ask_save_discard(self, self.tr("Unsaved entries"), self.tr(
            "{0} has entries that are not saved yet. Save them before leaving?").format(self.title()))
        if answer == "save":
            return self.save(False) is not None
        return answer == "discard"

    def refresh(self) -> None:
        """Reread the form (after a save elsewhere), unless the user has typed something not saved."""
        if not self.has_unsaved():
            self._load()

    def close_page(self) -> None:
        if self.maybe_leave():
            self.initial = self.entries()  # asked once: the window does not ask again
            self.closed.emit()

    # -- saving -------------------------------------------------------------------------------

    def save(self, complete: bool = False) -> SaveResult | None:
        self.touched |= set(self.rows)
        result = saving.save(self, complete)
        if result is None:
            return None
        self.confirmed_now = set()
        self._load()
        self.banner.say(self.tr("Saved. The form is now: {0}.").format(status_text(result.status)), "ok",
                        holds=lambda: not self.has_unsaved())
        self.saved.emit(result)
        return result
